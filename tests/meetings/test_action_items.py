"""Action items: an open item past its due date is marked overdue wherever it is listed."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Meeting
from tests.factories import CoordinatorFactory, MemberContactFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    held = MeetingFactory(
        title="3. Stammtisch 2023",
        start=timezone.now() - timedelta(days=900),
        end=timezone.now() - timedelta(days=900) + timedelta(hours=2),
        status=Meeting.Status.HELD,
    )
    today = timezone.localdate()
    return {
        "late": ActionItem.objects.create(
            meeting=held, what="Leitfaden teilen", due=date(2023, 9, 1)
        ),
        "done": ActionItem.objects.create(
            meeting=held, what="Folien senden", due=date(2023, 9, 1), status="done"
        ),
        "later": ActionItem.objects.create(
            meeting=held, what="Umfrage vorbereiten", due=today + timedelta(days=3)
        ),
        "today": ActionItem.objects.create(meeting=held, what="Protokoll prüfen", due=today),
        "undated": ActionItem.objects.create(meeting=held, what="Ideen sammeln"),
    }


def test_only_open_items_past_their_due_date_are_overdue(items):
    assert {name for name, item in items.items() if item.is_overdue} == {"late"}
    assert list(ActionItem.objects.overdue()) == [items["late"]]


def test_members_see_the_overdue_marker_in_the_minutes(client, items):
    client.force_login(MemberContactFactory().user)
    meeting = items["late"].meeting
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    row = page[page.index("Leitfaden teilen") :]
    row = row[: row.index("</tr>")]
    assert "überfällig" in row
    for name in ("done", "later", "today", "undated"):
        other = page[page.index(items[name].what) :]
        assert "überfällig" not in other[: other.index("</tr>")], name


def test_the_admin_marks_and_filters_overdue_items(client, items):
    client.force_login(CoordinatorFactory())
    url = reverse("admin:meetings_actionitem_changelist")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert page.count("(überfällig)") == 1
    overdue = client.get(url, {"overdue": "yes"}).context["cl"].result_list
    assert list(overdue) == [items["late"]]
    rest = client.get(url, {"overdue": "no"}).context["cl"].result_list
    assert items["late"] not in rest and len(rest) == 4
