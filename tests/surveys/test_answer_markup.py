"""The answer page is valid: every id it refers to exists, none is used twice."""

import pytest

from surveys.models import Question
from tests.factories import MemberContactFactory
from tests.html_checks import id_problems
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db


def test_answer_page_refers_only_to_ids_it_has_for_every_kind_of_question(client):
    survey = SurveyFactory()
    for kind, options in [
        (Question.Kind.RANKING, ["A", "B"]),
        (Question.Kind.RANKING, ["C", "D"]),
        (Question.Kind.SINGLE, ["Ja", "Nein"]),
        (Question.Kind.MULTIPLE, ["Ja", "Nein"]),
        (Question.Kind.TEXT, []),
        (Question.Kind.NUMBER, []),
        (Question.Kind.RATING, []),
    ]:
        question_with_options(survey, kind, options, help_text="Ein Hinweis", required=True)
    client.force_login(MemberContactFactory().user)
    url = f"/bereich/umfragen/{survey.pk}/"

    assert id_problems(client.get(url).content.decode()) == []
    with_errors = client.post(url, {"submit": "1", "version": "0"}).content.decode()
    assert "border-danger" in with_errors
    assert id_problems(with_errors) == []


def test_the_check_finds_a_dangling_reference():
    page = '<label for="x">A</label><p id="y"></p><p id="y"></p><a href="#z">z</a>'
    assert id_problems(page) == [
        "<a href> points to missing id 'z'",
        "<label for> points to missing id 'x'",
        "duplicate id 'y'",
    ]
