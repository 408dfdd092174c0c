"""Application letters and circular attachments move into the private storage.

Before, both were files under MEDIA_ROOT (``applications/<uploaded name>``,
``circulars/<uuid>/<uploaded name>``) and the public media route had to leave them out.
Now they live under PRIVATE_MEDIA_ROOT with random names (``applications/<hex>.pdf``,
``circulars/<hex>.pdf``; the attachment's uploaded name is kept in ``original_name``), and
queued or sent outbox rows that name an attachment are pointed at its new place. Reversible:
the way back copies the files to MEDIA_ROOT again. The old files are deleted only after the
migration's transaction has committed.
"""

import posixpath
import uuid

from django.core.files.storage import storages
from django.db import migrations, models

import ikone.storage
import members.models
from ikone.storage import delete_after_commit, move_file, random_name


def circular_upload_to(instance, filename):
    """Historic: the models moved to the circulars app, which has the live function."""
    return random_name("circulars", filename, extension=".pdf")


def _rewrite_outbox(apps, mapping: dict, *, to_private: bool) -> None:
    OutboundEmail = apps.get_model("outbox", "OutboundEmail")
    changed = []
    rows = OutboundEmail.objects.filter(reference__startswith="circular").only("attachments")
    for row in rows.iterator(chunk_size=500):
        attachments = []
        touched = False
        for attachment in row.attachments or []:
            path = attachment.get("storage_path")
            if path in mapping:
                attachment = {**attachment, "storage_path": mapping[path]}
                attachment.pop("storage", None)
                if to_private:
                    attachment["storage"] = "private"
                touched = True
            attachments.append(attachment)
        if touched:
            row.attachments = attachments
            changed.append(row)
    OutboundEmail.objects.bulk_update(changed, ["attachments"], batch_size=500)


def forward(apps, schema_editor):
    MembershipApplication = apps.get_model("members", "MembershipApplication")
    CircularAttachment = apps.get_model("members", "CircularAttachment")
    public, private = storages["default"], storages["private"]
    moved = []
    for pk, name in MembershipApplication.objects.exclude(letter="").values_list("pk", "letter"):
        new_name = f"applications/{uuid.uuid4().hex}.pdf"
        if move_file(public, name, private, new_name, moved=moved):
            MembershipApplication.objects.filter(pk=pk).update(letter=new_name)
    mapping = {}
    for pk, name in CircularAttachment.objects.exclude(file="").values_list("pk", "file"):
        new_name = f"circulars/{uuid.uuid4().hex}.pdf"
        if move_file(public, name, private, new_name, moved=moved):
            CircularAttachment.objects.filter(pk=pk).update(
                file=new_name, original_name=posixpath.basename(name)[:150]
            )
            mapping[name] = new_name
    _rewrite_outbox(apps, mapping, to_private=True)
    delete_after_commit(moved)


def backward(apps, schema_editor):
    MembershipApplication = apps.get_model("members", "MembershipApplication")
    CircularAttachment = apps.get_model("members", "CircularAttachment")
    public, private = storages["default"], storages["private"]
    moved = []
    for pk, name in MembershipApplication.objects.exclude(letter="").values_list("pk", "letter"):
        new_name = f"applications/{uuid.uuid4().hex}.pdf"
        if move_file(private, name, public, new_name, moved=moved):
            MembershipApplication.objects.filter(pk=pk).update(letter=new_name)
    mapping = {}
    rows = CircularAttachment.objects.exclude(file="").values_list("pk", "file", "original_name")
    for pk, name, original_name in rows:
        # the old scheme: the uploaded name in a folder of its own (the old column: 100 chars)
        filename = (original_name or posixpath.basename(name))[-57:]
        new_name = f"circulars/{uuid.uuid4().hex}/{filename}"
        if move_file(private, name, public, new_name, moved=moved):
            CircularAttachment.objects.filter(pk=pk).update(file=new_name)
            mapping[name] = new_name
    _rewrite_outbox(apps, mapping, to_private=False)
    delete_after_commit(moved)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_circulars"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="circularattachment",
            name="original_name",
            field=models.CharField(
                blank=True, editable=False, max_length=150, verbose_name="file name"
            ),
        ),
        migrations.AlterField(
            model_name="circularattachment",
            name="file",
            field=models.FileField(
                max_length=200,
                storage=ikone.storage.private_storage,
                upload_to=circular_upload_to,
                verbose_name="PDF file",
            ),
        ),
        migrations.AlterField(
            model_name="membershipapplication",
            name="letter",
            field=models.FileField(
                max_length=200,
                storage=ikone.storage.private_storage,
                upload_to=members.models.letter_upload_to,
                verbose_name="signed application letter (PDF)",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
