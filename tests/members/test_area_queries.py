"""The member start page (/bereich/) runs the same number of queries however much data exists.

The page is measured with a little data and again after adding many more municipalities,
contacts, posts, meetings with registrations, surveys with ranking answers and circular
letters with recipients; the query counts must be equal.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circulars.services import sending as sending_services
from meetings.services import registration as registration_services
from surveys import services as survey_services
from surveys.models import Question, Survey
from tests.circulars.factories import QuestionCircularFactory
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)
from tests.meetings.factories import MeetingFactory
from tests.news.factories import PublishedPostFactory
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db


def grow(*, member, coordinator, scale: int) -> None:
    """Add ``scale`` of everything the start page could touch."""
    members = []
    for _ in range(scale):
        municipality = MunicipalityFactory()
        members.append(MemberContactFactory(municipality=municipality))
        ContactFactory.create_batch(2, municipality=municipality)
        for post in PublishedPostFactory.create_batch(2, municipality=municipality):
            post.topics.add(TopicFactory())
    for post in PublishedPostFactory.create_batch(scale, municipality=member.municipality):
        post.topics.add(TopicFactory())
    for _ in range(scale):
        meeting = MeetingFactory()
        registration_services.register(contact=member, meeting=meeting)
        for other in members[:3]:
            registration_services.register(contact=other, meeting=meeting)
    survey = SurveyFactory(results_visibility=Survey.Visibility.MEMBERS)
    ranking = question_with_options(
        survey, Question.Kind.RANKING, [f"Thema {n}" for n in range(scale + 3)], text="Rang?"
    )
    options = list(ranking.options.order_by("position").values_list("pk", flat=True))
    for index, contact in enumerate([member, *members]):
        order = options[index % len(options) :] + options[: index % len(options)]
        survey_services.save_response(
            survey=survey, contact=contact, answers={ranking.pk: order[:3]}, version=0, submit=True
        )
    SurveyFactory.create_batch(scale, results_visibility=Survey.Visibility.MEMBERS)
    for _ in range(scale):
        sending_services.send_circular(circular=QuestionCircularFactory(), by=coordinator)


def queries_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_start_page_queries_do_not_grow_with_data(client, role):
    coordinator = CoordinatorFactory()
    member = MemberContactFactory(first_name="Lena")
    client.force_login(member.user if role == "member" else coordinator)
    url = reverse("members:area")
    grow(member=member, coordinator=coordinator, scale=1)
    queries_of(client, url)  # warm: session and content types are cached after this

    few = queries_of(client, url)
    grow(member=member, coordinator=coordinator, scale=12)
    many = queries_of(client, url)

    assert len(many) == len(few), "\n".join(many)
    page = client.get(url).content.decode()
    assert "Thema" in page  # the topic ranking is on the page, so its queries ran
    if role == "member":
        assert "Willkommen, Lena" in page
