"""Calendar feeds, parsed with the icalendar library."""

import icalendar
import pytest
from django.urls import reverse

from meetings.models import CalendarToken, Meeting
from meetings.services import feeds
from meetings.services import registration as registration_services
from tests.factories import MemberContactFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_public_feed_lists_announced_public_meetings_only(client):
    MeetingFactory(title="Öffentlicher Stammtisch")
    MeetingFactory(title="Entwurf", status=Meeting.Status.DRAFT)
    MeetingFactory(title="Intern", is_public=False)

    events = _events(client.get(reverse("meetings:public_feed")))

    assert set(events) == {"Öffentlicher Stammtisch"}
    event = events["Öffentlicher Stammtisch"]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_public_feed_keeps_the_last_twelve_months_for_subscribers(client):
    from datetime import timedelta

    from django.utils import timezone

    def held(title, days_ago):
        start = timezone.now() - timedelta(days=days_ago)
        MeetingFactory(
            title=title, start=start, end=start + timedelta(hours=2), status=Meeting.Status.HELD
        )

    held("Vor einem Monat", 30)
    held("Vor elf Monaten", 335)
    held("Vor zwei Jahren", 730)
    MeetingFactory(title="Kommt noch")

    events = _events(client.get(reverse("meetings:public_feed")))

    assert set(events) == {"Vor einem Monat", "Vor elf Monaten", "Kommt noch"}


def test_public_feed_never_contains_online_links(client):
    MeetingFactory(title="Stammtisch", online_link="https://konferenz.example/geheim")

    response = client.get(reverse("meetings:public_feed"))

    assert b"konferenz.example/geheim" not in response.content


def test_personal_feed_has_the_online_link_of_registered_meetings_only(client):
    contact = MemberContactFactory()
    mine = MeetingFactory(title="Angemeldet", online_link="https://konferenz.example/mein")
    MeetingFactory(title="Nicht angemeldet", online_link="https://konferenz.example/fremd")
    MeetingFactory(title="Mitgliedertreffen", is_public=False)
    registration_services.register(contact=contact, meeting=mine)
    token = feeds.calendar_token_for(contact=contact)

    response = client.get(reverse("meetings:personal_feed", args=[token.token]))

    events = _events(response)
    assert set(events) == {"Angemeldet", "Nicht angemeldet", "Mitgliedertreffen"}
    assert "https://konferenz.example/mein" in str(events["Angemeldet"]["DESCRIPTION"])
    assert b"konferenz.example/fremd" not in response.content


def test_renewing_the_token_revokes_the_old_feed_address(client):
    contact = MemberContactFactory()
    old = feeds.calendar_token_for(contact=contact).token

    new = feeds.renew_calendar_token(contact=contact).token

    assert new != old
    assert client.get(reverse("meetings:personal_feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:personal_feed", args=[new])).status_code == 200


def test_feed_of_a_deactivated_contact_stops_working(client):
    contact = MemberContactFactory()
    token = CalendarToken.objects.create(contact=contact)
    contact.is_active = False
    contact.save()

    assert client.get(reverse("meetings:personal_feed", args=[token.token])).status_code == 404


def test_member_renews_the_feed_address_on_my_meetings_page(client):
    contact = MemberContactFactory()
    old = feeds.calendar_token_for(contact=contact).token
    client.force_login(contact.user)

    response = client.post(reverse("meetings:renew_feed"), follow=True)

    assert old not in response.content.decode()
    assert CalendarToken.objects.get(contact=contact).token in response.content.decode()
