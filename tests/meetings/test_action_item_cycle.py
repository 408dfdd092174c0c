"""Action items: owners (contact, municipality, coordination team), closing, the reminder,
and the open points that come back on the following meetings."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from meetings import action_items
from meetings.models import ActionItem, Meeting
from meetings.tasks import remind_action_items
from members.models import Municipality
from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory

from .factories import MeetingFactory, MeetingSeriesFactory

pytestmark = pytest.mark.django_db


def _meeting(days_ago: int, **kwargs) -> Meeting:
    start = timezone.now() - timedelta(days=days_ago)
    return MeetingFactory(
        start=start, end=start + timedelta(hours=2), status=Meeting.Status.HELD, **kwargs
    )


def test_an_owner_of_no_member_municipality_is_refused():
    former = MunicipalityFactory(status=Municipality.Status.LEFT)
    contact = MemberContactFactory(municipality=former)
    item = ActionItem(meeting=_meeting(3), what="Folien teilen", owner=contact)

    with pytest.raises(ValidationError) as refused:
        item.full_clean()

    assert "owner" in refused.value.message_dict


def test_a_due_date_before_the_meeting_is_refused():
    meeting = _meeting(3)
    item = ActionItem(
        meeting=meeting, what="Folien teilen", due=timezone.localdate() - timedelta(days=10)
    )

    with pytest.raises(ValidationError) as refused:
        item.full_clean()

    assert "due" in refused.value.message_dict


def test_two_owners_at_once_are_refused():
    contact = MemberContactFactory()
    item = ActionItem(meeting=_meeting(3), what="Folien teilen", owner=contact, owner_team=True)

    with pytest.raises(ValidationError):
        item.full_clean()


def test_the_admin_keeps_the_input_and_says_what_is_wrong(client):
    client.force_login(CoordinatorFactory())
    meeting = _meeting(3)
    response = client.post(
        reverse("admin:meetings_actionitem_add"),
        {
            "meeting": meeting.pk,
            "what": "Leitfaden Datenschutz teilen",
            "who": "",
            "due": (timezone.localdate() - timedelta(days=30)).strftime("%d.%m.%Y"),
            "status": "open",
            "closed_note": "",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "nicht vor dem Treffen" in page
    assert "Leitfaden Datenschutz teilen" in page
    assert not ActionItem.objects.exists()


def test_every_contact_of_the_municipality_sees_and_closes_its_task(client):
    municipality = MunicipalityFactory(name="Ingelheim am Rhein")
    one = MemberContactFactory(municipality=municipality)
    other = MemberContactFactory(municipality=municipality)
    item = ActionItem.objects.create(
        meeting=_meeting(3),
        what="Workshop in Ingelheim vorbereiten",
        owner_municipality=municipality,
        due=timezone.localdate() + timedelta(days=20),
    )
    client.force_login(one.user)

    assert (
        "Workshop in Ingelheim vorbereiten" in client.get(reverse("members:area")).content.decode()
    )
    response = client.post(
        reverse("meetings:close_action_item", args=[item.pk]),
        {f"item-{item.pk}-note": "Termin steht: 14. März."},
        follow=True,
    )

    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    assert item.closed_note == "Termin steht: 14. März."
    assert item.closed_by == one.user
    assert "Termin steht: 14. März." in response.content.decode()
    client.force_login(other.user)
    page = client.get(reverse("meetings:my_action_items")).content.decode()
    assert 'data-testid="open-action-item"' not in page


def test_another_municipality_cannot_close_the_task(client):
    item = ActionItem.objects.create(
        meeting=_meeting(3), what="Geheime Aufgabe", owner=MemberContactFactory()
    )
    client.force_login(MemberContactFactory().user)

    response = client.post(reverse("meetings:close_action_item", args=[item.pk]))

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN


def test_a_closed_task_cannot_be_closed_again():
    item = ActionItem.objects.create(meeting=_meeting(3), what="Folien", owner_team=True)
    action_items.close_action_item(item=item, by=CoordinatorFactory())

    with pytest.raises(action_items.ActionItemError):
        action_items.close_action_item(item=item, by=CoordinatorFactory())


def test_overdue_tasks_are_marked_on_the_owners_page(client):
    contact = MemberContactFactory()
    meeting = _meeting(30)
    ActionItem.objects.create(
        meeting=meeting,
        what="Leitfaden teilen",
        owner=contact,
        due=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(contact.user)

    page = client.get(
        reverse("meetings:my_action_items"), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()

    row = page[page.index("Leitfaden teilen") :]
    assert "überfällig" in row[: row.index("</li>")]


def test_one_reminder_a_few_days_before_the_due_date():
    municipality = MunicipalityFactory()
    first = MemberContactFactory(municipality=municipality, email="a@kl.example")
    second = MemberContactFactory(municipality=municipality, email="b@kl.example")
    today = timezone.localdate()
    meeting = _meeting(10)
    soon = ActionItem.objects.create(
        meeting=meeting,
        what="Bericht schreiben",
        owner_municipality=municipality,
        due=today + timedelta(days=2),
    )
    ActionItem.objects.create(
        meeting=meeting, what="Später", owner=first, due=today + timedelta(days=30)
    )
    ActionItem.objects.create(
        meeting=meeting,
        what="Schon erledigt",
        owner=first,
        due=today + timedelta(days=1),
        status=ActionItem.Status.DONE,
    )

    assert remind_action_items.apply().get() == 2
    assert remind_action_items.apply().get() == 0

    mails = OutboundEmail.objects.all()
    assert {mail.to for mail in mails} == {first.email, second.email}
    assert all("Bericht schreiben" in mail.body_text for mail in mails)
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None


def test_the_beat_schedule_sends_the_reminders(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert remind_action_items.name in tasks


def test_open_items_are_carried_forward_across_two_meetings_until_closed(client):
    series = MeetingSeriesFactory()
    first = _meeting(90, series=series, title="1. Stammtisch")
    second = _meeting(40, series=series, title="2. Stammtisch")
    start = timezone.now() + timedelta(days=5)
    third = MeetingFactory(
        series=series, title="3. Stammtisch", start=start, end=start + timedelta(hours=2)
    )
    carried = ActionItem.objects.create(
        meeting=first, what="Rundschreiben Workshop Ingelheim", owner_team=True
    )
    ActionItem.objects.create(
        meeting=first, what="Erledigter Punkt", status=ActionItem.Status.DONE, owner_team=True
    )
    ActionItem.objects.create(meeting=third, what="Punkt vom dritten", owner_team=True)
    client.force_login(MemberContactFactory().user)

    for meeting in (second, third):
        page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
        points = page[page.index('data-testid="open-points"') :]
        points = points[: points.index("</ul>")]
        assert "Rundschreiben Workshop Ingelheim" in points
        assert "Koordinationsteam" in points
        assert "Erledigter Punkt" not in points
        assert "Punkt vom dritten" not in points
    assert "Offene Punkte" in page

    action_items.close_action_item(item=carried, by=CoordinatorFactory())

    page = client.get(third.get_absolute_url()).content.decode()
    assert 'data-testid="open-points"' not in page


def test_open_points_are_not_shown_to_visitors(client):
    series = MeetingSeriesFactory()
    first = _meeting(40, series=series)
    second = MeetingFactory(series=series)
    ActionItem.objects.create(meeting=first, what="Interner Punkt", owner_team=True)

    assert "Interner Punkt" not in client.get(second.get_absolute_url()).content.decode()
