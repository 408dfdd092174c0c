"""The contact directory as vCards (RFC 2426, vCard 3.0), written with ``vobject``.

``vobject`` escapes ``\\ , ;`` and newlines in text values and folds lines at 75 octets. A
profile field can still hold other line terminators (a bare CR, VT, FF, NEL, U+2028, …) that
some readers split lines on; they become a newline first (written escaped as ``\\n``), and
other control characters, which a vCard text value may not contain, are dropped. So no field
can end a card or start another one.
"""

from __future__ import annotations

from collections.abc import Iterable

import vobject

from ikone.text import plain_lines as clean


def contact_card(contact) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(
        family=clean(contact.last_name), given=clean(contact.first_name)
    )
    card.add("fn").value = clean(contact.full_name)
    card.add("org").value = [clean(contact.municipality.name)]
    email = card.add("email")
    email.value = clean(contact.email)
    email.type_paramlist = ["INTERNET", "WORK"]
    if contact.position:
        card.add("title").value = clean(contact.position)
    if contact.phone:
        tel = card.add("tel")
        tel.value = clean(contact.phone)
        tel.type_paramlist = ["WORK", "VOICE"]
    return card


def directory_vcards(contacts: Iterable) -> str:
    """One vCard per contact, CRLF line ends (vobject's default)."""
    return "".join(contact_card(contact).serialize() for contact in contacts)
