"""The coordinator's cockpit on the admin start page: what waits, with links to it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from circulars.services import answers as answer_services
from circulars.services import sending as sending_services
from ikone.outbox.models import OutboundEmail
from meetings.models import ActionItem, Meeting
from news.models import Post
from surveys import services as survey_services
from surveys.models import Question, Reminder
from tests.circulars.factories import QuestionCircularFactory
from tests.factories import ContactFactory, CoordinatorFactory, MemberContactFactory
from tests.meetings.factories import MeetingFactory
from tests.news.factories import PostFactory
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = CoordinatorFactory()
    client.force_login(user)
    return user


def _cockpit(client) -> str:
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    return page[page.index('id="cockpit-heading"') : page.index("</section>")]


def test_an_empty_network_says_nothing_waits(client, coordinator):
    cockpit = _cockpit(client)
    assert "Hier wartet nichts." in cockpit


def test_the_cockpit_lists_what_waits_with_links(client, coordinator):
    PostFactory(status=Post.Status.SUBMITTED, title="Bitte prüfen")
    OutboundEmail.objects.create(
        to="x@example.org",
        subject="s",
        body_text="b",
        message_id="<m1@test>",
        status=OutboundEmail.Status.FAILED,
    )
    past = timezone.now() - timedelta(days=40)
    held = MeetingFactory(
        title="1. Stammtisch", start=past, end=past + timedelta(hours=2), status="held"
    )
    ActionItem.objects.create(meeting=held, what="Folien", due=timezone.localdate() - timedelta(1))
    MeetingFactory(title="2. Stammtisch", status=Meeting.Status.ANNOUNCED)
    ContactFactory(user=None)

    cockpit = _cockpit(client)

    assert "1 Beitrag wartet auf Prüfung" in cockpit
    assert "/admin/news/post/?queue=waiting" in cockpit
    assert "1 E-Mail konnte nicht zugestellt werden" in cockpit
    assert "1 Aufgabe ist überfällig" in cockpit
    assert "/admin/meetings/actionitem/?overdue=yes" in cockpit
    assert "Als Nächstes: 2. Stammtisch" in cockpit
    assert "Einladungen noch nicht verschickt." in cockpit
    assert "Das Protokoll von 1. Stammtisch fehlt noch" in cockpit
    assert "wurde nie eingeladen" in cockpit


def test_the_next_meeting_counts_each_registration_once_beside_its_invitations(client, coordinator):
    from meetings.services import invitations
    from meetings.services import registration as registration_services

    meeting = MeetingFactory(title="3. Stammtisch", status=Meeting.Status.ANNOUNCED)
    contacts = [MemberContactFactory() for _ in range(3)]
    invitations.send_invitations(meeting=meeting, contacts=contacts, by=coordinator)
    for contact in contacts[:2]:
        registration_services.register(contact=contact, meeting=meeting)

    cockpit = _cockpit(client)

    assert "Als Nächstes: 3. Stammtisch" in cockpit
    assert "– 2 angemeldet" in cockpit
    assert "3 Einladungen verschickt." in cockpit


def test_open_surveys_show_who_has_not_answered_and_remind_them(client, coordinator):
    survey = SurveyFactory(title="Stand der Digitalisierung")
    text = question_with_options(survey, Question.Kind.TEXT, [])
    answered, silent = MemberContactFactory(), MemberContactFactory()
    silent.municipality.name = "Zweibrücken"
    silent.municipality.save()
    survey_services.save_response(
        survey=survey, contact=answered, answers={text.pk: "ja"}, version=0, submit=True
    )

    cockpit = _cockpit(client)
    assert "Stand der Digitalisierung: 1 von 2 Kommunen haben geantwortet" in cockpit
    assert "Zweibrücken" in cockpit
    assert 'value="remind_surveys"' in cockpit

    client.post(
        "/admin/surveys/survey/", {"action": "remind_surveys", "_selected_action": [survey.pk]}
    )
    assert list(Reminder.objects.values_list("municipality__name", flat=True)) == ["Zweibrücken"]


def test_circulars_show_their_reply_rate_per_municipality(client, coordinator):
    first, second = MemberContactFactory(), MemberContactFactory()
    circular = sending_services.send_circular(
        circular=QuestionCircularFactory(subject="Workshop"), by=coordinator
    )
    answer_services.answer_circular(recipient=circular.recipients.get(contact=first), answer="yes")
    cockpit = _cockpit(client)
    assert "Workshop: 1 von 2 Kommunen haben geantwortet" in cockpit
    assert second.municipality.name in cockpit
    assert f"/admin/circulars/circular/{circular.pk}/" in cockpit


def test_minutes_missing_lists_every_held_meeting_whose_minutes_wait_for_the_coordinator(
    client, coordinator
):
    from meetings.models import MinutesCorrection, MinutesStatus

    now = timezone.now()

    def held(title, days, **fields):
        start = now - timedelta(days=days)
        return MeetingFactory(
            title=title, start=start, end=start + timedelta(hours=2), status="held", **fields
        )

    unwritten = held("Stammtisch Laternen", 60)
    draft = held("Stammtisch Glasfaser", 50, minutes="Entwurf")
    overdue = held(
        "Stammtisch KI",
        40,
        minutes="Text",
        minutes_status=MinutesStatus.CIRCULATED,
        minutes_deadline=now - timedelta(days=2),
    )
    MinutesCorrection.objects.create(
        meeting=overdue, contact=MemberContactFactory(), text="Es war Mainz, nicht Worms."
    )
    held(  # in its round for corrections: the participants' turn
        "Stammtisch Cloud",
        30,
        minutes="Text",
        minutes_status=MinutesStatus.CIRCULATED,
        minutes_deadline=now + timedelta(days=5),
    )
    held("Stammtisch Bürgerportal", 20, minutes="Text", minutes_status=MinutesStatus.APPROVED)
    held("Stammtisch Open Data", 10, minutes="Text", minutes_status=MinutesStatus.LOCKED)
    cancelled = held("Abgesagter Stammtisch", 15)
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)

    cockpit = _cockpit(client)

    for meeting, detail in (
        (unwritten, "Noch nicht geschrieben."),
        (draft, "Ein Entwurf, noch nicht zur Korrektur verschickt."),
        (overdue, "Die Korrekturrunde endete am"),
    ):
        assert f"Das Protokoll von {meeting.display_title} fehlt noch" in cockpit
        assert f"/admin/meetings/meeting/{meeting.pk}/protokoll/" in cockpit
        assert detail in cockpit
    assert "1 Korrektur ist offen." in cockpit
    for title in ("Stammtisch Cloud", "Stammtisch Bürgerportal", "Stammtisch Open Data"):
        assert title not in cockpit
    assert "Abgesagter Stammtisch" not in cockpit
    # the most recent first
    assert cockpit.index("Stammtisch KI") < cockpit.index("Stammtisch Glasfaser")
    assert cockpit.index("Stammtisch Glasfaser") < cockpit.index("Stammtisch Laternen")
