"""Login throttling that cannot be turned against an account's owner (issue 10, item 10).

Failures count per account *and* client address, per client address, and per account with
a much higher ceiling; a refused attempt gets 429; the owner hears of an attack by mail, once
per episode.
"""

import pytest
from django.test import Client

from ikone.outbox.models import OutboundEmail
from tests.factories import MemberContactFactory, UserFactory

PASSWORD = "ein-langes-passwort-123"
LOGIN = "/konto/login/"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def attempt(email, password, ip, **extra):
    client = Client()
    response = client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip, **extra)
    return response, client


def fail(email, ip, times=1):
    return [attempt(email, "falsches-passwort", ip)[0].status_code for _ in range(times)]


def attack_mails(email):
    return OutboundEmail.objects.filter(to=email, reference="account:login_attack")


@pytest.mark.django_db
def test_attacker_is_refused_with_429_while_the_owner_elsewhere_still_logs_in():
    user = UserFactory()

    assert fail(user.email, ATTACKER, times=5) == [200] * 5
    blocked, blocked_client = attempt(user.email, PASSWORD, ATTACKER)  # even the right one
    owner, owner_client = attempt(user.email, PASSWORD, OWNER)

    assert blocked.status_code == 429
    assert "_auth_user_id" not in blocked_client.session
    assert owner.status_code == 302
    assert owner_client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_refused():
    users = UserFactory.create_batch(11)

    statuses = [fail(user.email, ATTACKER)[0] for user in users]

    assert statuses[:10] == [200] * 10  # "10/m/ip" over all accounts
    assert statuses[10] == 429
    assert attempt(users[10].email, PASSWORD, OWNER)[0].status_code == 302


@pytest.mark.django_db
def test_many_addresses_together_reach_the_ceiling_per_account(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "8/h/key",
    }
    user = UserFactory()
    for n in range(4):
        assert fail(user.email, f"203.0.113.{n + 1}", times=2) == [200, 200]

    assert fail(user.email, "203.0.113.99") == [429]
    assert attempt(user.email, PASSWORD, OWNER)[0].status_code == 429


@pytest.mark.django_db
def test_attempts_of_a_locked_out_client_do_not_use_up_the_ceiling(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "8/h/key",
    }
    user = UserFactory()

    assert fail(user.email, ATTACKER, times=10) == [200] * 5 + [429] * 5

    assert attempt(user.email, PASSWORD, OWNER)[0].status_code == 302


@pytest.mark.django_db
def test_successful_logins_do_not_count_as_failures():
    user = UserFactory()

    statuses = [attempt(user.email, PASSWORD, OWNER)[0].status_code for _ in range(7)]

    assert statuses == [302] * 7


@pytest.mark.django_db
def test_the_429_page_is_the_portals_translated_page():
    user = UserFactory()
    fail(user.email, ATTACKER, times=5)

    german = attempt(user.email, PASSWORD, ATTACKER, HTTP_ACCEPT_LANGUAGE="de")[0]
    english = attempt(user.email, PASSWORD, ATTACKER, HTTP_ACCEPT_LANGUAGE="en")[0]

    assert german.status_code == english.status_code == 429
    assert "Zu viele Versuche" in german.content.decode()
    assert "Too many attempts" in english.content.decode()
    assert 'href="/konto/password/reset/"' in german.content.decode()


@pytest.mark.django_db
def test_the_owner_gets_one_mail_per_attack_not_one_per_failure():
    contact = MemberContactFactory()
    email = contact.user.email

    fail(email, ATTACKER, times=4)
    assert not attack_mails(email).exists()  # a few typing errors are no attack
    fail(email, ATTACKER, times=3)  # the fifth failure locks the attacker's client out
    fail(email, "203.0.113.8", times=5)
    fail(email, "2001:db8:1:2::9", times=5)

    mail = attack_mails(email).get()
    assert mail.subject == "[IKONE DS] Fehlgeschlagene Anmeldungen bei Ihrem Konto"
    assert "5-mal" in mail.body_text
    assert "203.0.113.0/24" in mail.body_text
    assert "ein-langes-passwort" not in mail.body_text
    assert "/konto/password/reset/" in mail.body_text


@pytest.mark.django_db
def test_the_attack_mail_is_in_the_owners_language():
    contact = MemberContactFactory(language="en")
    email = contact.user.email

    fail(email, "2001:db8:1:2::9", times=5)

    mail = attack_mails(email).get()
    assert mail.subject == "[IKONE DS] Failed logins to your account"
    assert "a wrong password 5 times" in mail.body_text
    assert "2001:db8:1::/48" in mail.body_text
    assert "If that was you, there is nothing to do." in mail.body_text


@pytest.mark.django_db
def test_failures_on_an_unknown_address_send_no_mail():
    fail("niemand@example.org", ATTACKER, times=6)

    assert not OutboundEmail.objects.filter(reference="account:login_attack").exists()


@pytest.mark.django_db
def test_a_password_reset_lifts_the_ceiling_for_the_owner(settings):
    import re

    from allauth.account.models import EmailAddress

    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "4/h/key",
    }
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    fail(user.email, "203.0.113.1", times=2)
    fail(user.email, "203.0.113.2", times=2)
    assert attempt(user.email, PASSWORD, OWNER)[0].status_code == 429

    owner = Client(REMOTE_ADDR=OWNER)
    owner.post("/konto/password/reset/", {"email": user.email})
    mail = OutboundEmail.objects.get(to=user.email, reference="account:password_reset_key")
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+)", mail.body_text)[1]
    form_url = owner.get(link)["Location"]
    new = "Ein-neues-Passwort-2026"
    assert owner.post(form_url, {"password1": new, "password2": new}).status_code == 302

    assert attempt(user.email, new, OWNER)[0].status_code == 302
