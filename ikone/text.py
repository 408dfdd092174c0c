"""Text helpers shared by the apps."""

import re

from django.db.models import Model, QuerySet
from django.utils.text import slugify

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slugify(text: str) -> str:
    """Slugify with German transliteration: 'Bad Dürkheim' -> 'bad-duerkheim'."""
    return slugify(str(text).translate(_GERMAN))


def unique_slug(
    queryset: QuerySet,
    text: str,
    *,
    field: str = "slug",
    max_length: int = 150,
    exclude: Model | None = None,
) -> str:
    """A slug for ``text`` not yet taken in ``queryset`` (adds -2, -3, … when needed)."""
    base = (german_slugify(text) or "eintrag")[:max_length].strip("-")
    if exclude is not None and exclude.pk:
        queryset = queryset.exclude(pk=exclude.pk)
    taken = set(queryset.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    candidate, counter = base, 2
    while candidate in taken:
        suffix = f"-{counter}"
        candidate = base[: max_length - len(suffix)] + suffix
        counter += 1
    return candidate


# Everything str.splitlines() (and so some vCard/iCalendar readers) takes as a line end.
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Control characters a vCard or iCalendar text value may not hold (tab stays).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def plain_lines(value) -> str:
    """Text for a line-based format: every line terminator becomes ``\\n`` (which vobject
    and icalendar write escaped), other control characters are dropped."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", str(value or "")))
