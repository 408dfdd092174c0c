"""CSV and XLSX exports of the aggregated results (and, for coordinators, the responses)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ikone.spreadsheet import csv_cell, safe_xlsx_cell

from .models import Answer, Question, Response
from .results import SurveyResults


def result_rows(results: SurveyResults) -> list[list]:
    header = [
        _("Question"),
        _("Kind"),
        _("Answer"),
        _("Count"),
        _("Percent"),
        _("Borda points"),
        _("Mean rank"),
        _("First places"),
    ]
    rows = [header]
    for result in results.questions:
        question = result.question
        kind = question.get_kind_display()
        if result.ranking:
            for row in result.ranking:
                rows.append(
                    [
                        question.text,
                        kind,
                        row.label,
                        row.count,
                        "",
                        row.points,
                        row.mean_rank,
                        row.first_places,
                    ]
                )
        elif result.bars:
            for bar in result.bars:
                rows.append([question.text, kind, bar.label, bar.count, bar.percent, "", "", ""])
            if result.mean is not None:
                rows.append(
                    [question.text, kind, _("Mean"), result.answered, "", "", result.mean, ""]
                )
        elif result.texts_hidden:
            hidden = _("Free-text answers are shown to the coordination team only.")
            rows.append([question.text, kind, hidden, result.answered, "", "", "", ""])
        else:
            for who, text in result.texts:
                rows.append([question.text, kind, text, "", "", "", "", who])
    return rows


def response_rows(survey) -> list[list]:
    """One row per submitted response; for coordinators."""
    questions = list(survey.questions.order_by("position", "id"))
    options = dict(survey.questions.values_list("options__id", "options__text"))
    values: dict[int, dict[int, list]] = {}
    for response_id, question_id, option_id, _rank, number, text in (
        Answer.objects.filter(response__survey=survey, response__status=Response.Status.SUBMITTED)
        .order_by("response_id", "question_id", "rank", "id")
        .values_list("response_id", "question_id", "option_id", "rank", "number", "text")
    ):
        value = options.get(option_id) if option_id else (number if number is not None else text)
        values.setdefault(response_id, {}).setdefault(question_id, []).append(value)
    header = [_("Municipality"), _("Respondent"), _("Submitted")] + [q.text for q in questions]
    rows = [header]
    responses = (
        Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
        .select_related("municipality", "contact")
        .order_by("municipality__name", "id")
    )
    for index, response in enumerate(responses, start=1):
        if survey.anonymous:
            who = [_("Response %(number)s") % {"number": index}, "", ""]
        else:
            who = [
                response.municipality.name,
                response.contact.full_name if response.contact_id else "",
                response.submitted_at.strftime("%Y-%m-%d %H:%M") if response.submitted_at else "",
            ]
        cells = []
        for question in questions:
            found = values.get(response.pk, {}).get(question.pk, [])
            if question.kind == Question.Kind.RANKING:
                cells.append(" > ".join(str(v) for v in found))
            elif len(found) == 1 and isinstance(found[0], int):
                cells.append(found[0])
            else:
                cells.append(", ".join(str(v) for v in found))
        rows.append(who + cells)
    return rows


def to_csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def to_xlsx(sheets: list[tuple[str, list[list]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([safe_xlsx_cell(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
