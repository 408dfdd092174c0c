"""The audit trail: coordinator changes, including bulk updates, are visible in the admin."""

import pytest
from django.urls import reverse

from ikone.audit import acting
from ikone.models import AuditEntry
from members.models import Contact, Municipality
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_coordinator_edit_in_the_admin_is_recorded_with_old_and_new_value(client):
    coordinator = CoordinatorFactory()
    municipality = MunicipalityFactory(name="Kaiserslautern", head_of_administration="Alt")
    client.force_login(coordinator)
    url = reverse("admin:members_municipality_change", args=[municipality.pk])
    data = {
        "name": municipality.name,
        "slug": municipality.slug,
        "kind": municipality.kind,
        "district": municipality.district,
        "ags": municipality.ags,
        "head_of_administration": "Neu",
        "member_since": municipality.member_since.isoformat(),
        "status": municipality.status,
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
        "visits-TOTAL_FORMS": 0,
        "visits-INITIAL_FORMS": 0,
    }

    client.post(url, data)

    entry = AuditEntry.objects.get(action="update", object_id=str(municipality.pk))
    assert entry.actor == coordinator
    assert entry.changes["head_of_administration"] == ["Alt", "Neu"]


def test_bulk_update_by_a_coordinator_leaves_one_entry_per_row():
    coordinator = CoordinatorFactory()
    contacts = [MemberContactFactory(), MemberContactFactory()]

    with acting(coordinator):
        Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(is_active=False)

    entries = AuditEntry.objects.filter(action="bulk_update")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        str(c.pk) for c in contacts
    )
    assert entries[0].changes == {"is_active": [True, False]}
    assert entries[0].actor_repr == coordinator.email


def test_deletes_by_a_coordinator_are_recorded():
    municipality = MunicipalityFactory(name="Weg")
    with acting(CoordinatorFactory()):
        municipality.delete()

    assert AuditEntry.objects.filter(action="delete", object_repr="Weg").exists()


def test_changes_by_members_and_background_jobs_are_not_coordinator_actions():
    contact = MemberContactFactory()
    with acting(contact.user):
        Municipality.objects.filter(pk=contact.municipality.pk).update(description="x")
    contact.municipality.save()

    assert not AuditEntry.objects.exists()


def test_passwords_never_enter_the_trail():
    coordinator = CoordinatorFactory()
    user = MemberContactFactory().user
    with acting(coordinator):
        user.set_password("Neues-geheimes-Passwort-1")
        user.save()
        type(user).objects.filter(pk=user.pk).update(password="x", first_name="Anna")

    text = str(list(AuditEntry.objects.values("changes")))
    assert "password" not in text
    assert "Anna" in text


def test_audit_trail_is_visible_and_read_only_in_the_admin(client):
    coordinator = CoordinatorFactory()
    with acting(coordinator):
        MunicipalityFactory(name="Speyer")
    client.force_login(coordinator)

    response = client.get(reverse("admin:ikone_auditentry_changelist"))

    assert response.status_code == 200
    assert "Speyer" in response.content.decode()
    assert client.get(reverse("admin:ikone_auditentry_add")).status_code == 403


def test_many_to_many_changes_are_recorded():
    coordinator = CoordinatorFactory()
    municipality = MunicipalityFactory()
    topic = TopicFactory()

    with acting(coordinator):
        municipality.topics.add(topic)

    entry = AuditEntry.objects.get(action="update", object_id=str(municipality.pk))
    assert entry.changes == {"topics": {"added": [topic.pk]}}
