"""Who sees what: drafts stay with their municipality, unpublished results with the team."""

import csv
import io

import pytest
from openpyxl import load_workbook

from surveys import services
from surveys.models import Question, Survey
from tests.factories import CoordinatorFactory, MemberContactFactory, UserFactory
from tests.surveys.factories import SurveyFactory, option_ids, question_with_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = SurveyFactory(title="Themen")
    question_with_options(survey, Question.Kind.TEXT, [])
    question_with_options(survey, Question.Kind.RANKING, ["Smart City", "Datenschutz"])
    return survey


def test_a_draft_of_municipality_a_is_invisible_to_municipality_b(client, survey):
    text, _ranking = survey.questions.order_by("position")
    a, b = MemberContactFactory(), MemberContactFactory()
    services.save_response(
        survey=survey, contact=a, answers={text.pk: "Geheimer Entwurf von A"}, version=0
    )
    client.force_login(b.user)
    page = client.get(f"/bereich/umfragen/{survey.pk}/").content.decode()
    assert "Geheimer Entwurf von A" not in page


@pytest.mark.parametrize(
    ("role", "visibility", "expected"),
    [
        ("anonymous", "coordinators", 302),
        ("anonymous", "members", 302),
        ("anonymous", "public", 200),
        ("member", "coordinators", 403),
        ("member", "members", 200),
        ("other", "members", 403),
        ("coordinator", "coordinators", 200),
    ],
)
def test_results_permission_table(client, survey, role, visibility, expected):
    survey.results_visibility = visibility
    survey.save()
    if role == "member":
        client.force_login(MemberContactFactory().user)
    elif role == "other":
        client.force_login(UserFactory())  # a login without a contact record
    elif role == "coordinator":
        client.force_login(CoordinatorFactory())
    for suffix in ("ergebnisse/", "ergebnisse.csv", "praesentation/1/"):
        response = client.get(f"/umfragen/{survey.pk}/{suffix}")
        assert response.status_code == expected, suffix


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("nobody", 403), ("foreign", 404)]
)
def test_answer_page_permission_table(client, survey, role, expected):
    if role == "nobody":
        client.force_login(UserFactory())
    elif role == "foreign":
        survey.audience = Survey.Audience.CHOSEN
        survey.save()
        survey.municipalities.set([MemberContactFactory().municipality])
        client.force_login(MemberContactFactory().user)
    assert client.get(f"/bereich/umfragen/{survey.pk}/").status_code == expected


def _submit(survey, text):
    text_q, ranking = survey.questions.order_by("position")
    contact = MemberContactFactory()
    services.save_response(
        survey=survey,
        contact=contact,
        answers={text_q.pk: text, ranking.pk: list(reversed(option_ids(ranking)))},
        version=0,
        submit=True,
    )
    return contact


def test_csv_export_opens_with_the_csv_module_and_holds_the_borda_points(client, survey):
    _submit(survey, "=HYPERLINK(1)")
    client.force_login(CoordinatorFactory())
    content = client.get(f"/umfragen/{survey.pk}/ergebnisse.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:4] == ["Frage", "Art", "Antwort", "Anzahl"]
    ranking_rows = [row for row in rows if row[1] == "Rangfolge"]
    assert [(row[2], row[5]) for row in ranking_rows] == [("Datenschutz", "1"), ("Smart City", "0")]
    assert any(row[2] == "'=HYPERLINK(1)" for row in rows)  # no formula injection


def test_xlsx_export_opens_with_openpyxl_and_names_respondents_for_coordinators(client, survey):
    contact = _submit(survey, "Mehr Austausch")
    client.force_login(CoordinatorFactory())
    response = client.get(f"/umfragen/{survey.pk}/ergebnisse.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Ergebnisse", "Antworten"]
    responses = list(workbook["Antworten"].values)
    assert responses[1][0] == contact.municipality.name
    assert responses[1][4] == "Datenschutz > Smart City"


def test_xlsx_export_for_members_holds_aggregates_only(client, survey):
    survey.results_visibility = Survey.Visibility.MEMBERS
    survey.save()
    _submit(survey, "Mehr Austausch")
    client.force_login(MemberContactFactory().user)
    response = client.get(f"/umfragen/{survey.pk}/ergebnisse.xlsx")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Ergebnisse"]


def test_results_page_shows_response_rate_chart_and_table(client, survey):
    _submit(survey, "Mehr Austausch")
    MemberContactFactory()  # a second municipality that did not answer
    client.force_login(CoordinatorFactory())
    page = client.get(f"/umfragen/{survey.pk}/ergebnisse/").content.decode()
    assert "1 von 2 Kommunen haben geantwortet" in page
    assert "<svg" in page and 'scope="row"' in page


def test_member_start_page_shows_the_current_topic_ranking(client, survey):
    survey.results_visibility = Survey.Visibility.MEMBERS
    survey.save()
    member = _submit(survey, "")
    client.force_login(member.user)
    page = client.get("/bereich/").content.decode()
    assert "Aktuelle Themen-Rangfolge" in page
    assert page.index("Datenschutz") < page.index("Smart City", page.index("Themen-Rangfolge"))
