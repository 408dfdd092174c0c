"""The OParl lists come from the page cache for anonymous clients, and never stale or wrong."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ikone import pagecache
from meetings.models import Invitation, Meeting
from tests.factories import ContactFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _names(client, **params) -> list[str]:
    response = client.get(reverse("meetings:oparl_meetings"), params)
    assert response.status_code == 200
    return [m["name"] for m in response.json()["data"]]


def _state(client, name: str) -> str:
    response = client.get(reverse("meetings:oparl_meetings"))
    return next(m["meetingState"] for m in response.json()["data"] if m["name"] == name)


def test_the_second_anonymous_request_is_answered_from_the_cache(client):
    MeetingFactory(title="Fachtag Cloud", start=timezone.now() + timedelta(days=40))
    assert _names(client) == ["Fachtag Cloud"]
    path = reverse("meetings:oparl_meetings")
    assert pagecache.routes.get(path) is not None, "the list was stored in the page cache"
    assert _names(client) == ["Fachtag Cloud"]


def test_a_new_public_meeting_shows_at_once(client, django_capture_on_commit_callbacks):
    MeetingFactory(title="Fachtag Cloud", start=timezone.now() + timedelta(days=40))
    assert _names(client) == ["Fachtag Cloud"]
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(title="Stammtisch KI", start=timezone.now() + timedelta(days=10))
    assert sorted(_names(client)) == ["Fachtag Cloud", "Stammtisch KI"]


def test_invitations_change_the_state_at_once(client, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(title="Stammtisch KI", start=timezone.now() + timedelta(days=10))
    assert _state(client, "Stammtisch KI") == "terminiert"
    contact = ContactFactory()
    with django_capture_on_commit_callbacks(execute=True):
        Invitation.objects.create(meeting=meeting, contact=contact, email=contact.email)
    assert _state(client, "Stammtisch KI") == "eingeladen"


@pytest.mark.parametrize("query", [{"page": "x"}, {"page": "0"}, {"limit": "0"}, {"page": "9"}])
def test_bad_parameters_still_get_their_400_once_the_list_is_cached(client, query):
    MeetingFactory(title="Fachtag Cloud", start=timezone.now() + timedelta(days=40))
    assert _names(client) == ["Fachtag Cloud"]
    assert _names(client) == ["Fachtag Cloud"]  # now served by the early middleware
    response = client.get(reverse("meetings:oparl_meetings"), query)
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_members_only_meeting_never_enters_the_cached_list(
    client, django_capture_on_commit_callbacks
):
    assert _names(client) == []
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(
            title="Internes Treffen",
            is_public=False,
            status=Meeting.Status.ANNOUNCED,
            start=timezone.now() + timedelta(days=5),
        )
    assert _names(client) == []
