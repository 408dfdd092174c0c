"""*Für Sie zu tun*: the member's start page leads with what waits for them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circulars.services import answers as answer_services
from circulars.services import sending as sending_services
from meetings.services import registration as registration_services
from news.models import Post
from surveys import services as survey_services
from surveys.models import Question
from tests.circulars.factories import QuestionCircularFactory
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.meetings.factories import MeetingFactory
from tests.news.factories import PostFactory
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db


def _start_page(client, contact) -> str:
    client.force_login(contact.user)
    return client.get("/bereich/", HTTP_ACCEPT_LANGUAGE="de").content.decode()


def _todo_section(page: str) -> str:
    return page[page.index('id="todo-heading"') : page.index('id="links-heading"')]


@pytest.fixture
def member():
    return MemberContactFactory(first_name="Lena", last_name="Hoffmann")


def test_nothing_waiting_says_so_and_the_links_follow(client, member):
    page = _start_page(client, member)
    assert "Für Sie zu tun" in page
    assert "Gerade wartet nichts auf Sie" in page
    assert page.index("Für Sie zu tun") < page.index("Passwort ändern")


def test_surveys_of_the_municipality_still_to_answer_with_deadline_and_draft_author(client, member):
    closes = timezone.now() + timedelta(days=10)
    fresh = SurveyFactory(title="Stand der Digitalisierung", closes_at=closes)
    question_with_options(fresh, Question.Kind.TEXT, [])
    drafted = SurveyFactory(title="Themenumfrage")
    text = question_with_options(drafted, Question.Kind.TEXT, [])
    colleague = MemberContactFactory(
        municipality=member.municipality, first_name="Tom", last_name="Becker"
    )
    survey_services.save_response(
        survey=drafted, contact=colleague, answers={text.pk: "Entwurf"}, version=0
    )
    done = SurveyFactory(title="Erledigte Umfrage")
    done_text = question_with_options(done, Question.Kind.TEXT, [])
    survey_services.save_response(
        survey=done, contact=member, answers={done_text.pk: "x"}, version=0, submit=True
    )

    todos = _todo_section(_start_page(client, member))

    assert "Umfrage „Stand der Digitalisierung“ beantworten" in todos
    assert "Noch nicht begonnen" in todos
    assert f"bis {closes.astimezone(timezone.get_current_timezone()).day}." in todos
    assert "Umfrage „Themenumfrage“ beantworten" in todos
    assert "Entwurf gespeichert von Tom Becker" in todos
    assert "Erledigte Umfrage" not in todos
    assert fresh.get_absolute_url() in todos


def test_the_next_meeting_offers_registration_then_says_you_are_registered(client, member):
    meeting = MeetingFactory(title="2. Digitaler Stammtisch 2027")
    MeetingFactory(title="Späteres Treffen", start=timezone.now() + timedelta(days=60))

    todos = _todo_section(_start_page(client, member))
    assert "Anmelden zu 2. Digitaler Stammtisch 2027" in todos
    assert "Späteres Treffen" not in todos

    registration_services.register(contact=member, meeting=meeting)
    todos = _todo_section(_start_page(client, member))
    assert "Sie sind angemeldet für 2. Digitaler Stammtisch 2027" in todos
    assert f"/treffen/{meeting.slug}/termin.ics" in todos


def test_circulars_waiting_for_a_reply_until_answered(client, member):
    circular = sending_services.send_circular(
        circular=QuestionCircularFactory(subject="Workshop Ingelheim"), by=CoordinatorFactory()
    )
    todos = _todo_section(_start_page(client, member))
    assert "Auf das Rundschreiben „Workshop Ingelheim“ antworten" in todos
    assert f"/bereich/rundschreiben/{circular.pk}/" in todos

    answer_services.answer_circular(recipient=circular.recipients.get(contact=member), answer="yes")
    assert "Workshop Ingelheim" not in _todo_section(_start_page(client, member))


def test_posts_sent_back_for_changes(client, member):
    post = PostFactory(
        municipality=member.municipality,
        title="Glasfaser in Kusel",
        status=Post.Status.CHANGES_REQUESTED,
    )
    PostFactory(municipality=member.municipality, title="Entwurf", status=Post.Status.DRAFT)
    todos = _todo_section(_start_page(client, member))
    assert "Beitrag „Glasfaser in Kusel“ überarbeiten" in todos
    assert f"/bereich/beitraege/{post.pk}/" in todos
    assert "„Entwurf“" not in todos


def test_other_municipalities_tasks_do_not_show(client, member):
    other = MemberContactFactory()
    PostFactory(
        municipality=other.municipality, title="Fremder Beitrag", status="changes_requested"
    )
    assert "Fremder Beitrag" not in _todo_section(_start_page(client, member))


def test_own_open_action_items_with_their_meeting_until_done(client, member):
    from meetings.models import ActionItem, Meeting

    past = timezone.now() - timedelta(days=30)
    meeting = MeetingFactory(
        title="3. Stammtisch", start=past, end=past + timedelta(hours=2), status=Meeting.Status.HELD
    )
    mine = ActionItem.objects.create(
        meeting=meeting,
        what="Leitfaden zur E-Akte teilen",
        owner=member,
        due=timezone.localdate() - timedelta(days=2),
    )
    ActionItem.objects.create(meeting=meeting, what="Fremde Aufgabe", owner=MemberContactFactory())

    todos = _todo_section(_start_page(client, member))
    assert "Aufgabe: Leitfaden zur E-Akte teilen" in todos
    assert "vereinbart beim 3. Stammtisch · überfällig" in todos
    assert reverse("meetings:my_action_items") in todos
    assert "Fremde Aufgabe" not in todos

    mine.status = ActionItem.Status.DONE
    mine.save()
    assert "Leitfaden zur E-Akte" not in _todo_section(_start_page(client, member))
