"""Slides of agenda items move into the private storage under random names.

Before, slides were files under MEDIA_ROOT (``meetings/slides/<uploaded name>``), reachable
by everyone, also those of members-only and draft meetings. Now they live under
PRIVATE_MEDIA_ROOT (``slides/<hex>.pdf``) and are served by ``meetings:slides``, which
checks that the viewer may see the meeting. Reversible; the old files are deleted only
after the migration's transaction has committed.
"""

import uuid

from django.core.files.storage import storages
from django.db import migrations, models

import ikone.storage
import meetings.models
from ikone.storage import delete_after_commit, move_file


def _move(apps, source, target, prefix):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    moved = []
    for pk, name in AgendaItem.objects.exclude(slides="").values_list("pk", "slides"):
        new_name = f"{prefix}/{uuid.uuid4().hex}.pdf"
        if move_file(source, name, target, new_name, moved=moved):
            AgendaItem.objects.filter(pk=pk).update(slides=new_name)
    delete_after_commit(moved)


def forward(apps, schema_editor):
    _move(apps, storages["default"], storages["private"], "slides")


def backward(apps, schema_editor):
    _move(apps, storages["private"], storages["default"], "meetings/slides")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_series_start_time_default"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agendaitem",
            name="slides",
            field=models.FileField(
                blank=True,
                max_length=200,
                storage=ikone.storage.private_storage,
                upload_to=meetings.models.slides_upload_to,
                verbose_name="slides (PDF)",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
