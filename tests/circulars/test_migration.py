"""The move of the circulars out of members/: a database made before it keeps everything.

Run for real: the schema is taken back to before the move (members.0004), rows are written
with the old models and content types — a circular with a recipient, an answer and an
attachment, a coordinator group's permission, an admin log and an audit entry — and then
migrated forward to today and back again.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("members", "0004_private_uploads")]
MODELS = ("circular", "circularattachment", "circularrecipient")


def _migrate(targets=None):
    """Migrate to ``targets`` (default: today) and return the state of everything applied."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


@pytest.fixture
def old_world(transactional_db):
    try:
        yield _old_world()
    finally:
        _migrate()  # the next test finds the schema of today


def _old_world():
    # from today's schema back, whatever the previous test left: the old world is the one
    # the hand-over's backward step makes (a database already at BEFORE would keep the
    # circulars.* types the flush after the previous test created)
    _migrate()
    old = _migrate(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    types = {
        model: ContentType.objects.get_or_create(app_label="members", model=model)[0]
        for model in MODELS
    }
    assert not ContentType.objects.filter(app_label="circulars").exists()
    User = old.get_model("members", "User")
    coordinator = User.objects.create(email="koordination@example.org", is_staff=True)
    municipality = old.get_model("members", "Municipality").objects.create(
        name="Trier", slug="trier", kind="kreisfreie_stadt", ags="07211000"
    )
    contact = old.get_model("members", "Contact").objects.create(
        municipality=municipality, first_name="Tom", last_name="B", email="tom@trier.example"
    )
    topic = old.get_model("members", "Topic").objects.create(name="Open Data", slug="open-data")
    circular = old.get_model("members", "Circular").objects.create(
        subject="Workshop in Ingelheim",
        body="Hallo",
        audience="topic",
        question="Kommen Sie?",
        answer_choices="yes_no_maybe",
        status="sent",
        sent_at=timezone.now(),
        created_by=coordinator,
    )
    circular.topics.add(topic)
    circular.contacts.add(contact)
    old.get_model("members", "CircularRecipient").objects.create(
        circular=circular, contact=contact, answer="yes", comment="Gern"
    )
    old.get_model("members", "CircularAttachment").objects.create(
        circular=circular, file="circulars/abc.pdf", original_name="Programm.pdf"
    )
    Permission = old.get_model("auth", "Permission")
    change, _created = Permission.objects.get_or_create(
        content_type=types["circular"], codename="change_circular", defaults={"name": "Can change"}
    )
    group = old.get_model("auth", "Group").objects.create(name="Koordination")
    group.permissions.add(change)
    old.get_model("admin", "LogEntry").objects.create(
        user_id=coordinator.pk,
        content_type=types["circular"],
        object_id=str(circular.pk),
        object_repr="Workshop in Ingelheim",
        action_flag=2,
        action_time=timezone.now(),
    )
    old.get_model("ikone", "AuditEntry").objects.create(
        actor=coordinator,
        action="action",
        content_type=types["circularrecipient"],
        object_id="1",
        message="sent to 1 recipients",
    )
    return {"types": {model: ct.pk for model, ct in types.items()}, "circular": circular.pk}


def test_rows_answers_and_topics_survive_the_move(old_world):
    new = _migrate()
    circular = new.get_model("circulars", "Circular").objects.get(pk=old_world["circular"])
    assert circular.subject == "Workshop in Ingelheim"
    assert [t.slug for t in circular.topics.all()] == ["open-data"]
    assert [c.email for c in circular.contacts.all()] == ["tom@trier.example"]
    recipient = circular.recipients.get()
    assert (recipient.answer, recipient.comment) == ("yes", "Gern")
    assert circular.attachments.get().original_name == "Programm.pdf"


def test_content_types_keep_their_ids_and_what_points_at_them(old_world):
    new = _migrate()
    ContentType = new.get_model("contenttypes", "ContentType")
    moved = {ct.model: ct.pk for ct in ContentType.objects.filter(model__in=MODELS)}
    assert moved == old_world["types"]
    assert set(
        ContentType.objects.filter(model__in=MODELS).values_list("app_label", flat=True)
    ) == {"circulars"}
    group = new.get_model("auth", "Group").objects.get(name="Koordination")
    assert [(p.content_type.app_label, p.codename) for p in group.permissions.all()] == [
        ("circulars", "change_circular")
    ]
    log = new.get_model("admin", "LogEntry").objects.get()
    assert (log.content_type.app_label, log.content_type.model) == ("circulars", "circular")
    entry = new.get_model("ikone", "AuditEntry").objects.get()
    assert entry.content_type.app_label == "circulars"


def test_the_live_models_find_the_moved_types(old_world):
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from circulars.models import Circular

    _migrate()
    assert ContentType.objects.get_for_model(Circular).pk == old_world["types"]["circular"]
    group = Group.objects.get(name="Koordination")
    assert group.permissions.get().content_type == ContentType.objects.get_for_model(Circular)


def test_a_type_created_meanwhile_is_merged_into_the_old_one(old_world):
    """After migrating back with today's code, post_migrate creates circulars.* types again."""
    old = _migrate(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    stale = ContentType.objects.create(app_label="circulars", model="circular")
    Permission.objects.create(content_type=stale, codename="change_circular", name="Can change")
    export = Permission.objects.create(content_type=stale, codename="export_circular", name="x")
    old.get_model("auth", "Group").objects.create(name="Export").permissions.add(export)
    new = _migrate()
    ContentType = new.get_model("contenttypes", "ContentType")
    kept = ContentType.objects.get(app_label="circulars", model="circular")
    assert kept.pk == old_world["types"]["circular"]
    permissions = new.get_model("auth", "Permission").objects.filter(content_type=kept)
    assert permissions.filter(codename="change_circular").count() == 1
    group = new.get_model("auth", "Group").objects.get(name="Export")
    assert [p.content_type_id for p in group.permissions.all()] == [kept.pk]


def test_back_again_the_types_return_to_members(old_world):
    _migrate()
    old = _migrate(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    back = {
        ct.model: ct.pk for ct in ContentType.objects.filter(app_label="members", model__in=MODELS)
    }
    assert back == old_world["types"]
    assert old.get_model("members", "CircularRecipient").objects.get().answer == "yes"
