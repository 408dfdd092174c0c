"""Login, logout and password reset through django-allauth, with mail via the outbox."""

import re

import pytest

from ikone.outbox.models import OutboundEmail
from tests.factories import MemberContactFactory

pytestmark = pytest.mark.django_db

OLD = "ein-langes-passwort-123"
NEW = "Neues-Passwort-Pfalz-7"


def test_member_logs_in_with_email_and_lands_in_their_area(client):
    contact = MemberContactFactory(email="lena@kl.example")
    response = client.post("/konto/login/", {"login": "LENA@kl.example", "password": OLD})
    assert response.status_code == 302
    assert response["Location"] == "/bereich/"
    assert client.get("/bereich/").context["contact"] == contact


def test_a_coordinator_lands_on_the_cockpit_unless_a_next_page_was_asked_for(client):
    from tests.factories import CoordinatorFactory

    coordinator = CoordinatorFactory(email="team@ikone.example")
    coordinator.set_password(OLD)
    coordinator.save()
    response = client.post("/konto/login/", {"login": "team@ikone.example", "password": OLD})
    assert response["Location"] == "/admin/"
    client.logout()
    response = client.post(
        "/konto/login/?next=/treffen/", {"login": "team@ikone.example", "password": OLD}
    )
    assert response["Location"] == "/treffen/"


def test_wrong_password_keeps_the_address_and_says_why(client):
    MemberContactFactory(email="lena@kl.example")
    response = client.post(
        "/konto/login/",
        {"login": "lena@kl.example", "password": "falsch"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert 'value="lena@kl.example"' in response.content.decode()
    assert "sind leider falsch" in response.content.decode()


def test_forgotten_password_mail_goes_through_the_outbox_and_its_link_works(client):
    contact = MemberContactFactory(email="lena@kl.example")
    response = client.post("/konto/password/reset/", {"email": "lena@kl.example"})
    assert response.status_code == 302

    mail = OutboundEmail.objects.get(to="lena@kl.example")
    assert mail.reference == "account:password_reset_key"
    assert mail.subject.startswith("[IKONE DS]")
    path = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", mail.body_text).group(1)

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": NEW, "password2": NEW},
    )
    contact.user.refresh_from_db()
    assert contact.user.check_password(NEW)


def test_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post("/konto/password/reset/", {"email": "fremd@example.org"})
    assert response.status_code == 302
    assert not OutboundEmail.objects.filter(to="fremd@example.org", reference__contains="key")


def test_logout_is_a_post(client):
    contact = MemberContactFactory()
    client.force_login(contact.user)
    assert client.get("/konto/logout/").status_code == 200  # a confirmation page
    assert client.get("/bereich/").status_code == 200
    client.post("/konto/logout/")
    assert client.get("/bereich/").status_code == 302


def test_email_management_page_points_to_the_coordination_team(client):
    client.force_login(MemberContactFactory().user)
    response = client.get("/konto/email/", follow=True, HTTP_ACCEPT_LANGUAGE="de")
    assert response.redirect_chain[-1][0] == "/bereich/profil/"
    assert "wenden Sie sich bitte an das Koordinationsteam" in response.content.decode()


def test_account_pages_use_the_portal_layout(client):
    client.force_login(MemberContactFactory().user)
    content = client.get("/konto/password/change/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "skip-link" in content
    assert "form-control" in content  # fields rendered with Bootstrap
    assert "Zwei-Faktor-Authentifizierung" in content  # the account navigation
