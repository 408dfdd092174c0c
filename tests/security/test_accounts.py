"""Accounts against OWASP ASVS 4.0.3 level 2: what an attacker or a careless user runs into."""

import logging
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ikone.outbox.models import OutboundEmail
from ikone.security import SESSION_SEEN, SESSION_STARTED
from tests.factories import CoordinatorFactory, MemberContactFactory, UserFactory
from tests.totp import TOTP_SECRET, current_code

PASSWORD = "ein-langes-passwort-123"
LOGIN = "/konto/login/"


def login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password, **extra})


# --- Passwords ------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["kurz-1234A", "password1234", "123456789012345"])
def test_short_common_and_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_long_uncommon_password_is_accepted():
    validate_password("Rheinland-Pfalz-digital-2026")


# --- Login throttling and the admin entrance ----------------------------------------------


@pytest.mark.django_db
def test_too_many_login_attempts_from_one_address_end_in_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "5/m/ip"}
    user = UserFactory()
    statuses = [login(client, user.email, "falsches-passwort").status_code for _ in range(6)]

    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429


@pytest.mark.django_db
def test_after_five_wrong_passwords_even_the_right_one_is_refused(client):
    user = UserFactory()
    for _ in range(5):
        login(client, user.email, "falsches-passwort")

    response = login(client, user.email)

    # From the same address: refused with 429 (tests/security/test_lockout.py: another
    # address still gets in).
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_proxy_count_makes_rate_limits_use_the_forwarded_client_address(settings, rf):
    from allauth.account.adapter import get_adapter

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.2")

    assert get_adapter(request).get_client_ip(request) == "203.0.113.7"


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_next_parameter_never_leads_off_site(client):
    user = UserFactory()
    response = login(client, user.email, next="https://evil.example/phish")

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# --- Second factor --------------------------------------------------------------------------


@pytest.fixture
def coordinator_with_totp(db):
    user = CoordinatorFactory()
    TOTP.activate(user, TOTP_SECRET)
    return user


def totp_login(client, user, code):
    response = login(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_totp_code_logs_a_coordinator_in(client, coordinator_with_totp):
    response = totp_login(client, coordinator_with_totp, current_code())

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_totp_code_is_accepted_only_once(client, coordinator_with_totp):
    code = current_code()
    totp_login(client, coordinator_with_totp, code)
    client.post(reverse("account_logout"))

    other = Client()
    response = totp_login(other, coordinator_with_totp, code)

    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in other.session
    assert other.get("/admin/").status_code == 302


def test_a_code_used_twice_says_so_and_a_wrong_one_says_wrong(client, coordinator_with_totp):
    code = current_code()
    totp_login(client, coordinator_with_totp, code)
    client.post(reverse("account_logout"))

    again = Client(HTTP_ACCEPT_LANGUAGE="de")
    page = totp_login(again, coordinator_with_totp, code).content.decode()
    assert "Dieser Code wurde gerade verwendet" in page

    wrong = Client(HTTP_ACCEPT_LANGUAGE="de")
    wrong_code = f"{(int(code) + 1) % 1_000_000:06d}"
    page = totp_login(wrong, coordinator_with_totp, wrong_code).content.decode()
    assert "Dieser Code wurde gerade verwendet" not in page
    assert "Falscher Code" in page


def test_staff_without_totp_are_sent_to_set_it_up_before_the_admin(client, settings, db):
    settings.IKONE_STAFF_REQUIRE_MFA = True
    client.force_login(CoordinatorFactory())

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_totp_reach_the_admin(client, settings, coordinator_with_totp):
    settings.IKONE_STAFF_REQUIRE_MFA = True
    client.force_login(coordinator_with_totp)

    assert client.get("/admin/").status_code == 200
    assert Authenticator.objects.filter(user=coordinator_with_totp).count() == 1


# --- Sessions -------------------------------------------------------------------------------


def age_session(client, *, started_ago, seen_ago):
    session = client.session
    now = time.time()
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_SEEN] = now - seen_ago
    session.save()


@pytest.mark.django_db
def test_session_ends_after_30_idle_minutes(client):
    client.force_login(MemberContactFactory().user)
    age_session(client, started_ago=40 * 60, seen_ago=31 * 60)

    response = client.get(reverse("members:area"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_session_ends_after_12_hours_even_when_active(client):
    client.force_login(MemberContactFactory().user)
    age_session(client, started_ago=12 * 3600 + 60, seen_ago=10)

    assert client.get(reverse("members:area")).status_code == 302


@pytest.mark.django_db
def test_active_session_within_limits_stays_logged_in(client):
    client.force_login(MemberContactFactory().user)
    age_session(client, started_ago=11 * 3600, seen_ago=29 * 60)

    assert client.get(reverse("members:area")).status_code == 200


@pytest.mark.django_db
def test_logout_by_get_does_not_log_out(client):
    client.force_login(MemberContactFactory().user)

    client.get(reverse("account_logout"))

    assert client.get(reverse("members:area")).status_code == 200


@pytest.mark.django_db
def test_logout_by_post_logs_out(client):
    client.force_login(MemberContactFactory().user)

    client.post(reverse("account_logout"))

    assert client.get(reverse("members:area")).status_code == 302


@pytest.mark.django_db
def test_password_change_ends_other_sessions_and_mails_the_user(
    django_capture_on_commit_callbacks,
):
    user = MemberContactFactory().user
    here, elsewhere = Client(), Client()
    login(here, user.email)
    login(elsewhere, user.email)

    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "Neues-Passwort-fuer-2026",
                "password2": "Neues-Passwort-fuer-2026",
            },
        )

    assert response.status_code == 302
    assert here.get(reverse("members:area")).status_code == 200
    assert elsewhere.get(reverse("members:area")).status_code == 302
    mail = OutboundEmail.objects.get(to=user.email)
    assert mail.reference == "account:password_changed"


# --- Security log ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_failed_login_is_logged_without_the_password(client, caplog):
    user = UserFactory()
    with caplog.at_level(logging.INFO, logger="ikone.security"):
        login(client, user.email, "geheim-und-falsch-99")

    assert "login failed" in caplog.text
    assert "geheim-und-falsch-99" not in caplog.text


@pytest.mark.django_db
def test_successful_login_is_logged_without_the_password(client, caplog):
    user = UserFactory()
    with caplog.at_level(logging.INFO, logger="ikone.security"):
        login(client, user.email)

    assert f"login succeeded: user={user.pk}" in caplog.text
    assert PASSWORD not in caplog.text


@pytest.mark.django_db
def test_permission_denial_is_logged(client, caplog):
    client.force_login(UserFactory())  # a login without contact: no member
    with caplog.at_level(logging.INFO, logger="ikone.security"):
        response = client.get(reverse("members:directory"))

    assert response.status_code == 403
    assert "permission denied" in caplog.text
    assert "/bereich/kontakte/" in caplog.text


@pytest.mark.django_db
def test_setting_up_a_second_factor_asks_for_the_password_again(client):
    client.force_login(MemberContactFactory().user)  # no recent password entry

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
