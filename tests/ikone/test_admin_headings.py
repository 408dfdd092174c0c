"""Every admin page of the project's own templates has exactly one h1."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def _pages():
    from tests.meetings.factories import GuestRegistrationFactory, MeetingFactory

    meeting = MeetingFactory(start=timezone.now() - timedelta(days=1))
    GuestRegistrationFactory(meeting=meeting)
    changelist = reverse("admin:meetings_meeting_changelist")
    selected = {"_selected_action": [meeting.pk]}
    return [
        ("get", reverse("admin:meetings_meeting_attendance", args=[meeting.pk]), {}),
        ("get", reverse("admin:meetings_meeting_guest", args=[meeting.pk]), {}),
        ("get", reverse("admin:meetings_meeting_participation"), {}),
        ("post", changelist, {"action": "invite", **selected}),
        ("post", changelist, {"action": "cancel", **selected}),
    ]


def test_each_own_admin_page_has_one_h1(client):
    client.force_login(CoordinatorFactory())
    for method, url, data in _pages():
        response = getattr(client, method)(url, data)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, (url, data.get("action"))
