"""Chart geometry is markup: it never goes through the reader's number format."""

import re

import pytest

from surveys import services
from surveys.models import Question
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.surveys.factories import SurveyFactory, option_ids, question_with_options

pytestmark = pytest.mark.django_db

NUMBER = r"-?\d+(?:\.\d+)?"


@pytest.fixture
def survey():
    """Two thirds chose "Ja": bar widths and shares with a fractional part."""
    survey = SurveyFactory(title="Glasfaser", results_visibility="public")
    question = question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    yes, no = option_ids(question)
    for choice in (yes, yes, no):
        services.save_response(
            survey=survey,
            contact=MemberContactFactory(),
            answers={question.pk: choice},
            version=0,
            submit=True,
        )
    return survey


def _svg_numbers(page: str) -> list[str]:
    start = page.index('<svg class="result-chart')  # not the network's mark in the header
    svg = page[start : page.index("</svg>", start)]
    return re.findall(r'\b(?:x|y|width|height|viewBox)="([^"]*)"', svg)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("path", ["ergebnisse/", "praesentation/1/"])
def test_bars_have_a_machine_readable_width_in_every_language(client, survey, language, path):
    client.force_login(CoordinatorFactory())
    page = client.get(f"/umfragen/{survey.pk}/{path}", HTTP_ACCEPT_LANGUAGE=language)
    page = page.content.decode()
    values = _svg_numbers(page)
    assert values, "the page draws a chart"
    for value in values:
        assert all(re.fullmatch(NUMBER, part) for part in value.split()), value
    widths = [float(w) for w in re.findall(r'<rect[^>]*\bwidth="([^"]*)"', page)]
    assert sorted(widths) == [106.6, 213.4]


def test_the_share_beside_the_bar_is_written_as_the_reader_writes_numbers(client, survey):
    client.force_login(CoordinatorFactory())
    german = client.get(f"/umfragen/{survey.pk}/ergebnisse/", HTTP_ACCEPT_LANGUAGE="de")
    english = client.get(f"/umfragen/{survey.pk}/ergebnisse/", HTTP_ACCEPT_LANGUAGE="en")
    assert "2 (66,7 %)" in german.content.decode()
    assert "2 (66.7 %)" in english.content.decode()


@pytest.mark.parametrize(("language", "share"), [("de", "66,7"), ("en", "66.7")])
def test_csv_writes_fractions_as_the_spreadsheet_of_that_language_reads_them(
    client, survey, language, share
):
    """German Excel reads 16.7 as the 16th of July: the German CSV writes 16,7."""
    import csv
    import io

    client.force_login(CoordinatorFactory())
    response = client.get(f"/umfragen/{survey.pk}/ergebnisse.csv", HTTP_ACCEPT_LANGUAGE=language)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = {cell for row in rows for cell in row}
    assert share in cells
    assert ({"66.7", "66,7"} - {share}).isdisjoint(cells)
