"""The audit trail: coordinator changes are visible in the admin (field history from
django-auditlog, domain actions from ikone.audit); no part of Django is replaced for it."""

import pytest
from auditlog.models import LogEntry
from django.db.models import query
from django.urls import reverse

from ikone.audit import AuditAction, acting
from ikone.models import AuditEntry
from members import services as member_services
from members.models import Contact, Municipality
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)
from tests.field_history import field_changes

pytestmark = pytest.mark.django_db


def _municipality_form(municipality, **changes):
    return {
        "name": municipality.name,
        "slug": municipality.slug,
        "kind": municipality.kind,
        "district": municipality.district,
        "ags": municipality.ags,
        "head_of_administration": municipality.head_of_administration,
        "member_since": municipality.member_since.isoformat(),
        "status": municipality.status,
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
        "visits-TOTAL_FORMS": 0,
        "visits-INITIAL_FORMS": 0,
        **changes,
    }


def test_queryset_update_is_djangos_own_function():
    """No monkeypatch: the audit trail does not replace ``QuerySet.update``."""
    update = query.QuerySet.update
    assert update.__module__ == "django.db.models.query"
    assert update.__qualname__ == "QuerySet.update"
    assert update.__code__.co_filename == query.__file__


def test_coordinator_edit_in_the_admin_is_recorded_with_old_and_new_value(client):
    coordinator = CoordinatorFactory()
    municipality = MunicipalityFactory(name="Kaiserslautern", head_of_administration="Alt")
    client.force_login(coordinator)
    url = reverse("admin:members_municipality_change", args=[municipality.pk])

    client.post(url, _municipality_form(municipality, head_of_administration="Neu"))

    entry = field_changes(municipality).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == coordinator
    assert entry.actor_email == coordinator.email
    assert entry.changes["head_of_administration"] == ["Alt", "Neu"]
    assert entry.remote_addr is None


def test_the_history_page_of_an_object_shows_its_field_history_and_actions(client):
    coordinator = CoordinatorFactory()
    municipality = MunicipalityFactory(name="Kaiserslautern", head_of_administration="Alt")
    client.force_login(coordinator)
    client.post(
        reverse("admin:members_municipality_change", args=[municipality.pk]),
        _municipality_form(municipality, head_of_administration="Neu"),
    )
    with acting(coordinator):
        AuditEntry.objects.create(
            actor=coordinator,
            actor_repr=coordinator.email,
            action=AuditAction.CONTACT_INVITED,
            content_type_id=field_changes(municipality).get().content_type_id,
            object_id=str(municipality.pk),
        )

    page = client.get(
        reverse("admin:members_municipality_history", args=[municipality.pk])
    ).content.decode()

    history = page[page.index('id="field-history"') : page.index('id="audit-actions"')]
    assert "head_of_administration" in history
    assert "Alt → Neu" in history
    assert coordinator.email in history
    actions = page[page.index('id="audit-actions"') :]
    assert str(AuditAction.CONTACT_INVITED.label) in actions


def test_a_bulk_admin_action_is_recorded_through_the_services_record(client):
    """Admin actions call services; the service records each row's domain action."""
    coordinator = CoordinatorFactory()
    contacts = [ContactFactory(), ContactFactory()]
    client.force_login(coordinator)

    client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "invite", "_selected_action": [c.pk for c in contacts]},
    )

    entries = AuditEntry.objects.filter(action=AuditAction.CONTACT_INVITED)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        str(c.pk) for c in contacts
    )
    assert {e.actor_repr for e in entries} == {coordinator.email}


def test_a_plain_update_leaves_no_field_history():
    """``update()`` is Django's own: a service that uses it records its action itself."""
    coordinator = CoordinatorFactory()
    contact = MemberContactFactory()

    with acting(coordinator):
        Contact.objects.filter(pk=contact.pk).update(is_active=False)

    assert not LogEntry.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_creation_records_the_records_own_fields():
    coordinator = CoordinatorFactory()
    with acting(coordinator):
        municipality = MunicipalityFactory(name="Neustadt")

    changes = field_changes(municipality).get(action=LogEntry.Action.CREATE).changes
    assert changes["name"] == ["None", "Neustadt"]
    assert "contacts" not in changes  # the other side of Contact.municipality


