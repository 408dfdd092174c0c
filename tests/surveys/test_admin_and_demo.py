import pytest

from members import demo as members_demo
from surveys import demo
from surveys.models import Question, Survey
from surveys.results import compute, current_topic_ranking
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db


def test_demo_topic_survey_puts_the_press_texts_topics_on_top_and_loads_twice(network_topics):
    base = members_demo.load()
    demo.load(base=base)
    demo.load(base=base)
    survey = Survey.objects.get(title=demo.TOPIC_SURVEY)
    results = compute(survey)
    # measured against the 25 members of March 2023, not against today's 29
    assert (results.municipalities_answered, results.audience_size) == (18, 25)
    top = [row.label for row in results.questions[0].ranking[:3]]
    assert top == demo.TOP_TOPICS
    assert [row.label for row in current_topic_ranking(limit=3)[1]] == demo.TOP_TOPICS
    assert Survey.objects.running().filter(title=demo.STATE_SURVEY).exists()


def test_coordinator_opens_a_survey_with_the_admin_action(
    client, django_capture_on_commit_callbacks
):
    survey = SurveyFactory(opened_at=None)
    question_with_options(survey, Question.Kind.TEXT, [])
    MemberContactFactory()
    client.force_login(CoordinatorFactory())
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/admin/surveys/survey/",
            {"action": "open_surveys", "_selected_action": [survey.pk]},
            follow=True,
        )
    assert response.status_code == 200
    survey.refresh_from_db()
    assert survey.opened_at is not None


def test_coordinator_copies_a_survey_with_the_admin_action(client):
    survey = SurveyFactory(title="Themenumfrage")
    client.force_login(CoordinatorFactory())
    client.post(
        "/admin/surveys/survey/", {"action": "copy_surveys", "_selected_action": [survey.pk]}
    )
    assert Survey.objects.filter(title="Themenumfrage (Kopie)").exists()


@pytest.mark.parametrize(
    "url", ["/admin/surveys/survey/", "/admin/surveys/survey/add/", "/admin/surveys/response/"]
)
def test_admin_pages_open(client, url):
    SurveyFactory()
    client.force_login(CoordinatorFactory())
    assert client.get(url).status_code == 200


def test_presentation_view_links_the_questions(client):
    survey = SurveyFactory(results_visibility=Survey.Visibility.PUBLIC)
    question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    question_with_options(survey, Question.Kind.TEXT, [])
    page = client.get(f"/umfragen/{survey.pk}/praesentation/1/").content.decode()
    assert f"/umfragen/{survey.pk}/praesentation/2/" in page
    assert "/static/surveys/presentation." in page
    assert client.get(f"/umfragen/{survey.pk}/praesentation/3/").status_code == 404
