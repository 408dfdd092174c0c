"""The cached home page goes stale when an app's public content on it changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ikone import pagecache
from meetings.models import Meeting
from meetings.services import invitations, scheduling
from tests.factories import CoordinatorFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    return client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()


def test_a_newly_announced_meeting_shows_on_the_cached_home_page_at_once(
    client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        title="Stammtisch der Zukunft",
        status=Meeting.Status.DRAFT,
        is_public=True,
        start=timezone.now() + timedelta(days=3),
    )
    assert "Stammtisch der Zukunft" not in _home(client)
    assert "Stammtisch der Zukunft" not in _home(client)  # now served from the page cache

    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(meeting=meeting, contacts=[], by=CoordinatorFactory())

    assert "Stammtisch der Zukunft" in _home(client)


def test_a_cancelled_meeting_leaves_the_cached_home_page_at_once(
    client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        title="Abgesagtes Treffen", is_public=True, start=timezone.now() + timedelta(days=3)
    )
    assert "Abgesagtes Treffen" in _home(client)

    with django_capture_on_commit_callbacks(execute=True):
        scheduling.cancel_meeting(meeting=meeting, by=CoordinatorFactory())

    assert "Abgesagtes Treffen" not in _home(client)


def test_any_app_can_invalidate_the_cached_pages_after_commit(
    django_capture_on_commit_callbacks,
):
    before = pagecache.current_version()
    with django_capture_on_commit_callbacks() as callbacks:
        pagecache.invalidate()
    assert pagecache.current_version() == before  # not before the commit
    for callback in callbacks:
        callback()
    assert pagecache.current_version() != before