def test_deletes_by_a_coordinator_are_recorded():
    municipality = MunicipalityFactory(name="Weg")
    coordinator = CoordinatorFactory()
    with acting(coordinator):
        municipality.delete()

    entry = LogEntry.objects.get(action=LogEntry.Action.DELETE, object_repr="Weg")
    assert entry.actor == coordinator


def test_changes_by_members_and_background_jobs_are_not_coordinator_actions():
    contact = MemberContactFactory()
    with acting(contact.user):
        contact.municipality.description = "von der Gemeinde"
        contact.municipality.save()
        Municipality.objects.filter(pk=contact.municipality.pk).update(description="x")
        contact.municipality.topics.add(TopicFactory())
    contact.municipality.save()  # no one acting: a task, a command
    contact.municipality.topics.add(TopicFactory())

    assert not LogEntry.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_members_own_edit_in_the_portal_is_not_recorded(client):
    contact = MemberContactFactory(first_name="Alt")
    client.force_login(contact.user)

    member_services.update_profile(contact=contact, by=contact.user, first_name="Neu")

    contact.user.refresh_from_db()
    assert contact.user.first_name == "Neu"
    assert not LogEntry.objects.exists()


def test_a_coordinators_own_name_change_is_field_history_of_their_login():
    coordinator = CoordinatorFactory(first_name="Alt")
    contact = MemberContactFactory(user=coordinator, first_name="Alt")

    with acting(coordinator):
        member_services.update_profile(contact=contact, by=coordinator, first_name="Neu")

    assert field_changes(coordinator).get().changes["first_name"] == ["Alt", "Neu"]


def test_passwords_never_enter_the_trail():
    coordinator = CoordinatorFactory()
    user = MemberContactFactory().user
    with acting(coordinator):
        user.set_password("Neues-geheimes-Passwort-1")
        user.save()
        user.first_name = "Anna"
        user.save()

    text = str(list(LogEntry.objects.values("changes", "changes_text", "serialized_data")))
    assert "password" not in text
    assert "last_login" not in text
    assert "Anna" in text


def test_field_history_is_visible_and_read_only_in_the_admin(client):
    coordinator = CoordinatorFactory()
    with acting(coordinator):
        MunicipalityFactory(name="Speyer")
    client.force_login(coordinator)

    response = client.get(reverse("admin:auditlog_logentry_changelist"))

    assert response.status_code == 200
    assert "Speyer" in response.content.decode()
    entry = LogEntry.objects.get()
    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    detail = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert coordinator.email in detail.content.decode()
    assert (
        client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk])).status_code == 403
    )


def test_domain_actions_are_visible_and_read_only_in_the_admin(client):
    coordinator = CoordinatorFactory()
    with acting(coordinator):
        member_services.invite_contacts(contacts=Contact.objects.filter(pk=ContactFactory().pk))
    client.force_login(coordinator)

    response = client.get(reverse("admin:ikone_auditentry_changelist"))

    assert response.status_code == 200
    assert str(AuditAction.CONTACT_INVITED.label) in response.content.decode()
    assert client.get(reverse("admin:ikone_auditentry_add")).status_code == 403


def test_many_to_many_changes_are_recorded():
    coordinator = CoordinatorFactory()
    municipality = MunicipalityFactory()
    topic = TopicFactory()

    with acting(coordinator):
        municipality.topics.add(topic)

    entry = field_changes(municipality).get()
    assert entry.changes == {"topics": {"type": "m2m", "operation": "add", "objects": [str(topic)]}}
    assert entry.actor == coordinator


def test_a_nested_acting_gives_the_outer_actor_back():
    coordinator, other = CoordinatorFactory(), CoordinatorFactory()
    first, second = MunicipalityFactory(), MunicipalityFactory()

    with acting(coordinator):
        with acting(None):
            first.name = "Niemand"
            first.save()
        with acting(other):
            pass
        second.name = "Wieder die erste"
        second.save()

    assert not field_changes(first).exists()
    assert field_changes(second).get().actor == coordinator
