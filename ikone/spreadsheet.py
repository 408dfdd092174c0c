"""Cells for CSV and XLSX exports: text that spreadsheet programs must not run as a formula.

Excel and LibreOffice start a formula (or DDE call) at ``=``, ``+``, ``-`` or ``@`` — also at
their full-width and small forms (``＝＋－＠``, ``﹦﹢﹣﹫``), which they fold to ASCII — and
skip a leading tab, CR or LF before looking. Such a cell gets a leading apostrophe, so the
program shows it as text. Every export of the portal writes its cells through ``safe_cell``.
"""

from __future__ import annotations

import unicodedata

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
