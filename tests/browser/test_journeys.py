"""A day per role in Chromium, by keyboard where a person would type.

Phase 2 extends each journey with the activity apps (news, Stammtisch, surveys, circulars).
"""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from ikone.outbox.models import OutboundEmail
from members.models import MembershipApplication, Municipality
from tests.browser.privacy import RequestRecorder, log_in
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MembershipApplicationFactory,
    MunicipalityFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "ein-langes-passwort-123"


def type_into(page, selector, text):
    page.focus(selector)
    page.keyboard.type(text)


def test_visitor_reads_the_members_and_applies_for_membership(
    page, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    letter = tmp_path / "antrag.pdf"
    letter.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    recorder = RequestRecorder(page)

    page.goto(live_server.url + "/")
    page.focus('#mainnav a[href="/mitglieder/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mitglieder/$"))
    page.focus('a[href="/mitglieder/kaiserslautern/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mitglieder/kaiserslautern/$"))

    page.goto(live_server.url + "/mitglied-werden/")
    type_into(page, "#id_municipality_name", "Bad Dürkheim")
    page.focus("#id_kind")
    page.select_option("#id_kind", "stadt")
    type_into(page, "#id_district", "Bad Dürkheim")
    type_into(page, "#id_ags", "07332002")
    type_into(page, "#id_head_of_administration", "Natalie Bauernschmitt")
    page.set_input_files("#id_letter", str(letter))
    type_into(page, "#id_contact_first_name", "Clara")
    type_into(page, "#id_contact_last_name", "Neu")
    type_into(page, "#id_contact_email", "clara.neu@bad-duerkheim.example")
    page.focus("#id_privacy_consent")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form from the focused checkbox

    page.wait_for_url(re.compile(r"/mitglied-werden/danke/$"))
    assert MembershipApplication.objects.get().municipality_name == "Bad Dürkheim"
    recorder.assert_local()


def test_coordinator_logs_in_with_totp_and_approves_an_application(
    page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.IKONE_STAFF_REQUIRE_MFA = True
    coordinator = CoordinatorFactory(email="koordination@ikone-ds.example")
    TOTP.activate(coordinator, TOTP_SECRET)
    application = MembershipApplicationFactory(
        municipality_name="Neustadt", contact_email="clara@neustadt.example"
    )

    page.goto(live_server.url + "/admin/")  # the admin login is allauth's
    type_into(page, "input[name=login]", coordinator.email)
    type_into(page, "input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/"))
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    type_into(page, "input[name=code]", code)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(live_server.url + "/admin/members/membershipapplication/")
    page.check(f'input[name="_selected_action"][value="{application.pk}"]')
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index]")
    page.locator(".messagelist").wait_for()

    assert Municipality.objects.filter(name="Neustadt").exists()
    assert OutboundEmail.objects.filter(to="clara@neustadt.example").exists()


def test_member_logs_in_and_updates_the_profile(page, live_server):
    contact = MemberContactFactory(email="lena@kaiserslautern.example")

    page.goto(live_server.url + "/konto/login/")
    type_into(page, "input[name=login]", contact.email)
    type_into(page, "input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/bereich/$"))
    page.focus('a[href="/bereich/profil/"]:not(.nav-link)')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/bereich/profil/$"))
    page.fill("#id_phone", "+49 631 365-1234")
    page.focus("#id_phone")
    page.keyboard.press("Enter")

    page.locator(".alert-success").wait_for()
    contact.refresh_from_db()
    assert contact.phone == "+49 631 365-1234"


def test_member_logs_out_with_the_button(page, live_server):
    log_in(page, live_server, MemberContactFactory().user)
    page.goto(live_server.url + "/bereich/")

    page.click("form[action='/konto/logout/'] button")

    page.goto(live_server.url + "/bereich/")
    assert "/konto/login/" in page.url
