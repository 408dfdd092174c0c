"""Membership applications: submit, approve, reject, and the rules for the AGS."""

import pytest
from django.utils import translation

from ikone.outbox.models import OutboundEmail
from members import services
from members.models import Contact, MembershipApplication, Municipality
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MembershipApplicationFactory,
    MunicipalityFactory,
)

from .helpers import application_data, pdf_upload

pytestmark = pytest.mark.django_db


def submit(**overrides):
    return services.submit_application(letter=pdf_upload(), **application_data(**overrides))


def test_submitted_application_is_pending_with_consent_time_and_letter():
    application = submit()
    assert application.status == MembershipApplication.Status.PENDING
    assert application.privacy_consent_at is not None
    assert application.letter.read().startswith(b"%PDF-")


def test_submitting_confirms_to_the_applicant_and_tells_each_coordinator():
    coordinators = CoordinatorFactory.create_batch(2)
    application = submit()
    recipients = set(
        OutboundEmail.objects.filter(reference=f"application:{application.pk}").values_list(
            "to", flat=True
        )
    )
    assert recipients == {"clara.neu@neustadt.example", *(c.email for c in coordinators)}


@pytest.mark.parametrize("ags", ["0731600", "073160001", "0731600a", ""])
def test_ags_must_have_exactly_eight_digits(ags):
    with pytest.raises(services.MembershipError) as error:
        submit(ags=ags)
    assert error.value.field == "ags"
    assert "8" in str(error.value)
    assert not MembershipApplication.objects.exists()


def test_ags_from_another_state_is_refused():
    with pytest.raises(services.MembershipError, match="07"):
        submit(ags="08111000")  # Stuttgart


def test_ags_of_a_member_municipality_is_refused():
    MunicipalityFactory(ags="07316000")
    with pytest.raises(services.MembershipError, match="already belongs"):
        submit()


def test_second_pending_application_for_the_same_ags_is_refused():
    submit()
    with pytest.raises(services.MembershipError, match="already being processed"):
        submit(contact_email="other@neustadt.example")
    assert MembershipApplication.objects.count() == 1


def test_ags_errors_are_translated_to_german():
    with translation.override("de"), pytest.raises(services.MembershipError) as error:
        submit(ags="123")
    assert str(error.value) == "Der Amtliche Gemeindeschlüssel (AGS) besteht aus genau 8 Ziffern."


def test_approval_creates_municipality_and_primary_contact():
    coordinator = CoordinatorFactory()
    application = MembershipApplicationFactory(ags="07316000", municipality_name="Neustadt")
    municipality = services.approve_application(application=application, by=coordinator)

    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.decided_by == coordinator
    assert application.municipality == municipality
    assert municipality.is_member and municipality.ags == "07316000"
    contact = municipality.contacts.get()
    assert contact.email == application.contact_email
    assert contact.is_primary


def test_approval_invites_the_new_contact():
    application = MembershipApplicationFactory()
    municipality = services.approve_application(application=application, by=CoordinatorFactory())
    contact = municipality.contacts.get()
    mail = OutboundEmail.objects.get(reference=f"invitation:{contact.pk}")
    assert mail.to == application.contact_email
    assert "/einladung/" in mail.body_text


def test_approval_slug_avoids_an_existing_one():
    MunicipalityFactory(name="Neustadt", slug="neustadt")
    application = MembershipApplicationFactory(municipality_name="Neustadt")
    municipality = services.approve_application(application=application, by=CoordinatorFactory())
    assert municipality.slug == "neustadt-2"


def test_approval_refuses_duplicate_contact_email_and_changes_nothing():
    ContactFactory(email="clara@example.org")
    application = MembershipApplicationFactory(contact_email="clara@example.org")
    with pytest.raises(services.MembershipError, match="clara@example.org"):
        services.approve_application(application=application, by=CoordinatorFactory())
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING
    assert not Municipality.objects.filter(ags=application.ags).exists()


def test_approval_refuses_when_the_ags_became_a_member_meanwhile():
    application = MembershipApplicationFactory(ags="07316000")
    MunicipalityFactory(ags="07316000")
    with pytest.raises(services.MembershipError, match="already belongs"):
        services.approve_application(application=application, by=CoordinatorFactory())


def test_decided_application_cannot_be_decided_again():
    coordinator = CoordinatorFactory()
    application = MembershipApplicationFactory()
    services.reject_application(application=application, by=coordinator, reason="Nicht in RLP")
    with pytest.raises(services.MembershipError, match="already been decided"):
        services.approve_application(application=application, by=coordinator)
    assert not Contact.objects.exists()


def test_rejection_stores_and_mails_the_reason():
    application = MembershipApplicationFactory()
    services.reject_application(
        application=application, by=CoordinatorFactory(), reason="Bitte den Antrag unterschreiben."
    )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED
    assert application.rejection_reason == "Bitte den Antrag unterschreiben."
    mail = OutboundEmail.objects.get(to=application.contact_email)
    assert "Bitte den Antrag unterschreiben." in mail.body_text


def test_rejection_needs_a_reason():
    application = MembershipApplicationFactory()
    with pytest.raises(services.MembershipError) as error:
        services.reject_application(application=application, by=CoordinatorFactory(), reason=" ")
    assert error.value.field == "reason"
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING
