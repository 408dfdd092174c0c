"""The coordinator's admin: lists, logo upload, invitations, approving and rejecting."""

import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ikone.outbox.models import OutboundEmail
from members.models import Contact, MembershipApplication, Municipality
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MemberContactFactory,
    MembershipApplicationFactory,
    MunicipalityFactory,
)

from .helpers import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(CoordinatorFactory())
    client.cookies["django_language"] = "en"
    return client


def bomb_png(width=20_000, height=20_000) -> bytes:
    """A tiny PNG whose header claims 400 megapixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def municipality_form(municipality, **overrides):
    data = {
        "name": municipality.name,
        "slug": municipality.slug,
        "kind": municipality.kind,
        "district": municipality.district,
        "ags": municipality.ags,
        "head_of_administration": "",
        "website": "",
        "description": "",
        "member_since": "",
        "status": municipality.status,
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "visits-TOTAL_FORMS": "0",
        "visits-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/members/municipality/?q=stadt&kind__exact=stadt",
        "/admin/members/contact/?login=none",
        "/admin/members/contact/?login=invited",
        "/admin/members/contact/?login=active",
        "/admin/members/visit/",
        "/admin/members/membershipapplication/?status__exact=pending",
        "/admin/members/topic/",
        "/admin/members/user/",
    ],
)
def test_admin_lists_open(admin_client, url):
    MemberContactFactory()
    MembershipApplicationFactory()
    assert admin_client.get(url).status_code == 200


def test_logo_upload_is_reencoded(admin_client):
    municipality = MunicipalityFactory()
    logo = SimpleUploadedFile("logo.png", png_bytes(1600, 400), "image/png")
    response = admin_client.post(
        f"/admin/members/municipality/{municipality.pk}/change/",
        municipality_form(municipality, logo=logo),
    )
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.logo.name.startswith("logos/")
    assert not municipality.logo.name.endswith("logo.png")  # random name
    with Image.open(municipality.logo.open("rb")) as image:
        assert image.width == 800


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        ("logo.jpg", b"%PDF-1.4 not an image"),
        ("bomb.png", bomb_png()),
    ],
    ids=["svg", "pdf", "decompression-bomb"],
)
def test_bad_logo_gives_a_form_error_and_keeps_the_old_data(admin_client, filename, data):
    municipality = MunicipalityFactory(name="Alte Stadt")
    response = admin_client.post(
        f"/admin/members/municipality/{municipality.pk}/change/",
        municipality_form(municipality, name="Neuer Name", logo=SimpleUploadedFile(filename, data)),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"]
    assert 'value="Neuer Name"' in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.name == "Alte Stadt"
    assert not municipality.logo


def test_invite_action_invites_the_selected_contacts(admin_client):
    contacts = ContactFactory.create_batch(2)
    already = MemberContactFactory()
    response = admin_client.post(
        "/admin/members/contact/",
        {"action": "invite", "_selected_action": [c.pk for c in [*contacts, already]]},
        follow=True,
    )
    text = response.content.decode()
    assert "2 contacts invited." in text
    assert "already has a login" in text
    assert OutboundEmail.objects.filter(reference__startswith="invitation:").count() == 2


def test_approve_action_creates_the_member(admin_client):
    application = MembershipApplicationFactory(municipality_name="Neustadt", ags="07316000")
    response = admin_client.post(
        "/admin/members/membershipapplication/",
        {"action": "approve", "_selected_action": [application.pk]},
        follow=True,
    )
    assert "Neustadt is now a member" in response.content.decode()
    assert Municipality.objects.get(ags="07316000").name == "Neustadt"
    assert Contact.objects.filter(email=application.contact_email).exists()


def test_approve_action_reports_a_broken_rule(admin_client):
    ContactFactory(email="schon@example.org")
    application = MembershipApplicationFactory(contact_email="schon@example.org")
    response = admin_client.post(
        "/admin/members/membershipapplication/",
        {"action": "approve", "_selected_action": [application.pk]},
        follow=True,
    )
    assert "schon@example.org already exists" in response.content.decode()
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING


def test_reject_view_needs_a_reason_then_mails_it(admin_client):
    application = MembershipApplicationFactory()
    url = f"/admin/members/membershipapplication/{application.pk}/reject/"
    change = admin_client.get(f"/admin/members/membershipapplication/{application.pk}/change/")
    assert url in change.content.decode()

    empty = admin_client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert empty.context["form"].errors

    response = admin_client.post(url, {"reason": "Kein Landesbezug."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED
    assert "Kein Landesbezug." in OutboundEmail.objects.get(to=application.contact_email).body_text


def test_reject_view_of_a_decided_application_shows_the_error(admin_client):
    application = MembershipApplicationFactory(status=MembershipApplication.Status.APPROVED)
    response = admin_client.post(
        f"/admin/members/membershipapplication/{application.pk}/reject/", {"reason": "Zu spät"}
    )
    assert response.status_code == 200
    assert "already been decided" in response.content.decode()


def test_letter_is_downloadable_by_coordinators(admin_client):
    application = MembershipApplicationFactory()
    response = admin_client.get(f"/admin/members/membershipapplication/{application.pk}/letter/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_visit_records_its_author(admin_client):
    municipality = MunicipalityFactory()
    response = admin_client.post(
        "/admin/members/visit/add/",
        {"municipality": municipality.pk, "date": "2026-11-20", "visitors": "Team", "notes": "x"},
    )
    assert response.status_code == 302
    visit = municipality.visits.get()
    assert visit.created_by.is_staff


def test_staff_without_second_factor_is_sent_to_set_it_up(client, settings):
    settings.IKONE_STAFF_REQUIRE_MFA = True
    client.force_login(CoordinatorFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"


def test_staff_can_open_the_totp_setup(client, settings):
    """allauth's unverified-address guard must not lock coordinators out of the admin."""
    settings.IKONE_STAFF_REQUIRE_MFA = True
    from allauth.account.models import EmailAddress

    coordinator = CoordinatorFactory()
    EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=False)
    password = "ein-langes-passwort-123"
    client.post("/konto/login/", {"login": coordinator.email, "password": password})
    client.post("/konto/reauthenticate/", {"password": password})  # allauth asks before MFA
    response = client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 200
    assert re.search(r'name="code"', response.content.decode())


def test_duplicate_contact_email_is_a_form_error(admin_client):
    existing = ContactFactory(email="lena@kaiserslautern.example")
    response = admin_client.post(
        "/admin/members/contact/add/",
        {
            "municipality": existing.municipality.pk,
            "first_name": "Lena",
            "last_name": "Doppelt",
            "email": "LENA@kaiserslautern.example",
            "language": "de",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors["email"])
    assert Contact.objects.count() == 1
