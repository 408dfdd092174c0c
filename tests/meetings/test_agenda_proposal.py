"""*Tagesordnung vorschlagen*: the agenda of a planned meeting from the members' ranking."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import agenda_proposal
from meetings.models import ActionItem, AgendaItem, Meeting
from members.models import Topic
from surveys.models import Answer, Option, Question, Response
from tests.factories import CoordinatorFactory, MunicipalityFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory

from .factories import AgendaItemFactory, MeetingFactory, MeetingSeriesFactory

pytestmark = pytest.mark.django_db

WISH = "Bitte unbedingt Frau Wunschreferentin einladen"


def _held(series, days_ago, title):
    start = timezone.now() - timedelta(days=days_ago)
    return MeetingFactory(
        series=series,
        title=title,
        start=start,
        end=start + timedelta(hours=2),
        status=Meeting.Status.HELD,
    )


@pytest.fixture
def world():
    """Four ranked topics, five meetings of a series, a planned one."""
    topics = {
        key: Topic.objects.get_or_create(name=name, defaults={"slug": key})[0]
        for key, name in [
            ("strategie", "Digitalstrategie"),
            ("smart-city", "Smart City"),
            ("beteiligung", "Beteiligungsplattformen"),
            ("open-data", "Open Data"),
        ]
    }
    survey = SurveyFactory(title="Themenumfrage 2023")
    question = QuestionFactory(survey=survey, kind=Question.Kind.RANKING, topics_as_options=False)
    options = {
        key: Option.objects.create(question=question, position=i, text=topic.name, topic=topic)
        for i, (key, topic) in enumerate(topics.items())
    }
    wishes = QuestionFactory(survey=survey, kind=Question.Kind.TEXT)
    # Borda with four options: 3, 2, 1, 0 points. Strategie 8, Smart City 6, Beteiligung 4.
    orders = [
        ["strategie", "smart-city", "beteiligung", "open-data"],
        ["smart-city", "strategie", "beteiligung", "open-data"],
        ["strategie", "beteiligung", "smart-city", "open-data"],
    ]
    for index, order in enumerate(orders):
        response = Response.objects.create(
            survey=survey,
            municipality=MunicipalityFactory(name=f"Antwortgemeinde {index}"),
            status=Response.Status.SUBMITTED,
        )
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=question, option=options[key], rank=rank)
                for rank, key in enumerate(order, start=1)
            ]
        )
        Answer.objects.create(response=response, question=wishes, text=WISH)

    series = MeetingSeriesFactory()
    oldest = _held(series, 200, "1. Stammtisch")
    item = AgendaItemFactory(meeting=oldest, title="Laternen", speaker="Frank Huber")
    item.topics.add(topics["smart-city"])
    _held(series, 150, "2. Stammtisch")
    third = _held(series, 100, "3. Stammtisch")
    ActionItem.objects.create(
        meeting=third, what="Rundschreiben Workshop Ingelheim", owner_team=True
    )
    _held(series, 60, "4. Stammtisch")
    last = _held(series, 20, "5. Stammtisch")
    covered = AgendaItemFactory(meeting=last, title="Strategie-Werkstatt", speaker="Kerstin Petri")
    covered.topics.add(topics["strategie"])
    start = timezone.now() + timedelta(days=20)
    planned = MeetingFactory(
        series=series, title="6. Stammtisch", start=start, end=start + timedelta(hours=2)
    )
    return {"topics": topics, "planned": planned, "last": last, "series": series}


def test_the_proposal_follows_the_ranking_without_recently_covered_topics(world):
    proposal = agenda_proposal.propose(meeting=world["planned"])

    assert [(s.label, s.rank, s.points) for s in proposal.topics] == [
        ("Smart City", 2, 6),
        ("Beteiligungsplattformen", 3, 4),
        ("Open Data", 4, 0),
    ]
    assert [s.label for s in proposal.covered] == ["Digitalstrategie"]
    assert [s.name for s in proposal.topics[0].speakers] == ["Frank Huber"]
    assert [item.what for item in proposal.open_items] == ["Rundschreiben Workshop Ingelheim"]
    assert proposal.previous == world["last"]


def test_the_proposal_page_never_shows_who_wished_for_what(client, world):
    client.force_login(CoordinatorFactory())

    page = client.get(
        reverse("admin:meetings_meeting_agenda_proposal", args=[world["planned"].pk])
    ).content.decode()

    assert "Smart City" in page
    assert "Frank Huber" in page
    assert WISH not in page
    assert "Antwortgemeinde" not in page


def test_coordinator_builds_the_agenda_and_the_next_proposal_knows(client, world):
    client.force_login(CoordinatorFactory())
    planned = world["planned"]
    url = reverse("admin:meetings_meeting_agenda_proposal", args=[planned.pk])

    response = client.post(
        url,
        {
            "pick": ["approve", "open", "topic-2"],
            "order-approve": "1",
            "order-open": "3",
            "order-topic-2": "2",
            "title-topic-2": "Smart City: Smarte Laternen",
            "speaker-topic-2": "Frank Huber",
            "title-approve": "Protokoll der letzten Sitzung genehmigen",
            "title-open": "Offene Punkte",
        },
    )

    assert response.status_code == 302
    items = list(planned.agenda_items.order_by("position"))
    assert [item.title for item in items] == [
        "Protokoll der letzten Sitzung genehmigen",
        "Smart City: Smarte Laternen",
        "Offene Punkte",
    ]
    assert list(items[1].topics.all()) == [world["topics"]["smart-city"]]
    assert "Rundschreiben Workshop Ingelheim" in items[2].description
    start = planned.start + timedelta(days=42)
    later = MeetingFactory(series=world["series"], start=start, end=start + timedelta(hours=2))
    again = agenda_proposal.propose(meeting=later)
    assert "Smart City" in [s.label for s in again.covered]


def test_nothing_chosen_is_a_message_and_the_typed_titles_stay(client, world):
    client.force_login(CoordinatorFactory())
    url = reverse("admin:meetings_meeting_agenda_proposal", args=[world["planned"].pk])

    response = client.post(url, {"title-topic-2": "Mein eigener Titel"}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "mindestens einen Punkt" in page
    assert 'value="Mein eigener Titel"' in page
    assert not world["planned"].agenda_items.exists()


def test_without_a_ranking_survey_the_page_says_so(client):
    client.force_login(CoordinatorFactory())
    meeting = MeetingFactory()

    response = client.get(reverse("admin:meetings_meeting_agenda_proposal", args=[meeting.pk]))

    assert response.status_code == 200
    assert 'data-testid="proposal-refused"' in response.content.decode()


def test_an_unopened_ranking_survey_does_not_count(client):
    survey = SurveyFactory(opened_at=None)
    QuestionFactory(survey=survey, kind=Question.Kind.RANKING)

    with pytest.raises(agenda_proposal.AgendaProposalError):
        agenda_proposal.propose(meeting=MeetingFactory())


def test_a_held_meeting_gets_no_proposal(world):
    with pytest.raises(agenda_proposal.AgendaProposalError):
        agenda_proposal.propose(meeting=world["last"])
    with pytest.raises(agenda_proposal.AgendaProposalError):
        agenda_proposal.create_agenda(
            meeting=world["last"], picks=[agenda_proposal.Pick(title="Nachträglich")], by=None
        )
    assert not AgendaItem.objects.filter(title="Nachträglich").exists()


def test_topic_coverage_shows_rank_and_when_and_by_whom(client, world):
    client.force_login(CoordinatorFactory())

    page = client.get(reverse("admin:meetings_meeting_topic_coverage")).content.decode()

    table = page[page.index('data-testid="coverage"') :]
    strategie = table[table.index('<th scope="row">Digitalstrategie</th>') :]
    strategie = strategie[: strategie.index("</tr>")]
    assert "1. (8)" in strategie
    assert "Strategie-Werkstatt – Kerstin Petri" in strategie
    assert "Open Data" in table


@pytest.mark.parametrize("name", ["agenda_proposal", "topic_coverage"])
def test_proposal_pages_are_for_coordinators_only(client, world, name):
    from tests.factories import MemberContactFactory

    client.force_login(MemberContactFactory().user)
    args = [world["planned"].pk] if name == "agenda_proposal" else []

    response = client.get(reverse(f"admin:meetings_meeting_{name}", args=args))

    assert response.status_code == 302
