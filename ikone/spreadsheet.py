"""Cells for CSV and XLSX exports: text that spreadsheet programs must not run as a formula.

Excel and LibreOffice start a formula (or DDE call) at ``=``, ``+``, ``-`` or ``@`` — also at
their full-width and small forms (``＝＋－＠``, ``﹦﹢﹣﹫``), which they fold to ASCII — and
skip a leading tab, CR or LF before looking. Such a cell gets a leading apostrophe, so the
program shows it as text. Every export of the portal writes its cells through ``safe_cell``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import number_format
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = frozenset("=+-@")
LEADING_BLANKS = frozenset("\t\r\n")


def starts_formula(text: str) -> bool:
    if not text:
        return False
    first = text[0]
    return first in LEADING_BLANKS or unicodedata.normalize("NFKC", first) in FORMULA_STARTS


def safe_cell(value):
    """The value for a CSV or XLSX cell: text that could start a formula is quoted; other
    values (numbers, dates, None) are returned as they are."""
    if not isinstance(value, str):
        return value
    return "'" + value if starts_formula(value) else value


def safe_text_cell(value) -> str:
    """``safe_cell`` for a cell that is always text (``None`` becomes empty)."""
    return safe_cell("" if value is None else str(value))


def safe_xlsx_cell(value):
    """``safe_cell`` for openpyxl, which refuses control characters in text cells."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def csv_cell(value):
    """``safe_cell`` for CSV, which has no number type: a fraction is written as the reader's
    language writes it (``16,7`` in German), since German Excel and LibreOffice read ``16.7``
    as the 16th of July. Integers need no separator and stay as they are."""
    if isinstance(value, float | Decimal):
        return number_format(value, use_l10n=True, force_grouping=False)
    return safe_cell(value)


INTERNATIONAL_PHONE = re.compile(r"^\+(?=\d)")


def phone_cell(value) -> str:
    """A phone number for CSV. ``+49 631 …`` would start a formula and, quoted with an
    apostrophe, show that apostrophe in Excel and LibreOffice; ``0049 631 …`` is the same
    number (the international prefix dialled from Germany) and reads as text."""
    return safe_text_cell(INTERNATIONAL_PHONE.sub("00", (value or "").strip()))


def csv_response(filename: str):
    """A CSV download as German Excel and LibreOffice open it: UTF-8 with a byte-order mark,
    semicolons. Returns the response and a ``csv.writer`` writing into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    return response, csv.writer(response, delimiter=";")
