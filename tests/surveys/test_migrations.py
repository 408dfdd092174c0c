"""The audience snapshot is filled in for surveys opened before it was kept."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("surveys", "0001_initial"), ("members", "0003_circulars")]


def _migrate(targets=None):
    """Migrate to ``targets`` (default: the latest of every app) and return that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_surveys_opened_before_keep_the_members_of_their_opening_day():
    apps = _migrate(BEFORE)
    Municipality = apps.get_model("members", "Municipality")
    Survey = apps.get_model("surveys", "Survey")

    def town(name, since, status="member"):
        return Municipality.objects.create(
            name=name,
            slug=name.lower(),
            kind="stadt",
            ags=name[:8],
            member_since=since,
            status=status,
        )

    founding = town("Gruender", date(2020, 5, 1))
    undated = town("Ohnedatum", None)
    left = town("Ausgetreten", date(2021, 1, 1), status="left")
    town("Spaeter", date(2024, 2, 1))
    tz = timezone.get_current_timezone()
    opened = datetime(2023, 3, 21, 9, 0, tzinfo=tz)
    everyone = Survey.objects.create(
        title="2023", opens_at=opened, closes_at=opened.replace(month=4), opened_at=opened
    )
    chosen = Survey.objects.create(
        title="Auswahl",
        audience="chosen",
        opens_at=opened,
        closes_at=opened.replace(month=4),
        opened_at=opened,
    )
    chosen.municipalities.set([founding])
    draft = Survey.objects.create(
        title="Entwurf", opens_at=opened, closes_at=opened.replace(month=4)
    )

    apps = _migrate()
    Survey = apps.get_model("surveys", "Survey")

    def invited(survey):
        return set(
            Survey.objects.get(pk=survey.pk).invited_municipalities.values_list("name", flat=True)
        )

    assert invited(everyone) == {founding.name, undated.name, left.name}
    assert invited(chosen) == {founding.name}
    assert invited(draft) == set()
