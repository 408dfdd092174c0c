"""Fill the audience snapshot of surveys opened before it was kept.

The best record of who was invited is who belonged to the network then: municipalities
whose membership began on or before the opening day (or has no date). Municipalities that
have left since may have been members then and count too; the chosen audience of a survey
for chosen municipalities is limited to those chosen.
"""

from django.db import migrations
from django.db.models import Q


def snapshot(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Municipality = apps.get_model("members", "Municipality")
    for survey in Survey.objects.exclude(opened_at=None):
        if survey.invited_municipalities.exists():
            continue
        opened = survey.opened_at.date()
        candidates = (
            Municipality.objects.all()
            if survey.audience == "all"
            else survey.municipalities.all()
        )
        invited = candidates.filter(Q(member_since__isnull=True) | Q(member_since__lte=opened))
        survey.invited_municipalities.set(invited)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("surveys", "0002_survey_invited_municipalities"),
    ]

    operations = [migrations.RunPython(snapshot, migrations.RunPython.noop)]
