"""Circular letters in the audit trail and in a person's data export and anonymisation."""

import json

import pytest

from circulars import selectors
from circulars.models import Circular, CircularRecipient
from circulars.services import answers as answer_services
from circulars.services import sending as sending_services
from ikone.audit import AuditAction, acting
from ikone.models import AuditEntry
from ikone.privacy import Subject, anonymise_subject, export_subject
from tests.circulars.factories import CircularFactory, QuestionCircularFactory
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.field_history import field_changes

pytestmark = pytest.mark.django_db

COMMENT = "Ich komme mit Greta Geheimnisvoll aus dem Bauamt."


@pytest.fixture
def answered():
    contact = MemberContactFactory(
        first_name="Greta", last_name="Geheimnisvoll", email="greta@kaiserslautern.example"
    )
    other = MemberContactFactory()
    circular = sending_services.send_circular(
        circular=QuestionCircularFactory(), by=CoordinatorFactory()
    )
    recipient = CircularRecipient.objects.get(circular=circular, contact=contact)
    answer_services.answer_circular(recipient=recipient, answer="yes", comment=COMMENT)
    answer_services.answer_circular(
        recipient=CircularRecipient.objects.get(circular=circular, contact=other), answer="no"
    )
    return contact, circular


def test_sending_a_circular_is_recorded_with_the_number_of_recipients():
    MemberContactFactory.create_batch(2)
    coordinator = CoordinatorFactory()

    circular = sending_services.send_circular(circular=CircularFactory(), by=coordinator)

    entry = AuditEntry.objects.get(action=AuditAction.CIRCULAR_SENT, object_id=str(circular.pk))
    assert entry.actor == coordinator
    assert entry.changes == {"recipients": 2}


def test_a_coordinator_changing_a_circular_leaves_old_and_new_subject():
    circular = CircularFactory(subject="Alt")
    coordinator = CoordinatorFactory()

    with acting(coordinator):
        circular.subject = "Neu"
        circular.save()

    entry = field_changes(circular).get()
    assert entry.changes["subject"] == ["Alt", "Neu"]
    assert entry.actor == coordinator


def test_export_lists_received_circulars_with_answer_and_comment(answered):
    contact, circular = answered

    data = export_subject(Subject.for_contact(contact))

    received = data["circulars"]["circulars_received"]
    assert received == [
        {
            "subject": circular.subject,
            "sent": circular.sent_at.isoformat(),
            "question": circular.question,
            "answer": "Yes",
            "comment": COMMENT,
            "answered": received[0]["answered"],
        }
    ]
    json.dumps(data)  # JSON-able


def test_anonymisation_deletes_the_comment_and_keeps_the_answer_counts(answered):
    contact, circular = answered
    before = selectors.answer_counts(circular=circular)

    anonymise_subject(Subject.for_contact(contact), by=CoordinatorFactory())

    receipt = CircularRecipient.objects.get(circular=circular, contact=contact)
    assert receipt.comment == ""
    assert receipt.answer == "yes"
    assert selectors.answer_counts(circular=circular) == before
    stored = json.dumps(list(CircularRecipient.objects.values()), default=str)
    assert "Geheimnisvoll" not in stored
    assert Circular.objects.filter(pk=circular.pk).exists()
