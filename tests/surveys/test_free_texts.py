"""Free-text answers are not aggregated: only the coordination team reads those of named surveys."""

import csv
import io

import pytest

from surveys import services
from surveys.models import Question, Survey
from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db

TEXT = "Mehr Austausch zur E-Akte, Grüße von Lena Beispiel"


def _published_survey(*, anonymous):
    survey = SurveyFactory(results_visibility=Survey.Visibility.PUBLIC, anonymous=anonymous)
    question = question_with_options(survey, Question.Kind.TEXT, [], text="Wünsche?")
    contact = MemberContactFactory(municipality=MunicipalityFactory(name="Worms"))
    services.save_response(
        survey=survey, contact=contact, answers={question.pk: TEXT}, version=0, submit=True
    )
    return survey


def _pages(client, survey):
    base = f"/umfragen/{survey.pk}"
    return {
        "results": client.get(f"{base}/ergebnisse/").content.decode(),
        "presentation": client.get(f"{base}/praesentation/1/").content.decode(),
        "csv": client.get(f"{base}/ergebnisse.csv").content.decode("utf-8-sig"),
    }


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_free_texts_of_a_named_survey_stay_with_the_coordination_team(client, role):
    survey = _published_survey(anonymous=False)
    if role == "member":
        client.force_login(MemberContactFactory().user)

    pages = _pages(client, survey)

    for name, body in pages.items():
        assert TEXT not in body, name
        assert "Worms" not in body, name
    assert "sieht nur das Koordinationsteam" in pages["results"]
    rows = list(csv.reader(io.StringIO(pages["csv"]), delimiter=";"))
    hidden = "Freitext-Antworten sieht nur das Koordinationsteam."
    assert rows[1][:4] == ["Wünsche?", "Freitext", hidden, "1"]  # the count remains


def test_free_texts_of_an_anonymous_survey_are_published_without_a_name(client):
    survey = _published_survey(anonymous=True)

    pages = _pages(client, survey)

    assert TEXT in pages["results"] and TEXT in pages["presentation"]
    assert "Worms" not in pages["results"]


def test_the_coordination_team_reads_free_texts_with_their_municipality(client):
    survey = _published_survey(anonymous=False)
    client.force_login(CoordinatorFactory())

    page = _pages(client, survey)["results"]

    assert TEXT in page and "Worms" in page
