"""Calendar feeds: no line terminator in a meeting's text can end the event or start another.

icalendar escapes CR and LF; a VT, FF, NEL or U+2028 went out raw, and readers that split
lines like str.splitlines() saw a new ``BEGIN:VEVENT`` line.
"""

import icalendar
import pytest
from django.urls import reverse

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

TERMINATORS = ["\r", "\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("terminator", TERMINATORS)
def test_public_feed_has_one_event_per_meeting(client, terminator):
    injected = terminator.join(["END:VEVENT", "BEGIN:VEVENT", "SUMMARY:Eingeschleust"])
    MeetingFactory(
        title=f"Stammtisch{terminator}{injected}",
        description=f"Tagesordnung{terminator}{injected}",
        location=f"Rathaus{terminator}{injected}",
    )

    text = client.get(reverse("meetings:public_feed")).content.decode()

    lines = text.splitlines()
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    assert not [line for line in lines if line.startswith("SUMMARY:Eingeschleust")]
    [event] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Stammtisch\nEND:VEVENT")
    assert str(event["LOCATION"]).startswith("Rathaus\nEND:VEVENT")
