"""Short lists on busy pages written in Python: links and dates looked up once per list.

A municipality's page shows up to a hundred short entries (projects, reuse, talks, posts).
Through the template engine each entry cost a ``reverse()``, a date filter and a handful of
variable lookups; the sections build their lines with ``str.format`` of escaped strings
instead (what ``format_html`` gives, without its per-argument checks), with the helpers here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS

__all__ = ["day_words", "link_to"]

# reverse() quotes its arguments with these safe characters (django.urls.resolvers)
_SAFE = "/~:@!$&'()*+,;="


def link_to(viewname: str, *names: str) -> Callable[..., str]:
    """``link(*values)`` gives the escaped URL of ``viewname`` with the keyword arguments
    ``names`` set to ``values``, as ``reverse(viewname, kwargs=dict(zip(names, values)))``
    would: one ``reverse()`` per list, not per line. ``names`` defaults to ``("slug",)``."""
    names = names or ("slug",)
    # digits pass every converter the portal uses (slug, str, int) and cannot be confused
    # with the rest of a path of ours
    marks = [f"9{number:02d}7319876543" for number in range(len(names))]
    pattern = reverse(viewname, kwargs=dict(zip(names, marks, strict=True)))

    def link(*values) -> str:
        url = pattern
        for mark, value in zip(marks, values, strict=True):
            url = url.replace(mark, quote(str(value), safe=_SAFE))
        return escape(url)

    return link


def day_words() -> Callable[[dt.date | dt.datetime | None], tuple[str, str]]:
    """``words(value)`` gives ``(ISO date, "2. Dezember 2026")`` of a date or of a datetime in
    local time — the template filters ``date:'Y-m-d'`` and ``date:'j. F Y'`` — both escaped;
    empty strings for ``None``. The month names are translated once per list."""
    months = {number: str(name) for number, name in MONTHS.items()}

    def words(value: dt.date | dt.datetime | None) -> tuple[str, str]:
        if value is None:
            return "", ""
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            value = value.date()
        return value.isoformat(), escape(f"{value.day}. {months[value.month]} {value.year}")

    return words
