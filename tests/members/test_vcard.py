"""The vCard export read back with a real parser (vobject): one card per contact, exact values.

A profile field with a line terminator (a bare CR, LF, CRLF, VT, FF, NEL, U+2028 …) must not
end the card and plant another one in other members' address books.
"""

import re

import pytest
import vobject

from tests.factories import ContactFactory, MemberContactFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

INJECTED = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eingeschleust\r\nEMAIL:boese@example.org\r\nEND:VCARD"
CRLF = "\r\n"
TERMINATORS = [
    "\r",
    "\n",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
]
# Every line terminator read back as the one newline a vCard text value can carry.
BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def as_read_back(value: str) -> str:
    return BREAKS.sub("\n", value)


@pytest.fixture
def contacts():
    municipality = MunicipalityFactory(name="Zweibrücken; Land, Süd\\West", slug="zw")
    member = MemberContactFactory(
        municipality=municipality,
        first_name="Jürgen",
        last_name="Müller-Lüdenscheidt",
        email="juergen@zw.example",
        position="Leitung Digitalisierung, Stabsstelle; " + "Öffentlichkeitsarbeit " * 4,
        phone="+49 6332 871-0",
    )
    others = [
        ContactFactory(
            municipality=municipality,
            first_name="Lena",
            last_name=f"Hoff{terminator}END:VCARD{terminator}" + INJECTED.replace(CRLF, terminator),
            email=f"lena{index}@zw.example",
            position=f"CDO{terminator}TEL:0800 666",
            phone=f"0631 1{terminator}END:VCARD",
        )
        for index, terminator in enumerate(TERMINATORS)
    ]
    ContactFactory(
        municipality=municipality, first_name="Ömer", last_name="Ünal", email="oe@zw.example"
    )
    return member, [member, *others]


def test_export_parses_to_one_card_per_contact_with_exact_values(client, contacts):
    member, expected_contacts = contacts
    client.force_login(member.user)

    response = client.get("/bereich/kontakte/export.vcf")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vcard")
    text = response.content.decode("utf-8")
    cards = list(vobject.readComponents(text))
    by_email = {card.email.value: card for card in cards}
    assert len(cards) == len(expected_contacts) + 1  # + Ömer Ünal
    assert "boese@example.org" not in by_email
    for contact in expected_contacts:
        card = by_email[contact.email]
        assert card.n.value.family == as_read_back(contact.last_name)
        assert card.n.value.given == contact.first_name
        assert card.fn.value == as_read_back(contact.full_name)
        assert card.org.value == [contact.municipality.name]
        assert card.title.value == as_read_back(contact.position)
        assert card.tel.value == as_read_back(contact.phone)
        assert card.email.params["TYPE"] == ["INTERNET", "WORK"]
    umlauts = by_email["oe@zw.example"]
    assert (umlauts.fn.value, umlauts.n.value.family) == ("Ömer Ünal", "Ünal")


def test_no_line_of_the_export_starts_a_card_but_the_cards_own(client, contacts):
    """Independent of any vCard library: split on everything a reader may take as a line end."""
    member, expected_contacts = contacts
    client.force_login(member.user)

    text = client.get("/bereich/kontakte/export.vcf").content.decode("utf-8")

    lines = text.splitlines()
    assert sum(line == "BEGIN:VCARD" for line in lines) == len(expected_contacts) + 1
    assert sum(line == "END:VCARD" for line in lines) == len(expected_contacts) + 1
    assert not [line for line in lines if line.startswith(("FN:Eingeschleust", "EMAIL:boese"))]
    # lines are folded at 75 octets (RFC 6350 3.2), also with multi-byte characters
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    assert len(lines) == len(text.split("\r\n")) - 1  # CRLF is the only line end in the file
