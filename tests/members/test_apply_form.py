"""Bad input on the public application form: a clear message, typed values kept, no 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import MembershipApplication
from tests.factories import MunicipalityFactory
from tests.pdfs import tiny_pdf

from .helpers import application_data, pdf_upload

pytestmark = pytest.mark.django_db


def post(client, letter=None, **overrides):
    data = {**application_data(**overrides), "privacy_consent": "on"}
    data["letter"] = letter if letter is not None else pdf_upload()
    return client.post("/mitglied-werden/", data, HTTP_ACCEPT_LANGUAGE="de")


def test_valid_application_is_stored_and_thanked(client):
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == "/mitglied-werden/danke/"
    assert MembershipApplication.objects.get().ags == "07316000"


def test_non_pdf_letter_is_refused(client):
    letter = SimpleUploadedFile("antrag.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = post(client, letter=letter)
    assert response.status_code == 200
    assert "Bitte laden Sie eine PDF-Datei hoch." in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_html_that_mentions_the_pdf_header_is_refused(client):
    polyglot = b"<html><body>%PDF-1.4<script>alert(document.cookie)</script></body></html>"
    letter = SimpleUploadedFile("antrag.pdf", polyglot, "application/pdf")
    response = post(client, letter=letter)
    assert response.status_code == 200
    assert "Bitte laden Sie eine PDF-Datei hoch." in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_password_protected_letter_is_refused_with_a_clear_message(client):
    letter = SimpleUploadedFile("antrag.pdf", tiny_pdf(user_password="geheim"), "application/pdf")
    response = post(client, letter=letter)
    assert response.status_code == 200
    assert "durch ein Passwort geschützt" in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_letter_over_10_mb_is_refused(client):
    big = SimpleUploadedFile(
        "antrag.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf"
    )
    response = post(client, letter=big)
    assert response.status_code == 200
    assert "Die Datei ist zu groß" in response.content.decode()
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize(
    ("ags", "message"),
    [
        ("1234", "genau 8 Ziffern"),
        ("08111000", "beginnen mit 07"),
        ("07312000", "gehört bereits zum Netzwerk"),
    ],
)
def test_bad_ags_keeps_the_typed_values(client, ags, message):
    MunicipalityFactory(ags="07312000")
    response = post(client, ags=ags)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="Neustadt an der Weinstraße"' in content
    assert 'value="clara.neu@neustadt.example"' in content
    assert f'value="{ags}"' in content
    assert not MembershipApplication.objects.exists()


def test_duplicate_pending_application_is_refused(client):
    post(client)
    response = post(client, contact_email="zweite@neustadt.example")
    assert response.status_code == 200
    assert "wird bereits bearbeitet" in response.content.decode()
    assert MembershipApplication.objects.count() == 1


def test_missing_privacy_consent_is_refused(client):
    data = {**application_data(), "letter": pdf_upload()}
    response = client.post("/mitglied-werden/", data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "Bitte stimmen Sie der Datenschutzerklärung zu." in response.content.decode()


def test_application_letter_is_not_public(client):
    post(client)
    application = MembershipApplication.objects.get()
    assert client.get("/media/" + application.letter.name).status_code == 404
