"""One search across the portal: the sources the apps register and the index they fill.

Each activity app registers a ``Source`` per kind of page in its ``AppConfig.ready()``
(``projects/search.py``, ``news/search.py`` …): how its records become plain-text documents
and which records a user may see (the app's own selectors, the same rules as its pages).
The index (``ikone.models.SearchDocument``) holds each findable record's text with its
audience, which the app decides from the record's state by the rules of its pages: everybody,
members (and coordinators), coordinators only, or *personal* — then the source answers per
user at query time (circular letters: those sent to the member). A scheduled post carries the
time from which it may be found. Saving or deleting a registered model updates its documents
(signals: the admin and the services alike write these models);
``manage.py rebuild_search_index`` recreates the whole index. ``ikone.search_query`` asks it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch
from django.utils.html import strip_tags

# ts_headline and the SQLite excerpt mark hits with these (private use) characters; the text
# is escaped first and only then are they turned into <mark>, so user text never becomes HTML.
MARK_START = "\ue000"
MARK_END = "\ue001"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ue000\ue001]")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(^|\s)[#>*+-]{1,6}\s|[*_`~]{1,3}|^\s*\d+\.\s", re.MULTILINE)
_SPACES = re.compile(r"\s+")
BATCH = 1000
# Who may find a document (SearchDocument.audience).
PUBLIC = "public"
MEMBERS = "members"  # members of the network and coordinators
STAFF = "staff"  # the coordination team only
PERSONAL = "personal"  # decided per user by the source's ``personal(user)``


@dataclass(frozen=True)
class Document:
    """What the index keeps of one page: plain text, its address and its date."""

    object_id: int
    title: str
    url: str
    date: datetime | None = None
    lead: str = ""
    body: str = ""
    audience: str = PUBLIC
    visible_from: datetime | None = None


@dataclass
class Source:
    """One kind of search result, contributed by the app that owns the pages.

    ``documents(objects)`` turns records of ``model`` (from ``queryset()``) into documents
    with their audience; a record it skips is found by nobody. ``narrow(topic=…,
    municipality=…)`` returns the records on a topic / of a municipality (either may be
    None), ``personal(user)`` those of audience PERSONAL the user may open — querysets the
    search uses as subqueries.
    ``depends_on`` maps another model to the ids of this source's records whose documents
    change with it (an agenda item's address changes with its meeting's).
    """

    kind: str
    label: Any
    model: type[Model]
    documents: Callable[[Iterable[Any]], Iterable[Document]]
    narrow: Callable[..., QuerySet]
    personal: Callable[[Any], QuerySet] | None = None
    queryset: Callable[[], QuerySet] | None = None
    depends_on: dict[type[Model], Callable[[Any], Iterable[int]]] = field(default_factory=dict)
    order: int = 100

    def records(self) -> QuerySet:
        return self.queryset() if self.queryset else self.model._default_manager.all()


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add a source (from an ``AppConfig.ready()``) and keep its documents up to date."""
    _sources[source.kind] = source
    uid = f"ikone.search:{source.kind}"
    post_save.connect(_saved(source), sender=source.model, weak=False, dispatch_uid=uid)
    post_delete.connect(_deleted(source), sender=source.model, weak=False, dispatch_uid=uid)
    for model, ids_of in source.depends_on.items():
        post_save.connect(
            _dependent_saved(source, ids_of),
            sender=model,
            weak=False,
            dispatch_uid=f"{uid}:{model._meta.label}",
        )


def sources() -> list[Source]:
    """The registered sources in the order their tabs are shown."""
    return sorted(_sources.values(), key=lambda source: (source.order, source.kind))


def source(kind: str) -> Source | None:
    return _sources.get(kind)


def _saved(source: Source):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            reindex(source.kind, [instance.pk])

    return receiver


def _deleted(source: Source):
    def receiver(sender, instance, **kwargs):
        remove(source.kind, [instance.pk])

    return receiver


def _dependent_saved(source: Source, ids_of):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            ids = list(ids_of(instance))
            if ids:
                reindex(source.kind, ids)

    return receiver


# --- plain text -----------------------------------------------------------------------------


def one_line(text: str | None) -> str:
    """Plain text (a title) on one line, without control characters."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text or "")).strip()


def plain_text(text: str | None) -> str:
    """Markdown or HTML as one line of readable text (no tags, no markup, no control chars)."""
    if not text:
        return ""
    text = html.unescape(strip_tags(text))
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_MARKS.sub(" ", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def address(obj, anchor: str = "") -> str:
    """``obj.get_absolute_url()`` (plus ``anchor``), or "" while it has none (a temporary slug)."""
    try:
        return obj.get_absolute_url() + anchor
    except NoReverseMatch:
        return ""


def _clean(document: Document) -> dict:
    return {
        "object_id": document.object_id,
        "title": one_line(document.title)[:255],
        "lead": plain_text(document.lead),
        "body": plain_text(document.body),
        "url": document.url[:500],
        "date": document.date,
        "audience": document.audience,
        "visible_from": document.visible_from,
    }


# --- keeping the index ----------------------------------------------------------------------


def _vectors() -> dict:
    from django.contrib.postgres.search import SearchVector

    head = SearchVector("title", weight="A", config="german") + SearchVector(
        "lead", weight="B", config="german"
    )
    return {"head": head, "vector": head + SearchVector("body", weight="C", config="german")}


def _store(kind: str, documents: list[Document]) -> int:
    from .models import SearchDocument

    rows = [SearchDocument(kind=kind, **_clean(document)) for document in documents if document.url]
    if not rows:
        return 0
    SearchDocument.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["title", "lead", "body", "url", "date", "audience", "visible_from"],
        batch_size=BATCH,
    )
    if connection.vendor == "postgresql":
        SearchDocument.objects.filter(
            kind=kind, object_id__in=[row.object_id for row in rows]
        ).update(**_vectors())
    return len(rows)


def reindex(kind: str, ids: Iterable[int]) -> None:
    """Write the documents of these records again (and drop those no longer searchable)."""
    from .models import SearchDocument

    source = _sources[kind]
    ids = set(ids)
    with transaction.atomic():
        documents = list(source.documents(source.records().filter(pk__in=ids)))
        _store(kind, documents)
        gone = ids - {document.object_id for document in documents if document.url}
        if gone:
            SearchDocument.objects.filter(kind=kind, object_id__in=gone).delete()


def remove(kind: str, ids: Iterable[int]) -> None:
    from .models import SearchDocument

    SearchDocument.objects.filter(kind=kind, object_id__in=list(ids)).delete()


def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Recreate the documents of every (or the given) source; returns the count per kind."""
    from .models import SearchDocument

    counts = {}
    for source in sources():
        if kinds is not None and source.kind not in kinds:
            continue
        with transaction.atomic():
            SearchDocument.objects.filter(kind=source.kind).delete()
            batch: list[Document] = []
            count = 0
            for document in source.documents(source.records().iterator(chunk_size=BATCH)):
                batch.append(document)
                if len(batch) >= BATCH:
                    count += _store(source.kind, batch)
                    batch = []
            counts[source.kind] = count + _store(source.kind, batch)
    return counts
