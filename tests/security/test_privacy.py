"""GDPR: a contact's data export, the deletion request and anonymisation by a coordinator."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse

from circulars.models import Circular
from ikone.audit import acting, record
from ikone.outbox.models import OutboundEmail
from ikone.outbox.services import queue_rendered
from ikone.privacy import Subject, anonymise_subject, covered_models, export_subject
from members.models import Contact
from tests.circulars.factories import CircularFactory
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MembershipApplicationFactory,
    TopicFactory,
)
from tests.field_history import field_changes
from tests.totp import TOTP_SECRET

EMAIL = "greta.geheim@kaiserslautern.example"
LAST_NAME = "Geheimnisvoll"


def personal_models():
    """Every model that refers to a user or contact person or holds an e-mail address."""
    people = (get_user_model(), Contact)
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            refers = field.is_relation and field.concrete and field.related_model in people
            if refers or isinstance(field, models.EmailField):
                yield model._meta.label
                break
    yield "sessions.Session"  # holds the user id inside its data


def test_every_model_with_personal_data_is_covered_by_a_privacy_module():
    covered = covered_models()

    missing = sorted(set(personal_models()) - covered.keys())

    assert not missing, f"add these models to COVERS in <app>/privacy.py: {missing}"


@pytest.fixture
def person(db, settings, tmp_path):
    """A member with traces everywhere the portal keeps personal data."""
    settings.MEDIA_ROOT = tmp_path
    contact = MemberContactFactory(
        email=EMAIL, first_name="Greta", last_name=LAST_NAME, phone="+49 631 11111"
    )
    user = contact.user
    user.first_name, user.last_name = "Greta", LAST_NAME
    user.save()
    contact.topics.add(TopicFactory())
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    TOTP.activate(user, TOTP_SECRET)
    queue_rendered(to=EMAIL, subject=f"Hallo Greta {LAST_NAME}", text=f"Liebe Greta {LAST_NAME}")
    application = MembershipApplicationFactory(
        contact_email=EMAIL, contact_first_name="Greta", contact_last_name=LAST_NAME
    )
    coordinator = CoordinatorFactory()
    circular = CircularFactory()
    with acting(coordinator):
        record(action="action", obj=contact, message="invited", changes={"email": [EMAIL, EMAIL]})
        # field history (django-auditlog): of the person's own record, and naming them elsewhere
        contact.phone = "+49 631 99999"
        contact.save()
        circular.contacts.add(contact)
    LogEntry.objects.log_actions(
        user_id=coordinator.pk, queryset=[contact], action_flag=CHANGE, change_message="changed"
    )
    client = Client()
    client.force_login(user)
    return {"contact": contact, "client": client, "application": application, "by": coordinator}


def test_export_holds_contact_login_mail_and_second_factors(person):
    data = export_subject(Subject.for_contact(person["contact"]))

    assert data["members"]["contact"]["email"] == EMAIL
    assert data["members"]["contact"]["phone"] == "+49 631 99999"
    assert data["members"]["login"]["last_name"] == LAST_NAME
    assert data["members"]["membership_applications"][0]["contact_email"] == EMAIL
    assert data["ikone"]["emails_sent_to_you"][0]["subject"].startswith("Hallo Greta")
    assert data["ikone"]["second_factors"][0]["type"] == "totp"
    assert "secret" not in json.dumps(data["ikone"]["second_factors"])
    own_changes = data["ikone"]["changes_to_your_records"]
    assert {
        "record": "contact",
        "changes": {"phone": ["+49 631 11111", "+49 631 99999"]},
    }.items() <= own_changes[-1].items()


def test_data_download_asks_for_the_password_again_after_a_while(person):
    response = person["client"].get(reverse("privacy_my_data_export"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_member_downloads_their_data_as_json_after_confirming_the_password(person):
    client = person["client"]
    client.post(reverse("account_reauthenticate"), {"password": "ein-langes-passwort-123"})

    response = client.get(reverse("privacy_my_data_export"))

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["members"]["contact"]["email"] == EMAIL


def test_member_can_ask_for_deletion_and_coordinators_are_told(
    person, django_capture_on_commit_callbacks
):
    response = person["client"].post(reverse("privacy_my_data_delete"))

    assert response.status_code == 302
    mail = OutboundEmail.objects.get(to=person["by"].email)
    assert EMAIL in mail.body_text


def all_stored_text() -> str:
    chunks = []
    for model in apps.get_models():
        for row in model._default_manager.all().values():
            chunks.append(json.dumps(row, default=str, ensure_ascii=False))
    return "\n".join(chunks)


def test_anonymisation_leaves_no_trace_of_name_or_address_anywhere(person):
    assert EMAIL in all_stored_text()

    anonymise_subject(Subject.for_contact(person["contact"]), by=person["by"])

    stored = all_stored_text()
    assert EMAIL not in stored
    assert LAST_NAME not in stored
    assert "+49 631 99999" not in stored
    assert "+49 631 11111" not in stored


def test_anonymisation_by_an_acting_coordinator_leaves_no_name_in_the_audit_trail(person):
    from ikone.models import AuditEntry

    with acting(person["by"]):
        anonymise_subject(Subject.for_contact(person["contact"]), by=person["by"])

    trail = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    assert LAST_NAME not in trail
    assert EMAIL not in trail


def test_anonymisation_keeps_the_field_history_without_the_persons_values(person):
    contact = person["contact"]
    assert field_changes(contact).exists()

    anonymise_subject(Subject.for_contact(contact), by=person["by"])

    own = field_changes(contact).get()
    assert own.changes == {"phone": ["[anonymised]", "[anonymised]"]}
    assert own.object_repr == "[anonymised]"
    assert own.actor == person["by"]
    elsewhere = field_changes(model=Circular).get()
    (named,) = elsewhere.changes["contacts"]["objects"]
    assert named.startswith("[anonymised]")
    assert "Greta" not in named


@pytest.mark.django_db
def test_anonymising_a_coordinator_removes_their_address_from_the_field_history():
    coordinator, other = CoordinatorFactory(), CoordinatorFactory()
    topic = TopicFactory(name="Alt")
    with acting(coordinator):
        topic.name = "Neu"
        topic.save()
    assert field_changes(topic).get().actor_email == coordinator.email

    anonymise_subject(Subject.for_user(coordinator), by=other)

    entry = field_changes(topic).get()
    assert coordinator.email not in str(entry.actor_email)
    assert entry.changes == {"name": ["Alt", "Neu"]}


def test_anonymisation_ends_sessions_and_logins(person):
    user = person["contact"].user
    anonymise_subject(Subject.for_contact(person["contact"]), by=person["by"])

    assert person["client"].get(reverse("members:area")).status_code == 302
    assert not Session.objects.exists()
    user.refresh_from_db()
    assert not user.is_active
    assert not user.has_usable_password()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()


def test_anonymisation_deletes_uploaded_files_and_keeps_the_records(person):
    letter = person["application"].letter
    assert letter.storage.exists(letter.name)
    contacts_before = Contact.objects.filter(municipality=person["contact"].municipality).count()

    anonymise_subject(Subject.for_contact(person["contact"]), by=person["by"])

    assert not letter.storage.exists(letter.name)
    # aggregates: the municipality keeps its (now inactive, nameless) contact
    assert (
        Contact.objects.filter(municipality=person["contact"].municipality).count()
        == contacts_before
    )
    assert OutboundEmail.objects.count() == 1


def test_coordinator_anonymises_a_contact_with_the_admin_action(person, client):
    client.force_login(person["by"])

    response = client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "anonymise_contacts", "_selected_action": [person["contact"].pk]},
    )

    assert response.status_code == 302
    person["contact"].refresh_from_db()
    assert person["contact"].email.endswith("@anonymised.invalid")
    assert not person["contact"].is_active


def test_scrub_replaces_addresses_and_names_in_any_letter_case():
    from ikone.privacy import scrub

    subject = Subject(emails={"greta@example.org"})

    assert scrub("Mail an Greta@Example.ORG bitte", subject) == "Mail an [anonymised] bitte"
