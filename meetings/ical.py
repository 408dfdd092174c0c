"""iCalendar for meetings: invitations (REQUEST/CANCEL) and the calendar feeds.

The UID of a meeting never changes; its SEQUENCE grows with every change of time and with a
cancellation, so calendar programs replace the entry instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from ikone.text import plain_lines

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//IKONE DS//IKONE Portal//DE"


def uid_of(meeting) -> str:
    return f"{meeting.ical_uid}@ikone-ds.de"


def organizer_address() -> str:
    address = settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        address = address.split("<", 1)[1].rstrip(">")
    return address.strip()


def build_event(meeting, *, include_link: bool, cancelled: bool = False) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid_of(meeting))
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(BERLIN))
    event.add("dtend", meeting.end.astimezone(BERLIN))
    event.add("summary", plain_lines(meeting.display_title))
    url = settings.SITE_URL + meeting.get_absolute_url()
    event.add("url", url)
    location = meeting.location
    description = [meeting.description.strip()] if meeting.description.strip() else []
    if include_link and meeting.online_link:
        location = ", ".join(filter(None, [location, meeting.online_link]))
        description.append(meeting.online_link)
    description.append(url)
    if location:
        event.add("location", plain_lines(location))
    # icalendar escapes CR and LF, not the other line terminators some readers split on
    event.add("description", plain_lines("\n\n".join(description)))
    organizer = icalendar.vCalAddress(f"mailto:{organizer_address()}")
    organizer.params["cn"] = icalendar.vText("IKONE DS")
    event.add("organizer", organizer)
    if cancelled or meeting.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    event.add("last-modified", meeting.updated_at or timezone.now())
    return event


def _calendar(*, method: str | None = None, name: str | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Berlin")
        calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    return calendar


def _finish(calendar: icalendar.Calendar) -> str:
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")


def invitation(meeting, *, cancel: bool = False, include_link: bool = False) -> str:
    """An iTIP message: METHOD:REQUEST for invitations and updates, CANCEL for cancellations."""
    calendar = _calendar(method="CANCEL" if cancel else "REQUEST")
    calendar.add_component(build_event(meeting, include_link=include_link, cancelled=cancel))
    return _finish(calendar)


def feed(meetings: Iterable, *, name: str, links_for: set[int] = frozenset()) -> str:
    """A subscription feed; online links only for the meeting ids in ``links_for``."""
    calendar = _calendar(method="PUBLISH", name=name)
    for meeting in meetings:
        calendar.add_component(build_event(meeting, include_link=meeting.pk in links_for))
    return _finish(calendar)
