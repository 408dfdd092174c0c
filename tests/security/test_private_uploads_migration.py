"""The data migrations that move letters, attachments and slides into the private storage.

Run for real: the schema is taken back to before the move, files are put where the old
code stored them (under MEDIA_ROOT), then migrated forward and back again.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("members", "0003_circulars"), ("meetings", "0002_series_start_time_default")]
AFTER = [("members", "0004_private_uploads"), ("meetings", "0003_private_uploads")]

LETTER = b"%PDF-1.4 letter of Neustadt"
ATTACHMENT = b"%PDF-1.4 programme"
SLIDES = b"%PDF-1.4 slides"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_today():
    """Every app at its latest migration: AFTER alone would leave all that depends on the
    migrations unapplied by BEFORE (circulars.0001, members.0005, meetings.0004, ...) undone,
    and the flush after the test would give that half-migrated database the content types
    of today's models."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)


@pytest.fixture
def old_world(transactional_db, roots):
    media, _private = roots
    old = _migrate(BEFORE)
    files = {
        "applications/antrag.pdf": LETTER,
        "circulars/4d2a0c5e9b1f4e0a8c7d6b5a49382716/Programm Übersicht.pdf": ATTACHMENT,
        "meetings/slides/folien.pdf": SLIDES,
    }
    for name, data in files.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    now = timezone.now()
    application = old.get_model("members", "MembershipApplication").objects.create(
        municipality_name="Neustadt",
        kind="kreisfreie_stadt",
        ags="07316000",
        head_of_administration="OB",
        letter="applications/antrag.pdf",
        contact_first_name="Clara",
        contact_last_name="Neu",
        contact_email="clara@neustadt.example",
        privacy_consent_at=now,
    )
    circular = old.get_model("members", "Circular").objects.create(
        subject="Programm", body="Text", status="sent", sent_at=now
    )
    attachment = old.get_model("members", "CircularAttachment").objects.create(
        circular=circular, file="circulars/4d2a0c5e9b1f4e0a8c7d6b5a49382716/Programm Übersicht.pdf"
    )
    outbox_row = old.get_model("outbox", "OutboundEmail").objects.create(
        to="a@example.org",
        from_email="koordination@example.org",
        subject="Programm",
        body_text="Text",
        reference=f"circular:{circular.pk}",
        attachments=[
            {
                "filename": "Programm Übersicht.pdf",
                "mimetype": "application/pdf",
                "storage_path": attachment.file.name,
            }
        ],
    )
    meeting = old.get_model("meetings", "Meeting").objects.create(
        title="Stammtisch", slug="stammtisch", start=now, end=now + timedelta(hours=2)
    )
    item = old.get_model("meetings", "AgendaItem").objects.create(
        meeting=meeting, title="Laternen", slides="meetings/slides/folien.pdf"
    )
    yield {
        "application": application.pk,
        "attachment": attachment.pk,
        "outbox": outbox_row.pk,
        "item": item.pk,
        "old_names": list(files),
    }
    _migrate_to_today()  # leave the database as the other tests expect it


def test_forward_moves_files_into_private_storage_under_random_names(old_world, roots):
    media, private = roots

    new = _migrate(AFTER)

    application = new.get_model("members", "MembershipApplication").objects.get()
    attachment = new.get_model("members", "CircularAttachment").objects.get()
    item = new.get_model("meetings", "AgendaItem").objects.get()
    row = new.get_model("outbox", "OutboundEmail").objects.get()
    assert application.letter.name.startswith("applications/")
    assert "antrag" not in application.letter.name
    assert (private / application.letter.name).read_bytes() == LETTER
    assert (private / attachment.file.name).read_bytes() == ATTACHMENT
    assert attachment.original_name == "Programm Übersicht.pdf"
    assert (private / item.slides.name).read_bytes() == SLIDES
    assert item.slides.name.startswith("slides/")
    # queued and sent mail of the circular names the attachment at its new place
    assert row.attachments == [
        {
            "filename": "Programm Übersicht.pdf",
            "mimetype": "application/pdf",
            "storage_path": attachment.file.name,
            "storage": "private",
        }
    ]
    # nothing is left under MEDIA_ROOT
    for name in old_world["old_names"]:
        assert not (media / name).exists(), name


def test_backward_puts_them_back_under_media(old_world, roots):
    media, private = roots
    _migrate(AFTER)

    old = _migrate(BEFORE)

    application = old.get_model("members", "MembershipApplication").objects.get()
    attachment = old.get_model("members", "CircularAttachment").objects.get()
    item = old.get_model("meetings", "AgendaItem").objects.get()
    row = old.get_model("outbox", "OutboundEmail").objects.get()
    assert (media / application.letter.name).read_bytes() == LETTER
    assert (media / attachment.file.name).read_bytes() == ATTACHMENT
    assert attachment.file.name.endswith("/Programm Übersicht.pdf")
    assert (media / item.slides.name).read_bytes() == SLIDES
    assert row.attachments[0]["storage_path"] == attachment.file.name
    assert "storage" not in row.attachments[0]
    assert not [path for path in private.rglob("*") if path.is_file()]


def test_a_row_whose_file_is_missing_does_not_stop_the_migration(old_world, roots):
    media, private = roots
    (media / "applications" / "antrag.pdf").unlink()

    new = _migrate(AFTER)

    application = new.get_model("members", "MembershipApplication").objects.get()
    assert application.letter.name == "applications/antrag.pdf"  # left as it was
    assert (private / new.get_model("meetings", "AgendaItem").objects.get().slides.name).exists()
