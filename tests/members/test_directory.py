"""The members-only contact directory: filters, search, CSV and vCard exports."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Municipality
from tests.factories import ContactFactory, MemberContactFactory, MunicipalityFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    kl = MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern", district="")
    enk = MunicipalityFactory(
        name="Enkenbach-Alsenborn", slug="enkenbach", district="Kaiserslautern"
    )
    duew = MunicipalityFactory(name="Bad Dürkheim", slug="bad-duerkheim", district="Bad Dürkheim")
    left = MunicipalityFactory(name="Weggezogen", status=Municipality.Status.LEFT)
    smart = TopicFactory(name="Smart City Test")
    lena = MemberContactFactory(
        municipality=kl,
        first_name="Lena",
        last_name="Hoffmann",
        email="lena@kl.example",
        phone="0631 1",
        position="Chief Digital Officer",
    )
    lena.topics.add(smart)
    ContactFactory(
        municipality=enk, first_name="Jonas", last_name="Becker", email="jonas@enk.example"
    )
    ContactFactory(
        municipality=duew, first_name="Sophie", last_name="Wagner", email="sophie@duew.example"
    )
    ContactFactory(
        municipality=duew, last_name="Inaktiv", email="alt@duew.example", is_active=False
    )
    ContactFactory(municipality=left, last_name="Ausgetreten", email="weg@left.example")
    return {"kl": kl, "enk": enk, "duew": duew, "smart": smart, "lena": lena}


@pytest.fixture
def member_client(client, network):
    client.force_login(network["lena"].user)
    return client


def names(response):
    return [f"{c.first_name} {c.last_name}" for c in response.context["page"]]


def test_directory_lists_active_contacts_of_members_only(member_client):
    assert names(member_client.get("/bereich/kontakte/")) == [
        "Jonas Becker",
        "Lena Hoffmann",
        "Sophie Wagner",
    ]


def test_filter_by_municipality(member_client, network):
    response = member_client.get(f"/bereich/kontakte/?municipality={network['duew'].pk}")
    assert names(response) == ["Sophie Wagner"]


def test_filter_by_district(member_client):
    assert names(member_client.get("/bereich/kontakte/?district=Kaiserslautern")) == [
        "Jonas Becker"
    ]


def test_filter_by_topic(member_client, network):
    response = member_client.get(f"/bereich/kontakte/?topic={network['smart'].pk}")
    assert names(response) == ["Lena Hoffmann"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hoff", ["Lena Hoffmann"]),
        ("Dürkheim", ["Sophie Wagner"]),
        ("digital officer", ["Lena Hoffmann"]),
        ("jonas@enk", ["Jonas Becker"]),
        ("niemand", []),
    ],
)
def test_search(member_client, query, expected):
    assert names(member_client.get("/bereich/kontakte/", {"q": query})) == expected


def test_invalid_filter_value_shows_an_error_not_a_500(member_client):
    response = member_client.get("/bereich/kontakte/?municipality=999999")
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_csv_export_has_the_filtered_contacts(member_client, network):
    member_client.cookies["django_language"] = "en"
    response = member_client.get(f"/bereich/kontakte/export.csv?municipality={network['kl'].pk}")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    header, lena = rows
    record = dict(zip(header, lena, strict=True))
    assert record["E-mail"] == "lena@kl.example"
    assert record["Municipality"] == "Kaiserslautern"
    assert "Smart City Test" in lena


def test_csv_export_defuses_spreadsheet_formulas(member_client, network):
    ContactFactory(municipality=network["kl"], last_name="=HYPERLINK(1)", email="formel@kl.example")
    response = member_client.get("/bereich/kontakte/export.csv", {"q": "formel"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_csv_export_writes_international_numbers_without_a_visible_apostrophe(
    member_client, network
):
    """``+49 …`` starts a formula; quoted, Excel and LibreOffice show the apostrophe."""
    ContactFactory(municipality=network["kl"], email="tel@kl.example", phone="+49 631 365-4711")
    ContactFactory(municipality=network["kl"], email="orts@kl.example", phone="0631 365-4712")
    member_client.cookies["django_language"] = "en"
    response = member_client.get("/bereich/kontakte/export.csv", {"municipality": network["kl"].pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    phones = {row[5]: row[6] for row in rows[1:]}
    assert phones["tel@kl.example"] == "0049 631 365-4711"
    assert phones["orts@kl.example"] == "0631 365-4712"
    assert not any(phone.startswith(("'", "+", "=")) for phone in phones.values())


def test_vcard_export(member_client, network):
    response = member_client.get("/bereich/kontakte/export.vcf", {"q": "hoff"})
    assert response["Content-Type"].startswith("text/vcard")
    text = response.content.decode()
    assert text.count("BEGIN:VCARD") == 1
    assert "FN:Lena Hoffmann\r\n" in text
    assert "EMAIL;TYPE=INTERNET,WORK:lena@kl.example" in text
    assert "ORG:Kaiserslautern" in text
    assert "TEL;TYPE=WORK,VOICE:0631 1" in text


def test_vcard_escapes_separators(member_client, network):
    ContactFactory(
        municipality=network["kl"],
        last_name="Meier; Müller",
        email="mm@kl.example",
        position="IT, Orga",
    )
    text = member_client.get("/bereich/kontakte/export.vcf", {"q": "mm@kl"}).content.decode()
    assert "N:Meier\\; Müller;" in text
    assert "TITLE:IT\\, Orga" in text


def test_directory_query_count_does_not_grow_with_contacts(
    member_client, network, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as few:
        member_client.get("/bereich/kontakte/")
    for municipality in MunicipalityFactory.create_batch(10):
        for contact in ContactFactory.create_batch(3, municipality=municipality):
            contact.topics.add(network["smart"])
    with django_assert_num_queries(len(few.captured_queries)):
        member_client.get("/bereich/kontakte/")
