from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import CalendarToken, Meeting, Registration
from meetings.services import registration as registration_services
from tests.factories import CoordinatorFactory, MemberContactFactory, UserFactory

from .factories import AgendaItemFactory, GuestRegistrationFactory, MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://konferenz.example/geheimer-raum"


def _past_meeting(**kwargs):
    start = timezone.now() - timedelta(days=30)
    return MeetingFactory(
        start=start, end=start + timedelta(hours=2), status=Meeting.Status.HELD, **kwargs
    )


def test_upcoming_page_lists_announced_meetings(client):
    MeetingFactory(title="3. Digitaler Stammtisch 2023")
    MeetingFactory(title="Geheimer Entwurf", status=Meeting.Status.DRAFT)
    _past_meeting(title="Vergangenes Treffen")

    content = client.get(reverse("meetings:upcoming")).content.decode()

    assert "3. Digitaler Stammtisch 2023" in content
    assert "Geheimer Entwurf" not in content
    assert "Vergangenes Treffen" not in content


def test_upcoming_page_marks_the_meetings_i_registered_for(client):
    member = MemberContactFactory()
    mine = MeetingFactory(title="Mein Stammtisch")
    MeetingFactory(title="Anderes Treffen")
    registration_services.register(contact=member, meeting=mine)
    client.force_login(member.user)

    content = client.get(reverse("meetings:upcoming")).content.decode()

    assert content.count("Sie sind angemeldet") == 1
    assert content.index("Mein Stammtisch") < content.index("Sie sind angemeldet")


def test_past_page_lists_held_meetings_paginated(client):
    for n in range(25):
        _past_meeting(title=f"Stammtisch Nummer {n:02d}")

    first = client.get(reverse("meetings:past")).content.decode()
    second = client.get(reverse("meetings:past") + "?page=2").content.decode()

    assert first.count("Stammtisch Nummer") == 20
    assert second.count("Stammtisch Nummer") == 5


def test_detail_shows_the_agenda_with_speakers_to_everybody(client):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, title="Smarte Laternen", speaker="Frank Huber", position=2)
    AgendaItemFactory(meeting=meeting, title="Begrüßung", speaker="", position=1)

    content = client.get(meeting.get_absolute_url()).content.decode()

    assert content.index("Begrüßung") < content.index("Smarte Laternen")
    assert "Frank Huber, KL.digital GmbH" in content


def test_online_link_and_minutes_never_reach_anonymous_visitors(client):
    meeting = _past_meeting(
        online_link=SECRET_LINK,
        minutes="Vertrauliches Protokoll",
        public_summary="Öffentliche Zusammenfassung",
        minutes_status=Meeting.MinutesStatus.APPROVED,
    )

    content = client.get(meeting.get_absolute_url()).content.decode()

    assert SECRET_LINK not in content
    assert "Vertrauliches Protokoll" not in content
    assert "Öffentliche Zusammenfassung" in content
    ics = client.get(reverse("meetings:ics", args=[meeting.slug])).content.decode()
    assert SECRET_LINK not in ics


def test_online_link_only_for_registered_members(client):
    meeting = MeetingFactory(online_link=SECRET_LINK)
    member = MemberContactFactory()
    client.force_login(member.user)

    assert SECRET_LINK not in client.get(meeting.get_absolute_url()).content.decode()
    registration_services.register(contact=member, meeting=meeting)
    assert SECRET_LINK in client.get(meeting.get_absolute_url()).content.decode()


def test_members_read_the_minutes_rendered_and_sanitised(client):
    meeting = _past_meeting(
        minutes="## Ergebnisse\n\n**Rundschreiben** folgt <script>alert(1)</script>",
        minutes_status=Meeting.MinutesStatus.CIRCULATED,
    )
    client.force_login(MemberContactFactory().user)

    content = client.get(meeting.get_absolute_url()).content.decode()

    assert "<h3>Ergebnisse</h3>" in content
    assert "<strong>Rundschreiben</strong>" in content
    assert "<script>alert(1)" not in content


def test_member_registers_on_the_meeting_page(client):
    meeting = MeetingFactory()
    member = MemberContactFactory()
    client.force_login(member.user)

    response = client.post(reverse("meetings:register", args=[meeting.slug]), follow=True)

    assert "Sie sind angemeldet." in response.content.decode()
    assert meeting.registrations.get().contact == member


