"""Every CSV and XLSX export defuses cells that spreadsheet programs would run as formulas.

A formula also starts at the full-width and small forms of ``= + - @`` (Excel and LibreOffice
fold them to ASCII) and after a leading tab, CR or LF. Each payload carries the marker HACK so
the assertions find every cell that holds member-written text.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from circulars.services import answers as answer_services
from circulars.services import sending as sending_services
from ikone.spreadsheet import safe_cell, safe_xlsx_cell
from surveys import services as survey_services
from surveys.models import Question, Survey
from tests.circulars.factories import QuestionCircularFactory
from tests.factories import ContactFactory, CoordinatorFactory, MemberContactFactory
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "=HACK(1)",
    "+HACK",
    "-HACK+1",
    "@HACK(A1)",
    "\t=HACK",
    "\r=HACK",
    "\n=HACK",
    "＝HACK(1)",  # full-width equals
    "＋HACK",  # full-width plus
    "－HACK",  # full-width hyphen-minus
    "＠HACK",  # full-width commercial at
    "﹦HACK",  # small equals
    "﹢HACK",  # small plus
    "﹣HACK",  # small hyphen-minus
    "﹫HACK",  # small commercial at
]
# What a spreadsheet program would read as the start of a formula (written out independently
# of the code under test).
DANGEROUS_STARTS = set("=+-@\t\r\n") | set("＝＋－＠") | set("﹦﹢﹣﹫")


def test_safe_cell_quotes_every_formula_start_and_leaves_other_values():
    for payload in PAYLOADS:
        assert safe_cell(payload) == "'" + payload
    for harmless in ("Hoffmann", "Grüße", "", "a=b", " =x", "'=schon"):
        assert safe_cell(harmless) == harmless
    for value in (5, -3, 2.5, None):
        assert safe_cell(value) == value


def test_xlsx_cell_drops_control_characters_before_checking():
    assert safe_xlsx_cell("\x01=HACK") == "'=HACK"
    assert safe_xlsx_cell("Zeile\x0bzwei") == "Zeilezwei"


def _check_cells(cells, expected):
    marked = [cell for cell in cells if isinstance(cell, str) and "HACK" in cell]
    for cell in marked:
        assert cell[:1] not in DANGEROUS_STARTS, repr(cell)
        assert cell.startswith("'"), repr(cell)
    found = {cell[1:] for cell in marked}
    assert set(expected) <= found, set(expected) - found


def _csv_cells(response):
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    return [cell for row in rows for cell in row]


def test_directory_csv(client):
    member = MemberContactFactory(last_name="Prüfer")
    fields = ["last_name", "first_name", "position", "phone"]
    for index, payload in enumerate(PAYLOADS):
        field = fields[index % len(fields)]
        ContactFactory(
            municipality=member.municipality,
            email=f"formel{index}@example.org",
            **{field: payload},
        )
    client.force_login(member.user)

    cells = _csv_cells(client.get(reverse("members:directory_csv")))

    _check_cells(cells, PAYLOADS)


def test_circular_answers_csv(client):
    coordinator = CoordinatorFactory()
    ContactFactory.create_batch(len(PAYLOADS))
    circular = QuestionCircularFactory(allow_comment=True)
    circular = sending_services.send_circular(circular=circular, by=coordinator)
    for recipient, payload in zip(circular.recipients.all(), PAYLOADS, strict=True):
        answer_services.answer_circular(recipient=recipient, answer="yes", comment=payload)
    client.force_login(coordinator)

    url = reverse("admin:circulars_circular_answers_csv", args=[circular.pk])
    # the service strips the comment: the leading tab/CR/LF go, the formula start stays
    _check_cells(_csv_cells(client.get(url)), {payload.strip() for payload in PAYLOADS})


@pytest.fixture
def survey():
    """An anonymous survey with published results: question texts, options and free texts."""
    survey = SurveyFactory(results_visibility=Survey.Visibility.PUBLIC, anonymous=True)
    choice = question_with_options(survey, Question.Kind.SINGLE, PAYLOADS[:2], text="=HACK(Frage)")
    texts = [
        question_with_options(survey, Question.Kind.TEXT, [], text=f"Wunsch {n}?")
        for n in range(len(PAYLOADS))
    ]
    contact = MemberContactFactory()
    answers = {choice.pk: choice.options.order_by("position").first().pk}
    answers.update({q.pk: payload for q, payload in zip(texts, PAYLOADS, strict=True)})
    survey_services.save_response(
        survey=survey, contact=contact, answers=answers, version=0, submit=True
    )
    return survey


def test_survey_results_csv(client, survey):
    cells = _csv_cells(client.get(reverse("surveys:export_csv", args=[survey.pk])))

    _check_cells(cells, [*PAYLOADS, "=HACK(Frage)"])


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_survey_xlsx(client, survey, role):
    user = CoordinatorFactory() if role == "coordinator" else MemberContactFactory().user
    client.force_login(user)

    response = client.get(reverse("surveys:export_xlsx", args=[survey.pk]))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    expected_sheets = 2 if role == "coordinator" else 1
    assert len(workbook.worksheets) == expected_sheets
    for sheet in workbook.worksheets:
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], sheet.title
        # XML reads a raw CR back as LF
        expected = [p.replace("\r", "\n") for p in [*PAYLOADS, "=HACK(Frage)"]]
        _check_cells([c.value for c in cells], expected)


def test_survey_xlsx_with_control_characters_in_a_free_text(client):
    survey = SurveyFactory(results_visibility=Survey.Visibility.PUBLIC, anonymous=True)
    question = question_with_options(survey, Question.Kind.TEXT, [], text="Wunsch?")
    survey_services.save_response(
        survey=survey,
        contact=MemberContactFactory(),
        answers={question.pk: "Zeile\x0bzwei\x01"},
        version=0,
        submit=True,
    )
    client.force_login(CoordinatorFactory())

    response = client.get(reverse("surveys:export_xlsx", args=[survey.pk]))

    assert response.status_code == 200
    values = [c.value for s in load_workbook(io.BytesIO(response.content)) for r in s for c in r]
    assert "Zeilezwei" in values
