"""Invitations: a login without password, a one-time expiring link, the first password."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import translation

from ikone.outbox.models import OutboundEmail
from members import services
from members.tokens import InvitationTokenGenerator
from tests.factories import ContactFactory, MemberContactFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Weinberg-Pfalz-2026"
EXPIRED_DE = "Dieser Einladungslink ist abgelaufen oder wurde bereits verwendet."


def invitation_path(contact) -> str:
    mail = OutboundEmail.objects.filter(reference=f"invitation:{contact.pk}").latest("pk")
    return re.search(r"https?://[^/\s]+(/einladung/\S+/)", mail.body_text).group(1)


def test_invitation_creates_a_login_without_a_usable_password():
    contact = ContactFactory(email="Anna.Berg@Example.org")
    services.invite_contact(contact=contact)
    contact.refresh_from_db()
    assert contact.user.email == "anna.berg@example.org"
    assert not contact.user.has_usable_password()
    assert contact.invited_at is not None
    assert not contact.has_login


def test_invitation_mail_is_queued_in_the_outbox_with_the_link():
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    mail = OutboundEmail.objects.get(reference=f"invitation:{contact.pk}")
    assert mail.to == contact.email
    assert mail.status == OutboundEmail.Status.PENDING
    assert "/einladung/" in mail.body_text
    assert "/einladung/" in mail.body_html


def test_invitation_mail_is_written_in_the_contacts_language():
    contact = ContactFactory(language="en")
    services.invite_contact(contact=contact)
    mail = OutboundEmail.objects.get(reference=f"invitation:{contact.pk}")
    assert "invites you" in mail.body_text


def test_link_from_the_mail_sets_the_password_and_logs_in(client):
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    response = client.post(invitation_path(contact), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/bereich/"
    contact.refresh_from_db()
    assert contact.user.check_password(PASSWORD)
    assert client.get("/bereich/").status_code == 200


def test_accepting_marks_the_address_verified():
    from allauth.account.models import EmailAddress

    contact = ContactFactory()
    services.invite_contact(contact=contact)
    contact.refresh_from_db()
    token = invitation_path(contact).rstrip("/").rsplit("/", 1)[1]
    services.accept_invitation(user=contact.user, token=token, password=PASSWORD)
    assert EmailAddress.objects.get(user=contact.user).verified


def test_used_link_is_refused_with_a_translated_message(client):
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    path = invitation_path(contact)
    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert EXPIRED_DE in response.content.decode()
    second = client.post(path, {"password1": "Anderes-Passwort-99", "password2": "x"})
    assert second.status_code == 400
    contact.user.refresh_from_db()
    assert contact.user.check_password(PASSWORD)


def test_expired_link_is_refused(client, settings, monkeypatch):
    settings.IKONE_INVITATION_DAYS = 2
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    path = invitation_path(contact)
    later = datetime.now() + timedelta(days=2, minutes=1)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert EXPIRED_DE in response.content.decode()


def test_link_still_works_just_before_it_expires(client, settings, monkeypatch):
    settings.IKONE_INVITATION_DAYS = 2
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    path = invitation_path(contact)
    later = datetime.now() + timedelta(days=2, minutes=-5)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)
    assert client.get(path).status_code == 200


def test_new_invitation_invalidates_the_earlier_link(client):
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    first = invitation_path(contact)
    contact.refresh_from_db()
    # the contact never set a password, so the coordinator may invite again
    services.invite_contact(contact=contact)
    assert client.get(first).status_code == 400
    assert client.get(invitation_path(contact)).status_code == 200


def test_accept_service_refuses_a_used_token_in_german():
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    contact.refresh_from_db()
    token = invitation_path(contact).rstrip("/").rsplit("/", 1)[1]
    services.accept_invitation(user=contact.user, token=token, password=PASSWORD)
    with translation.override("de"), pytest.raises(services.MembershipError) as error:
        services.accept_invitation(user=contact.user, token=token, password="Noch-ein-Passwort-1")
    assert str(error.value).startswith(EXPIRED_DE)


def test_weak_or_mismatching_passwords_keep_the_form_open(client):
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    path = invitation_path(contact)
    short = client.post(path, {"password1": "kurz", "password2": "kurz"})
    assert short.status_code == 200
    assert short.context["form"].errors["password1"]
    mismatch = client.post(path, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert mismatch.context["form"].errors["password2"]
    contact.refresh_from_db()
    assert not contact.user.has_usable_password()


def test_link_lives_as_long_as_the_setting_says_not_djangos_three_days(
    client, settings, monkeypatch
):
    settings.IKONE_INVITATION_DAYS = 14
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    contact = ContactFactory()
    services.invite_contact(contact=contact)
    path = invitation_path(contact)
    later = datetime.now() + timedelta(days=13)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)
    assert client.get(path).status_code == 200


def test_garbage_link_is_refused(client):
    assert client.get("/einladung/xyz/abc-def/").status_code == 400


def test_contact_with_a_login_is_not_invited_again():
    contact = MemberContactFactory()
    with pytest.raises(services.MembershipError, match="already has a login"):
        services.invite_contact(contact=contact)
    assert not OutboundEmail.objects.exists()


def test_inactive_contact_is_not_invited():
    contact = ContactFactory(is_active=False)
    with pytest.raises(services.MembershipError, match="not active"):
        services.invite_contact(contact=contact)


def test_address_of_another_contacts_login_is_refused():
    other = MemberContactFactory(email="doppelt@example.org")
    contact = ContactFactory(email="einzeln@example.org")
    contact.email = "DOPPELT@example.org"  # as if an admin typed it; the constraint is in the DB
    with pytest.raises(services.MembershipError, match="another login"):
        services.invite_contact(contact=contact)
    other.user.refresh_from_db()
    assert other.user.has_usable_password()


def test_invite_several_reports_who_was_not_invited():
    fresh = ContactFactory.create_batch(2)
    member = MemberContactFactory()
    invited, problems = services.invite_contacts(contacts=[*fresh, member])
    assert invited == 2
    assert len(problems) == 1 and member.full_name in problems[0]


def test_existing_user_without_contact_is_reused():
    user = UserFactory(email="vorhanden@example.org")
    contact = ContactFactory(email="vorhanden@example.org")
    services.invite_contact(contact=contact)
    contact.refresh_from_db()
    assert contact.user == user
