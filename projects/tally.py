"""Evidence for *Wen fragen?* summed in the database instead of row by row in Python.

A source describes its evidence as a queryset with three expressions — the contact person
(``contact``), the weight before recency (``weight``) and the date (``when``) — and
:func:`tally` asks the database for two things: each contact's total (weight × recency,
the recency halving every ``half_life`` days) with the number of items, and only the
strongest ``keep`` items per contact, which are the only ones worded as reasons. With
thousands of profiles, posts and talks no row turns into a Python object unless it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import connection
from django.db.models import (
    Count,
    Expression,
    F,
    FloatField,
    Func,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Power, RowNumber


class DaysSince(Func):
    """Days from a date expression to ``today`` (a Python date), as a float; NULL stays NULL."""

    output_field = FloatField()

    def __init__(self, expression, *, today: dt.date):
        super().__init__(expression)
        self.today = today

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"((%s::date - ({sql}))::double precision)", [self.today.isoformat(), *params]

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(julianday(%s) - julianday({sql}))", [self.today.isoformat(), *params]


def recency_sql(when: Expression, *, today: dt.date, half_life: int) -> Expression:
    """``0.5 ** (max(0, days) / half_life)``, 0.5 without a date (as ``expertise.recency``)."""
    age = Greatest(DaysSince(when, today=today), Value(0.0))
    return Coalesce(
        Power(Value(0.5), age / Value(float(half_life))),
        Value(0.5),
        output_field=FloatField(),
    )


@dataclass
class Tally:
    """A source's evidence: per contact the total value and the number of items, and the
    strongest items — worded only for the people who are shown (:meth:`evidence_for`)."""

    totals: dict[int, float] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)
    evidence: list = field(default_factory=list)  # already worded (small sources)
    kept: list[dict] = field(default_factory=list)  # the strongest rows, not yet worded
    word: Callable[[dict], object] | None = None

    def candidates_for(self, contacts: set[int]) -> list[tuple]:
        """``(contact, weight, when, reason)`` of the items of ``contacts``, ``reason`` a
        function that words the item — called only for the reasons that are shown. ``word``
        keeps the row's contact, weight and date (``ask_contact``, ``ask_weight``,
        ``ask_when``), so they are read from the row without wording it."""
        found = [
            (item.contact_id, item.weight, item.when, partial(getattr, item, "reason"))
            for item in self.evidence
            if item.contact_id in contacts
        ]
        if self.word is not None:
            found += [
                (
                    row["ask_contact"],
                    row["ask_weight"],
                    row["ask_when"],
                    partial(_reason, self.word, row),
                )
                for row in self.kept
                if row["ask_contact"] in contacts
            ]
        return found

    def evidence_for(self, contacts: set[int]) -> list:
        found = [item for item in self.evidence if item.contact_id in contacts]
        if self.word is not None:
            found += [self.word(row) for row in self.kept if row["ask_contact"] in contacts]
        return found


def _reason(word: Callable[[dict], object], row: dict) -> str:
    return word(row).reason


def tally(
    rows: QuerySet,
    *,
    contact: Expression,
    weight: Expression,
    when: Expression,
    fields: tuple[str, ...],
    today: dt.date,
    half_life: int,
    keep: int,
    word: Callable[[dict], object],
) -> Tally:
    """Sum ``rows`` per contact in the database, in one query: window functions give each
    contact's total and number of items and pick the ``keep`` strongest rows, which come
    back as dicts of ``fields`` (plus ``ask_contact``, ``ask_weight`` and ``ask_when``);
    ``word(row)`` turns one into Evidence when its contact is shown."""
    written = connection.vendor == "postgresql"  # the written windows filter the rows
    scored = score(
        rows,
        contact=contact,
        weight=weight,
        when=when,
        today=today,
        half_life=half_life,
        filtered=not written,
    )
    if written:
        return _tally_sql(scored, fields=fields, keep=keep, word=word)
    return _tally_orm(scored, fields=fields, keep=keep, word=word)


def score(
    rows: QuerySet,
    *,
    contact: Expression,
    weight: Expression,
    when: Expression,
    today,
    half_life,
    filtered: bool = True,
) -> QuerySet:
    """``rows`` with ``ask_contact``, ``ask_weight``, ``ask_when`` and ``ask_value`` (weight ×
    recency); rows without a contact or weight are left out (``filtered``; the written
    windows leave them out themselves, after the cheap conditions of ``rows``)."""
    scored = rows.annotate(
        ask_contact=contact,
        ask_weight=Value(1.0, output_field=FloatField()) * weight,
        ask_when=when,
    )
    if filtered:
        scored = scored.filter(ask_contact__isnull=False, ask_weight__gt=0)
    scored = scored.annotate(
        ask_value=F("ask_weight") * recency_sql(F("ask_when"), today=today, half_life=half_life)
    )
    return scored


def _tally_orm(scored: QuerySet, *, fields, keep: int, word) -> Tally:
    """The windows through the ORM (its QUALIFY emulation), for the embedded fallback."""
    per_contact = {"partition_by": [F("ask_contact")]}
    ranked = (
        scored.annotate(
            ask_total=Window(Sum("ask_value"), **per_contact),
            ask_items=Window(Count("*"), **per_contact),
            ask_rank=Window(
                RowNumber(), order_by=[F("ask_value").desc(), F("pk").desc()], **per_contact
            ),
        )
        .filter(ask_rank__lte=keep)
        .order_by()
        .values(
            "ask_contact",
            "ask_rank",
            "ask_weight",
            "ask_when",
            "ask_total",
            "ask_items",
            *fields,
        )
    )
    return _collect(ranked, word=word)


def _collect(rows, *, word: Callable[[dict], object]) -> Tally:
    result = Tally(word=word)
    for row in rows:
        result.totals[row["ask_contact"]] = row["ask_total"]
        result.counts[row["ask_contact"]] = row["ask_items"]
        result.kept.append(row)
    result.kept.sort(key=lambda row: (row["ask_contact"], row["ask_rank"]))
    return result


_WINDOW_SQL = (
    "SELECT * FROM (SELECT s.*, SUM(s.ask_value) OVER w AS ask_total, "
    "COUNT(*) OVER w AS ask_items, ROW_NUMBER() OVER "
    "(PARTITION BY s.ask_contact ORDER BY s.ask_value DESC, s.ask_pk DESC) AS ask_rank "
    "FROM ({inner} OFFSET 0) s WHERE s.ask_contact IS NOT NULL AND s.ask_weight > 0 "
    "WINDOW w AS (PARTITION BY s.ask_contact)) t WHERE t.ask_rank <= %s"
)


def _tally_sql(scored: QuerySet, *, fields, keep: int, word) -> Tally:
    """The same windows as the ORM path, written around the compiled rows: the query is
    compiled once (the ORM's QUALIFY emulation compiles it several times) and each row's
    contact, weight and value are computed once in the inner query, not again for every
    window, sort and filter that names them. ``OFFSET 0`` keeps the planner from pushing
    the contact and weight conditions into the scan, where they ran before the cheap joins
    (topic, visible meeting) had removed most rows."""
    named = {f"ask_f{number}": F(name) for number, name in enumerate(fields)}
    inner = (
        scored.annotate(ask_pk=F("pk"), **named)
        .order_by()
        .values("ask_contact", "ask_weight", "ask_when", "ask_value", "ask_pk", *named)
    )
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_WINDOW_SQL.format(inner=sql), [*params, keep])
        columns = [column.name for column in cursor.description]
        found = cursor.fetchall()
    names = {f"ask_f{number}": name for number, name in enumerate(fields)}
    rows = []
    for values in found:
        pairs = zip(columns, values, strict=True)
        row = {names.get(column, column): value for column, value in pairs}
        for number in ("ask_weight", "ask_value", "ask_total"):  # as the ORM's FloatField
            if row[number] is not None:
                row[number] = float(row[number])
        rows.append(row)
    return _collect(rows, word=word)
