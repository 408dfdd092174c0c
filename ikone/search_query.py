"""Asking the search index: German full text on PostgreSQL, substrings on SQLite.

PostgreSQL: ``websearch_to_tsquery('german', …)`` (any input is valid: quotes, ``-word``,
``or``; words without syntax also as prefixes, for German compounds), matched against the
GIN-indexed vector of title, lead and text, ranked by ``ts_rank`` of title and lead (a hit in
the title first, then the lead; hits in the text only, newest first), snippets by
``ts_headline``. SQLite: every word must occur in title, lead or
text (``icontains``), newest first, snippets cut around the first hit in Python.
Either way one query counts the hits per kind and one fetches the page, whatever the size of
the index; visibility comes from each source as a subquery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
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
    """The hits of a query: a queryset of documents for the paginator, counts per kind."""

    documents: QuerySet
    counts: dict[str, int]
    total: int
    terms: list[str]

    def hits(self, documents) -> list[Hit]:
        return [_hit(document, self.terms) for document in documents]


class Counted:
    """A queryset whose size is already known (the paginator asks no second count).

    ``shown(ids)``, if given, turns the slice's ids (a subquery) into the rows to show: the
    snippets are then made for the page's rows only (not also for the rows the page skips).
    """

    def __init__(self, queryset: QuerySet, count: int, shown=None):
        self.queryset, self._count, self.shown = queryset, count, shown

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if self.shown is not None and isinstance(index, slice):
            return self.shown(self.queryset.values("pk")[index])
        return self.queryset[index]


def _findable(*, user, audiences: set[str]) -> Q:
    """Documents of the user's audiences (already visible), and the personal ones theirs."""
    condition = Q(audience__in=sorted(audiences - {search.PERSONAL})) & (
        Q(visible_from=None) | Q(visible_from__lte=timezone.now())
    )
    for source in search.sources():
        if source.personal is not None:
            records = source.personal(user).values("pk")
            condition |= Q(kind=source.kind, audience=search.PERSONAL, object_id__in=records)
    return condition


def _narrowed(*, topic, municipality) -> Q:
    """Each source's records on the topic / of the municipality, as ``kind … AND id IN …``."""
    condition = Q(pk__in=[])
    for source in search.sources():
        records = source.narrow(topic=topic, municipality=municipality)
        condition |= Q(kind=source.kind, object_id__in=records.values("pk"))
    return condition


def find(
    *,
    text: str,
    user,
    audiences: set[str],
    kinds: list[str] | None = None,
    topic=None,
    municipality=None,
    year: int | None = None,
) -> Results:
    """Documents matching ``text`` that ``user`` may find: those of ``audiences`` (e.g.
    ``{PUBLIC, MEMBERS}`` for a member) and the personal ones their sources grant the user.
    ``kinds`` narrows the page only, the counts per kind are always of every kind."""
    text = normalise(text)[:MAX_QUERY_LENGTH]
    documents = SearchDocument.objects.all()
    if year:
        documents = documents.filter(date__year=year)
    postgres = connection.vendor == "postgresql"
    if postgres:
        query = _tsquery(text)
        documents = documents.alias(match=_matchable()).filter(match=query)
    else:
        documents = documents.filter(_substrings(text))
    everywhere = documents.filter(_findable(user=user, audiences=audiences))
    if topic is not None or municipality is not None:
        everywhere = everywhere.filter(_narrowed(topic=topic, municipality=municipality))
    counts = dict(
        everywhere.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    page = everywhere.filter(kind__in=kinds) if kinds else everywhere
    total = sum(n for kind, n in counts.items() if not kinds or kind in kinds)
    if postgres:
        documents = Counted(_ranked(page, query), total, shown=_shown(query, text))
    else:
        page = page.order_by(F("date").desc(nulls_last=True))
        documents = Counted(page.defer(*DEFERRED[1:]), total)
    return Results(
        documents=documents,
        counts=counts,
        total=total,
        terms=[] if postgres else [word for words in _alternatives(text) for word in words],
    )


def _matchable():
    """``ikone_search_vector(vector)``, what the GIN index holds (migration 0004_search_speed:
    the vector, costed as reading it, so that the planner goes through the index)."""
    from django.contrib.postgres.search import SearchVectorField

    return Func(F("vector"), function="ikone_search_vector", output_field=SearchVectorField())


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


def _tsquery(text: str):
    """The query as typed (websearch syntax), or its words as prefixes when it has no syntax.

    German compounds: "Beteiligung" then also finds "Beteiligungsplattform" ('beteil':*).
    The prefix query is built from word characters only, so nothing typed can break it.
    """
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery(text, config="german", search_type="websearch")
    words = _WORD.findall(text)[:MAX_TERMS]
    if _OPERATORS.search(text) or not words:
        return query
    prefixes = " & ".join(f"'{word}':*" if len(word) >= 3 else f"'{word}'" for word in words)
    return query | SearchQuery(prefixes, config="german", search_type="raw")


class _Window(Func):
    """``substr(text, …)``: HEADLINE_WINDOW characters around the first literal stem found.

    The stems come from ``to_tsvector('german', <query text>)``; a stem that is not a
    substring of the lower-cased text (German umlauts: "förder…" is stemmed "forder") is
    not found, then the window starts at the beginning. Evaluated for the page's rows only.
    """

    output_field = TextField()

    def __init__(self, expression, text: str):
        super().__init__(expression)
        self.text = text

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # the compiled expression and a placeholder: nothing typed goes into the SQL
        stems = "unnest(tsvector_to_array(to_tsvector('german'::regconfig, %s))) AS stem"
        found = f"min(nullif(strpos(lower({sql}), stem), 0))"
        first = f"(SELECT {found} FROM {stems})"  # noqa: S608
        window = (
            f"substr({sql}, greatest(1, coalesce({first}, 1) - {HEADLINE_BEFORE:d}),"
            f" {HEADLINE_WINDOW:d})"
        )
        return window, (*params, *params, self.text)


def _ranked(documents: QuerySet, query) -> QuerySet:
    from django.contrib.postgres.search import SearchRank

    return documents.annotate(rank=SearchRank(F("head"), query)).order_by(
        "-rank", F("date").desc(nulls_last=True), "pk"
    )


def _shown(query, text: str):
    """The page's documents (ids from the ranked subquery) with their marked title and snippet."""
    from django.contrib.postgres.search import SearchHeadline

    options = {"config": "german", "start_sel": MARK_START, "stop_sel": MARK_END}

    def shown(ids: QuerySet) -> QuerySet:
        documents = SearchDocument.objects.filter(pk__in=ids).defer(*DEFERRED)
        return _ranked(documents, query).annotate(
            title_marked=SearchHeadline("title", query, highlight_all=True, **options),
            snippet_marked=SearchHeadline(
                _Window(Concat("lead", Value(" "), "body", output_field=TextField()), text),
                query,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **options,
            ),
        )

    return shown


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
    source = search.source(document.kind)
    label = str(source.label) if source else document.kind
    if hasattr(document, "snippet_marked"):
        title, snippet = document.title_marked, document.snippet_marked
    else:
        title = _mark_terms(document.title, words)
        snippet = _mark_terms(excerpt(f"{document.lead} {document.body}".strip(), words), words)
    snippet = snippet.strip()
    return Hit(
        kind=document.kind,
        label=label,
        title=marked(title),
        url=document.url,
        date=document.date,
        snippet=marked(snippet),
    )
