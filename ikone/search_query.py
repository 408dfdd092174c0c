"""Asking the search index: German full text on PostgreSQL, substrings on SQLite.

PostgreSQL: ``websearch_to_tsquery('german', …)`` (any input is valid: quotes, ``-word``,
``or``; words without syntax also as prefixes, for German compounds), matched against the
GIN-indexed vector of title, lead and text, ranked by ``ts_rank`` of title and lead (a hit in
the title first, then the lead; hits in the text only, newest first), snippets by
``ts_headline``. SQLite: every word must occur in title, lead or
text (``icontains``), newest first, snippets cut around the first hit in Python.
Either way one query counts the hits per kind and one fetches the page, whatever the size of
the index; visibility comes from each source as a subquery.

On PostgreSQL both are written as SQL here (``_Sql``): built through the ORM they cost more
Python than the database needs for a rare word (about 10 ms a page for compiling the rank,
headline and visibility expressions); the sources' querysets (visibility, topic and
municipality) are compiled into them as subqueries, their parameters bound as usual.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import search
from .models import SearchDocument
from .search import MARK_END, MARK_START

MAX_QUERY_LENGTH = 200
DEFERRED = ("body", "vector", "head")  # the page needs neither (PostgreSQL: body neither)
MAX_TERMS = 8
SNIPPET_CHARS = 240
# ts_headline parses and stems all the text it is given (about 2.5 ms for 2,000 characters):
# it gets a window of this many characters, starting a little before the first place where
# one of the query's stems occurs (the start of the text if none does literally).
HEADLINE_WINDOW = 1200
HEADLINE_BEFORE = 200
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_OR = re.compile(r"\s+(?:or|oder)\s+", re.IGNORECASE)
_OPERATORS = re.compile(r"(^|\s)-|\"|\bor\b", re.IGNORECASE)
_TERM_STRIP = "\"'„“”‚‘’«»()[]{}<>.,;:!?*+-"


def normalise(text: str) -> str:
    """The query as it is searched: single spaces, no control characters."""
    return _SPACES.sub(" ", "".join(ch if ch.isprintable() else " " for ch in text)).strip()


def terms(text: str) -> list[str]:
    """The words of a query for the substring search (quotes and operators stripped)."""
    words = [word.strip(_TERM_STRIP) for word in normalise(text).split(" ")]
    words = [word for word in words if word and word.lower() not in ("or", "oder")]
    return words[:MAX_TERMS]


@dataclass(frozen=True)
class Hit:
    kind: str
    label: str
    title: SafeString
    url: str
    date: datetime | None
    snippet: SafeString


@dataclass
class Results:
    """The hits of a query: the documents for the paginator (``Counted``), counts per kind."""

    documents: Counted
    counts: dict[str, int]
    total: int
    terms: list[str]

    def hits(self, documents) -> list[Hit]:
        return [
            document if isinstance(document, Hit) else _hit(document, self.terms)
            for document in documents
        ]


class Counted:
    """The hits for the paginator, whose number is already known (it asks no second count).

    ``rows(start, stop)`` fetches one page: ``Hit``s (PostgreSQL, snippets made in the
    database for the page's rows only) or ``SearchDocument``s (SQLite).
    """

    def __init__(self, count: int, rows: Callable[[int, int], list]):
        self._count, self.rows = count, rows

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("the search hits are read a page at a time")
        start = index.start or 0
        stop = self._count if index.stop is None else min(index.stop, self._count)
        return self.rows(start, stop) if stop > start else []


def find(
    *,
    text: str,
    user,
    audiences: set[str],
    kinds: list[str] | None = None,
    topic=None,
    municipality=None,
    year: int | None = None,
    page=None,
    per_page: int = 20,
) -> Results:
    """Documents matching ``text`` that ``user`` may find: those of ``audiences`` (e.g.
    ``{PUBLIC, MEMBERS}`` for a member) and the personal ones their sources grant the user.
    ``kinds`` narrows the page only, the counts per kind are always of every kind. ``page``
    (as typed) and ``per_page`` say which page will be shown: PostgreSQL fetches it at once."""
    text = normalise(text)[:MAX_QUERY_LENGTH]
    if connection.vendor == "postgresql":
        return _find_postgres(
            text,
            user=user,
            audiences=audiences,
            kinds=kinds,
            topic=topic,
            municipality=municipality,
            year=year,
            page=page,
            per_page=per_page,
        )
    documents = SearchDocument.objects.filter(_substrings(text))
    if year:
        documents = documents.filter(date__year=year)
    everywhere = documents.filter(_findable(user=user, audiences=audiences))
    if topic is not None or municipality is not None:
        everywhere = everywhere.filter(_narrowed(topic=topic, municipality=municipality))
    counts = dict(
        everywhere.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    page = everywhere.filter(kind__in=kinds) if kinds else everywhere
    total = sum(n for kind, n in counts.items() if not kinds or kind in kinds)
    page = page.order_by(F("date").desc(nulls_last=True)).defer(*DEFERRED[1:])
    return Results(
        documents=Counted(total, lambda start, stop: list(page[start:stop])),
        counts=counts,
        total=total,
        terms=[word for words in _alternatives(text) for word in words],
    )


def _findable(*, user, audiences: set[str]) -> Q:
    """SQLite: documents of the user's audiences (already visible), the personal ones theirs."""
    condition = Q(audience__in=sorted(audiences - {search.PERSONAL})) & (
        Q(visible_from=None) | Q(visible_from__lte=timezone.now())
    )
    for source in search.sources():
        if source.personal is not None:
            records = source.personal(user).values("pk")
            condition |= Q(kind=source.kind, audience=search.PERSONAL, object_id__in=records)
    return condition


def _narrowed(*, topic, municipality) -> Q:
    """SQLite: each source's records on the topic / of the municipality."""
    condition = Q(pk__in=[])
    for source in search.sources():
        records = source.narrow(topic=topic, municipality=municipality)
        condition |= Q(kind=source.kind, object_id__in=records.values("pk"))
    return condition


def _alternatives(text: str) -> list[list[str]]:
    """The query's ``or``-separated parts, each as its list of words."""
    parts = (terms(part) for part in _OR.split(normalise(text)))
    return [words for words in parts if words] or [[normalise(text)]]


def _substrings(text: str) -> Q:
    """SQLite: every word of one of the alternatives occurs in title, lead or text."""
    condition = Q(pk__in=[])
    for words in _alternatives(text):
        every = Q()
        for word in words:
            every &= Q(title__icontains=word) | Q(lead__icontains=word) | Q(body__icontains=word)
        condition |= every
    return condition


# --- PostgreSQL -----------------------------------------------------------------------------


class _Sql:
    """A piece of SQL and its parameters; nothing typed ever goes into the SQL text."""

    def __init__(self, sql: str = "", params: Iterable = ()):
        self.sql, self.params = sql, list(params)

    def __str__(self) -> str:
        return self.sql


def _subquery(queryset: QuerySet) -> _Sql | None:
    """The ids a source's queryset selects, as SQL (None when it selects nothing)."""
    query = queryset.values("pk").query.clone()
    query.clear_ordering(force=False)  # as Django does for ``__in`` (kept when sliced)
    try:
        sql, params = query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:
        return None
    return _Sql(sql, params)


def _tsquery(text: str) -> _Sql:
    """The query as typed (websearch syntax), or its words as prefixes too when it has no syntax.

    German compounds: "Beteiligung" then also finds "Beteiligungsplattform" ('beteil':*).
    The prefix query is built from word characters only, so nothing typed can break it.
    """
    typed = "websearch_to_tsquery('german'::regconfig, %s)"
    words = _WORD.findall(text)[:MAX_TERMS]
    if _OPERATORS.search(text) or not words:
        return _Sql(typed, [text])
    return _Sql(f"({typed} || {_PREFIXES})", [text, _prefixes(words)])


_PREFIXES = "to_tsquery('german'::regconfig, %s)"


def _prefixes(words: list[str]) -> str:
    return " & ".join(f"'{word}':*" if len(word) >= 3 else f"'{word}'" for word in words)


def _match(text: str, query: _Sql) -> _Sql:
    """What the index is asked: the prefix query alone when it finds all the typed query
    finds, else the query itself.

    When every word typed is made of letters and digits only (no hyphen, dot, ``@``: tokens
    the parser would keep whole), both stem the same words with the same dictionary, so each
    typed lexeme is matched by its own prefix. Asking the GIN index for the prefixes alone
    saves evaluating both halves of the OR on every match (a third of a two-word query's
    time when the words are common); ranking and marking still use the whole query.
    """
    words = _WORD.findall(text)[:MAX_TERMS]
    tokens = text.split()
    if (
        len(query.params) == 2
        and len(tokens) <= MAX_TERMS
        and all(_WORD.fullmatch(token) for token in tokens)
    ):
        return _Sql(_PREFIXES, [_prefixes(words)])
    return query


def _where(query: _Sql, *, user, audiences, topic, municipality, year) -> _Sql:
    """Matching documents the user may find (and on the topic, of the municipality, the year).

    The match is ``ikone_search_vector(vector) @@ …``, what the GIN index holds (migration
    0004_search_speed: the vector, costed as reading it, so that the planner goes through
    the index).
    """
    parts = [f"ikone_search_vector(vector) @@ {query}"]
    params = list(query.params)
    if year:
        parts.append("date BETWEEN %s AND %s")
        params += connection.ops.year_lookup_bounds_for_datetime_field(year)
    shared = sorted(audiences - {search.PERSONAL})
    findable = ["FALSE"]
    if shared:
        marks = ", ".join(["%s"] * len(shared))
        findable = [f"(audience IN ({marks}) AND (visible_from IS NULL OR visible_from <= %s))"]
        params += [*shared, timezone.now()]
    for source in search.sources():
        records = _subquery(source.personal(user)) if source.personal is not None else None
        if records is not None:
            findable.append(f"(kind = %s AND audience = %s AND object_id IN ({records}))")
            params += [source.kind, search.PERSONAL, *records.params]
    parts.append("(" + " OR ".join(findable) + ")")
    if topic is not None or municipality is not None:
        narrowed = ["FALSE"]
        for source in search.sources():
            records = _subquery(source.narrow(topic=topic, municipality=municipality))
            if records is not None:
                narrowed.append(f"(kind = %s AND object_id IN ({records}))")
                params += [source.kind, *records.params]
        parts.append("(" + " OR ".join(narrowed) + ")")
    return _Sql(" AND ".join(parts), params)


TABLE = SearchDocument._meta.db_table
TITLE_OPTIONS = f"StartSel='{MARK_START}', StopSel='{MARK_END}', HighlightAll=true"
SNIPPET_OPTIONS = (
    f"StartSel='{MARK_START}', StopSel='{MARK_END}', MaxWords=35, MinWords=15,"
    " MaxFragments=2, FragmentDelimiter=' … '"
)
# The snippet's text: HEADLINE_WINDOW characters of lead and text, from a little before the
# first place where a stem of the query (``to_tsvector('german', <query text>)``) occurs
# literally; a stem that is not a substring of the lower-cased text (German umlauts:
# "förder…" is stemmed "forder") is not found, then the window starts at the beginning.
_TEXT = "(d.lead || ' ' || d.body)"
_FIRST_STEM = (
    f"(SELECT min(nullif(strpos(lower({_TEXT}), stem), 0))"  # noqa: S608 -- constants only
    " FROM unnest(tsvector_to_array(to_tsvector('german'::regconfig, %s))) AS stem)"
)
_WINDOW = (
    f"substr({_TEXT}, greatest(1, coalesce({_FIRST_STEM}, 1) - {HEADLINE_BEFORE:d}),"
    f" {HEADLINE_WINDOW:d})"
)


def _offset(page, total: int, per_page: int) -> int:
    """Where the page the paginator will show starts (``Paginator.get_page``: not a number is
    the first page, one out of range the last)."""
    last = max(0, (total - 1) // per_page)
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    return per_page * (number - 1 if 1 <= number <= last + 1 else last)


def _find_postgres(
    text: str, *, user, audiences, kinds, topic, municipality, year, page, per_page
) -> Results:
    """One statement: the matches are read once (a phrase, say, checks each candidate's vector,
    read back from TOAST, only once), counted per kind, and the page ranked and marked.

    The page's offset is clamped in SQL as the paginator will clamp it (``_offset``)."""
    query = _tsquery(text)
    where = _where(
        _match(text, query),
        user=user,
        audiences=audiences,
        topic=topic,
        municipality=municipality,
        year=year,
    )
    shown = _Sql("TRUE")
    if kinds:
        shown = _Sql(f"kind IN ({', '.join(['%s'] * len(kinds))})", kinds)
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    wanted = min(per_page * (number - 1), 2**31 - 1) if number >= 1 else 2**31 - 1  # < 1: last
    order = "rank DESC, date DESC NULLS LAST, id"
    clamped = _Sql("%s", [0])  # the first page needs no count
    if wanted:
        clamped = _Sql(
            "(SELECT least(%s, greatest(0, (count(*) - 1) / %s * %s))"  # noqa: S608
            f" FROM hits WHERE {shown})",
            [wanted, per_page, per_page, *shown.params],
        )
    sql = (
        "WITH hits AS MATERIALIZED ("  # noqa: S608 -- no input in the SQL text
        f"SELECT id, kind, ts_rank(head, {query}) AS rank, date FROM {TABLE} WHERE {where}"
        f"), shown AS (SELECT id, rank, date FROM hits WHERE {shown} ORDER BY {order} LIMIT %s"
        f" OFFSET {clamped})"
        " SELECT 0 AS part, NULL::real AS rank, NULL::timestamptz AS date, NULL::bigint AS id,"
        " kind, count(*), NULL::varchar, NULL::timestamptz, NULL, NULL"
        " FROM hits GROUP BY kind"
        " UNION ALL"
        " SELECT 1, shown.rank, shown.date, shown.id, d.kind, NULL, d.url, d.date,"
        f" ts_headline('german'::regconfig, d.title, {query}, %s),"
        f" ts_headline('german'::regconfig, {_WINDOW}, {query}, %s)"
        f" FROM shown JOIN {TABLE} d ON d.id = shown.id"
        f" ORDER BY part, {order}"
    )
    params = [
        *query.params,
        *where.params,
        *shown.params,
        per_page,
        *clamped.params,
        *query.params,
        TITLE_OPTIONS,
        text,
        *query.params,
        SNIPPET_OPTIONS,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts = {kind: n for part, _rank, _date, _id, kind, n, *_rest in rows if part == 0}
    hits = [
        _shown_hit(kind, title, url, date, snippet)
        for part, _rank, _date, _id, kind, _n, url, date, title, snippet in rows
        if part == 1
    ]
    total = sum(n for kind, n in counts.items() if not kinds or kind in kinds)
    offset = _offset(page, total, per_page)

    def page_rows(start: int, stop: int) -> list[Hit]:
        if start != offset:  # another page than the one asked for: ask for it
            number = start // per_page + 1
            return _find_postgres(
                text,
                user=user,
                audiences=audiences,
                kinds=kinds,
                topic=topic,
                municipality=municipality,
                year=year,
                page=number,
                per_page=per_page,
            ).documents[start:stop]
        return hits[: stop - start]

    return Results(documents=Counted(total, page_rows), counts=counts, total=total, terms=[])


def _label(kind: str) -> str:
    source = search.source(kind)
    return str(source.label) if source else kind


def _shown_hit(kind: str, title: str, url: str, date, snippet: str) -> Hit:
    return Hit(
        kind=kind,
        label=_label(kind),
        title=marked(title),
        url=url,
        date=date,
        snippet=marked(snippet.strip()),
    )


# --- showing a hit --------------------------------------------------------------------------


def marked(text: str) -> SafeString:
    """Escape ``text`` completely, then turn the hit markers into <mark> elements."""
    escaped = escape(text)
    return mark_safe(  # noqa: S308 -- escaped above, only our markers become tags
        escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


def _mark_terms(text: str, words: list[str]) -> str:
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return pattern.sub(lambda match: MARK_START + match.group(0) + MARK_END, text)


def excerpt(text: str, words: list[str], *, length: int = SNIPPET_CHARS) -> str:
    """About ``length`` characters of ``text`` around the first of ``words`` found."""
    lowered = text.lower()
    positions = [lowered.find(word.lower()) for word in words]
    positions = [position for position in positions if position >= 0]
    start = max(0, min(positions) - length // 3) if positions else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    piece = text[start : start + length]
    if start + length < len(text):
        cut = piece.rfind(" ")
        piece = (piece[:cut] if cut > length // 2 else piece) + " …"
    return ("… " if start else "") + piece


def _hit(document: SearchDocument, words: list[str]) -> Hit:
    title = _mark_terms(document.title, words)
    snippet = _mark_terms(excerpt(f"{document.lead} {document.body}".strip(), words), words)
    snippet = snippet.strip()
    return Hit(
        kind=document.kind,
        label=_label(document.kind),
        title=marked(title),
        url=document.url,
        date=document.date,
        snippet=marked(snippet),
    )
