"""Reading the allocation's CSV files (``manage.py allocate_workshops``).

UTF-8 with or without BOM, comma or semicolon (spreadsheets write either), identifiers kept
as they appear (only surrounding spaces are dropped). Every problem is an
:class:`~meetings.allocation.AllocationError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.utils.translation import gettext as _

from .allocation import AllocationError, WorkshopSpec

WORKSHOP_COLUMNS = ("workshop", "round", "capacity")
PREFERENCE_COLUMNS = ("participant", "workshop", "rank")
WANTED_COLUMNS = ("participant", "wanted")


def read_workshops(path: Path) -> list[WorkshopSpec]:
    workshops, seen = [], set()
    for line, row in _rows(path, WORKSHOP_COLUMNS):
        workshop = _required(path, line, row, "workshop")
        if workshop in seen:
            raise _error(
                path,
                line,
                _("the workshop “%(workshop)s” is listed twice.") % {"workshop": workshop},
            )
        seen.add(workshop)
        round_ = None if not row["round"] else _whole(path, line, row, "round", minimum=1)
        capacity = _whole(path, line, row, "capacity", minimum=1)
        workshops.append(WorkshopSpec(id=workshop, round=round_, capacity=capacity))
    if not workshops:
        raise AllocationError(_("%(file)s lists no workshop.") % {"file": path.name})
    return workshops


def read_preferences(path: Path, *, workshops: list[WorkshopSpec]) -> dict[str, list[str]]:
    """participant → their ranking, best first (rows in any order; ranks need not be 1, 2, …)."""
    known = {workshop.id for workshop in workshops}
    ranked: dict[str, dict[str, int]] = {}
    for line, row in _rows(path, PREFERENCE_COLUMNS):
        participant = _required(path, line, row, "participant")
        workshop = _required(path, line, row, "workshop")
        rank = _whole(path, line, row, "rank", minimum=1)
        if workshop not in known:
            raise _error(
                path,
                line,
                _("“%(workshop)s” is not a workshop of the workshop file.")
                % {"workshop": workshop},
            )
        ranking = ranked.setdefault(participant, {})
        if workshop in ranking:
            raise _error(
                path,
                line,
                _("“%(participant)s” ranks the workshop “%(workshop)s” twice.")
                % {"participant": participant, "workshop": workshop},
            )
        if rank in ranking.values():
            raise _error(
                path,
                line,
                _("“%(participant)s” gives the rank %(rank)s twice.")
                % {"participant": participant, "rank": rank},
            )
        ranking[workshop] = rank
    if not ranked:
        raise AllocationError(_("%(file)s holds no preference.") % {"file": path.name})
    return {
        participant: sorted(ranking, key=ranking.__getitem__)
        for participant, ranking in ranked.items()
    }


def read_wanted(
    path: Path, *, preferences: dict[str, list[str]], max_per_person: int
) -> dict[str, int]:
    wanted: dict[str, int] = {}
    for line, row in _rows(path, WANTED_COLUMNS):
        participant = _required(path, line, row, "participant")
        if participant not in preferences:
            raise _error(
                path,
                line,
                _("“%(participant)s” has no preferences in the preference file.")
                % {"participant": participant},
            )
        if participant in wanted:
            raise _error(
                path, line, _("“%(participant)s” is listed twice.") % {"participant": participant}
            )
        count = _whole(path, line, row, "wanted", minimum=1)
        if count > max_per_person:
            raise _error(
                path,
                line,
                _("“%(participant)s” wants %(count)s workshops; at most %(max)s are allowed.")
                % {"participant": participant, "count": count, "max": max_per_person},
            )
        wanted[participant] = count
    return wanted


def _rows(path: Path, columns: tuple[str, ...]):
    """(line number, row with exactly ``columns`` as keys) for each non-empty line."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise AllocationError(
            _("%(file)s cannot be read: %(reason)s") % {"file": path, "reason": error.strerror}
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AllocationError(
            _("%(file)s is not UTF-8 encoded; save it as “CSV UTF-8”.") % {"file": path.name}
        ) from error
    if "\x00" in text:
        raise AllocationError(_("%(file)s is not a CSV text file.") % {"file": path.name})
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    found = [name.strip().lower() for name in header or []]
    missing = [name for name in columns if name not in found]
    if missing or len(set(found)) != len(found):
        raise AllocationError(
            _("%(file)s needs the columns %(expected)s (found: %(found)s).")
            % {
                "file": path.name,
                "expected": ", ".join(columns),
                "found": ", ".join(found) or _("nothing"),
            }
        )
    positions = {name: found.index(name) for name in columns}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(found):
            raise _error(
                path,
                reader.line_num,
                _("%(count)s fields instead of %(expected)s.")
                % {"count": len(row), "expected": len(found)},
            )
        yield reader.line_num, {name: row[index].strip() for name, index in positions.items()}


def _required(path, line, row, column) -> str:
    if not row[column]:
        raise _error(path, line, _("the column “%(column)s” is empty.") % {"column": column})
    return row[column]


def _whole(path, line, row, column, *, minimum) -> int:
    value = row[column]
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise _error(
            path,
            line,
            _("“%(value)s” in the column “%(column)s” is not a whole number of at least %(min)s.")
            % {"value": value, "column": column, "min": minimum},
        )
    return number


def _error(path: Path, line: int, message: str) -> AllocationError:
    return AllocationError(
        _("%(file)s, line %(line)s: %(message)s")
        % {"file": path.name, "line": line, "message": message}
    )
