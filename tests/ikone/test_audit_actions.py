"""Typed audit entries: a domain action names its type, who did it and its data."""

import pytest
from django.utils import translation

from ikone.audit import AuditAction, record
from ikone.models import AuditEntry
from ikone.privacy import Subject, anonymise_subject
from tests.factories import ContactFactory, CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_typed_action_is_stored_with_its_type_actor_and_data():
    coordinator = CoordinatorFactory()
    contact = ContactFactory()
    record(action=AuditAction.CONTACT_INVITED, obj=contact, by=coordinator, data={"count": 1})
    entry = AuditEntry.objects.get(action="members.contact.invited")
    assert (entry.actor, entry.object_id, entry.changes) == (
        coordinator,
        str(contact.pk),
        {"count": 1},
    )
    with translation.override("de"):
        assert entry.get_action_display() == "zum Portal eingeladen"


def test_a_member_as_actor_leaves_no_entry():
    record(action=AuditAction.POST_PUBLISHED, obj=ContactFactory(), by=UserFactory())
    assert not AuditEntry.objects.exists()


def test_the_untyped_form_of_older_code_still_works():
    coordinator = CoordinatorFactory()
    record(action="action", obj=coordinator, message="sent", actor=coordinator)
    assert AuditEntry.objects.get().message == "sent"


def test_a_persons_name_in_an_actions_data_is_scrubbed_on_anonymisation():
    contact = ContactFactory(first_name="Erika", last_name="Mustermann")
    coordinator = CoordinatorFactory()
    record(
        action=AuditAction.POST_CHANGES_REQUESTED,
        obj=coordinator,
        by=coordinator,
        data={"comment": "Bitte an Erika Mustermann weiterleiten"},
    )
    anonymise_subject(Subject.for_contact(contact), by=coordinator)
    entry = AuditEntry.objects.get(action=AuditAction.POST_CHANGES_REQUESTED)
    assert entry.changes == {"comment": "Bitte an [anonymised] weiterleiten"}