def test_a_rule_violation_is_shown_on_the_form_with_the_choice_kept(client):
    meeting = MeetingFactory()
    a = WorkshopFactory(meeting=meeting, round=1, title="Digitale Dörfer")
    b = WorkshopFactory(meeting=meeting, round=1, title="Homeoffice")
    client.force_login(MemberContactFactory().user)

    response = client.post(
        reverse("meetings:register", args=[meeting.slug]), {"workshops": [a.pk, b.pk]}
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "höchstens einen Workshop in Runde 1" in content
    assert content.count("checked") == 2
    assert meeting.registrations.count() == 0


def test_member_changes_workshops_and_the_waiting_list_moves_up(client):
    meeting = MeetingFactory()
    full = WorkshopFactory(meeting=meeting, round=1, capacity=1, title="Digitale Dörfer")
    other = WorkshopFactory(meeting=meeting, round=1, title="Homeoffice")
    member = MemberContactFactory()
    registration_services.register(contact=member, meeting=meeting, workshops=[full])
    waiting = registration_services.register(
        contact=MemberContactFactory(), meeting=meeting, workshops=[full], waitlist=True
    )
    client.force_login(member.user)

    response = client.post(
        reverse("meetings:change_workshops", args=[meeting.slug]),
        {"workshops": [other.pk]},
        follow=True,
    )

    assert "Ihre Workshops wurden geändert." in response.content.decode()
    assert waiting.seats.get().status == "confirmed"


def test_member_cancels_the_registration(client):
    meeting = MeetingFactory()
    member = MemberContactFactory()
    registration = registration_services.register(contact=member, meeting=meeting)
    client.force_login(member.user)

    client.post(reverse("meetings:unregister", args=[meeting.slug]))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_my_meetings_lists_my_registrations(client):
    member = MemberContactFactory()
    mine = MeetingFactory(title="Fachtagung Krisenmanagement")
    MeetingFactory(title="Anderes Treffen")
    registration_services.register(contact=member, meeting=mine)
    client.force_login(member.user)

    client.post(reverse("meetings:set_up_feed"))
    content = client.get(reverse("meetings:mine")).content.decode()

    assert "Fachtagung Krisenmanagement" in content
    assert "Anderes Treffen" not in content
    assert "/treffen/kalender/" in content


def test_visiting_my_meetings_makes_no_calendar_address_until_the_member_asks(client):
    member = MemberContactFactory()
    client.force_login(member.user)

    content = client.get(reverse("meetings:mine"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert not CalendarToken.objects.filter(contact=member).exists()
    assert "Kalender-Abo einrichten" in content
    assert "/treffen/kalender/" not in content


def test_member_sets_up_the_calendar_subscription_once(client):
    member = MemberContactFactory()
    client.force_login(member.user)

    response = client.post(reverse("meetings:set_up_feed"), follow=True)
    token = CalendarToken.objects.get(contact=member).token
    client.post(reverse("meetings:set_up_feed"))

    assert f"/treffen/kalender/{token}.ics" in response.content.decode()
    assert CalendarToken.objects.get(contact=member).token == token


def test_my_meetings_lists_the_next_meeting_first_and_the_last_past_one_first(client):
    member = MemberContactFactory()
    now = timezone.now()
    titles = {
        "In drei Wochen": 21,
        "Morgen": 1,
        "In zwei Monaten": 60,
        "Vor einer Woche": -7,
        "Vor einem Jahr": -365,
    }
    for title, days in titles.items():
        start = now + timedelta(days=days)
        meeting = MeetingFactory(title=title, start=start, end=start + timedelta(hours=2))
        Registration.objects.create(meeting=meeting, contact=member)
    client.force_login(member.user)

    content = client.get(reverse("meetings:mine")).content.decode()

    order = sorted(titles, key=content.index)
    assert order == [
        "Morgen",
        "In drei Wochen",
        "In zwei Monaten",
        "Vor einer Woche",
        "Vor einem Jahr",
    ]


# --- Permission table -----------------------------------------------------------------------


def _urls(meeting):
    return {
        "detail": reverse("meetings:detail", args=[meeting.slug]),
        "register": reverse("meetings:register", args=[meeting.slug]),
        "unregister": reverse("meetings:unregister", args=[meeting.slug]),
        "mine": reverse("meetings:mine"),
        "renew": reverse("meetings:renew_feed"),
        "set_up_feed": reverse("meetings:set_up_feed"),
    }


@pytest.mark.parametrize(
    ("role", "name", "method", "expected"),
    [
        ("anonymous", "detail", "get", 200),
        ("anonymous", "register", "post", 302),
        ("anonymous", "unregister", "post", 302),
        ("anonymous", "mine", "get", 302),
        ("anonymous", "renew", "post", 302),
        ("anonymous", "set_up_feed", "post", 302),
        ("anonymous", "set_up_feed", "get", 302),
        ("no_contact", "register", "post", 403),
        ("no_contact", "mine", "get", 403),
        ("no_contact", "renew", "post", 403),
        ("no_contact", "set_up_feed", "post", 403),
        ("member", "set_up_feed", "get", 405),
        ("member", "mine", "get", 200),
        ("member", "register", "post", 302),
    ],
)
def test_permission_table(client, role, name, method, expected):
    meeting = MeetingFactory()
    if role == "no_contact":
        client.force_login(UserFactory())
    elif role == "member":
        client.force_login(MemberContactFactory().user)

    response = getattr(client, method)(_urls(meeting)[name])

    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT])
def test_drafts_do_not_reveal_that_they_exist(client, status):
    meeting = MeetingFactory(status=status)
    client.force_login(MemberContactFactory().user)

    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(CoordinatorFactory())
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_members_only_meeting_is_hidden_from_the_public(client):
    meeting = MeetingFactory(is_public=False)

    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(MemberContactFactory().user)
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_inactive_contact_cannot_register(client):
    contact = MemberContactFactory(is_active=False)
    meeting = MeetingFactory()
    client.force_login(contact.user)

    response = client.post(reverse("meetings:register", args=[meeting.slug]))

    assert response.status_code == 403
    assert meeting.registrations.count() == 0


# --- Query counts ---------------------------------------------------------------------------


def _populate(meeting, n):
    for i in range(n):
        AgendaItemFactory(meeting=meeting, position=i)
        GuestRegistrationFactory(meeting=meeting)
    for r in (1, 2):
        WorkshopFactory(meeting=meeting, round=r)


@pytest.mark.parametrize("size", [5, 200])
def test_meeting_page_queries_do_not_grow_with_agenda_and_registrations(
    client, django_assert_max_num_queries, size
):
    meeting = MeetingFactory()
    _populate(meeting, size)
    member = MemberContactFactory()
    registration_services.register(contact=member, meeting=meeting)
    client.force_login(member.user)

    with django_assert_max_num_queries(12):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200


def test_upcoming_page_queries_are_constant(client, django_assert_max_num_queries):
    for _ in range(15):
        MeetingFactory()

    with django_assert_max_num_queries(4):
        client.get(reverse("meetings:upcoming"))
