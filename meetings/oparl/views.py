"""The OParl views: one per list and object.

A deleted or depublished object stays at its URL as OParl 1.1 (2.8) says: 200 with
``deleted: true``; lists show such objects only when asked with ``modified_since``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from members.models import Municipality

from ..models import MeetingSeries, OParlTombstone
from .common import BadRequest, _json
from .lists import Part, _filtered, _filters, _paginated, public_json
from .persons import public_persons
from .public import public_agenda_items, public_locations, public_slides, public_summaries
from .serializers import (
    _meetings_with_items,
    agenda_item_data,
    body_data,
    location_data,
    meeting_data,
    municipality_data,
    person_data,
    series_data,
    slides_data,
    summary_data,
    system_data,
    tombstone_data,
)

Kind = OParlTombstone.Kind

# --- the views ------------------------------------------------------------------------------


def _one(request, queryset: QuerySet, pk: int, serialize: Callable, kind: str):
    """The object, or what is left of it once deleted, or 404 if OParl never had it."""
    obj = queryset.filter(pk=pk).first()
    if obj is not None:
        return _json(serialize(request, obj))
    tombstone = OParlTombstone.objects.filter(kind=kind, object_pk=pk).first()
    if tombstone is None:
        raise Http404
    return _json(tombstone_data(request, tombstone))


def _deleted(filters: dict, *kinds: str, series: int | None = None) -> list[Part]:
    """The deleted objects of a list: only for a client that asks what changed since."""
    if "modified_since" not in filters:
        return []
    tombstones = OParlTombstone.objects.filter(kind__in=kinds).order_by("deleted_at", "pk")
    if series is not None:
        tombstones = tombstones.filter(extra___series=series)
    return [
        (_filtered(tombstones, filters, created="created", modified="deleted_at"), tombstone_data)
    ]


@public_json
def system(request):
    """The entry point: the OParl system."""
    return _json(system_data(request))


@public_json
def bodies(request):
    return _paginated(request, [(_OneBody(), lambda request, _row: body_data(request))])


@public_json
def body(request):
    return _json(body_data(request))


@public_json
def organizations(request):
    filters = _filters(request)
    series = MeetingSeries.objects.order_by("pk")
    if filters:  # series carry no timestamps: they are left out of a filtered list
        series = series.none()
    municipalities = _filtered(
        Municipality.objects.members().order_by("pk"),
        filters,
        created="created_at",
        modified="created_at",
    )
    return _paginated(
        request,
        [
            (series, series_data),
            (municipalities, municipality_data),
            *_deleted(filters, Kind.SERIES, Kind.MUNICIPALITY),
        ],
    )


@public_json
def series(request, pk):
    return _one(request, MeetingSeries.objects.all(), pk, series_data, Kind.SERIES)


@public_json
def municipality(request, pk):
    return _one(request, Municipality.objects.members(), pk, municipality_data, Kind.MUNICIPALITY)


@public_json
def meetings(request):
    filters = _filters(request)
    queryset = _filtered(
        _meetings_with_items(), filters, created="created_at", modified="updated_at"
    )
    wanted = request.GET.get("organization")
    series = None
    if wanted is not None:
        prefix, _dash, pk = wanted.partition("-")
        if prefix != "reihe" or not pk.isdigit():
            raise BadRequest(_("organization must look like “reihe-1”."))
        series = int(pk)
        queryset = queryset.filter(series_id=series)
    return _paginated(
        request, [(queryset, meeting_data), *_deleted(filters, Kind.MEETING, series=series)]
    )


@public_json
def meeting(request, pk):
    return _one(request, _meetings_with_items(), pk, meeting_data, Kind.MEETING)


@public_json
def agenda_items(request):
    filters = _filters(request)
    queryset = _filtered(
        public_agenda_items(),
        filters,
        created="meeting__created_at",
        modified="meeting__updated_at",
    )
    return _paginated(request, [(queryset, agenda_item_data), *_deleted(filters, Kind.AGENDA_ITEM)])


@public_json
def agenda_item(request, pk):
    return _one(request, public_agenda_items(), pk, agenda_item_data, Kind.AGENDA_ITEM)


@public_json
def files(request):
    filters = _filters(request)
    summaries = _filtered(public_summaries(), filters, created="created_at", modified="updated_at")
    slides = _filtered(
        public_slides(), filters, created="meeting__created_at", modified="meeting__updated_at"
    )
    return _paginated(
        request,
        [
            (summaries, summary_data),
            (slides, slides_data),
            *_deleted(filters, Kind.SUMMARY, Kind.SLIDES),
        ],
    )


@public_json
def summary(request, pk):
    return _one(request, public_summaries(), pk, summary_data, Kind.SUMMARY)


@public_json
def slides(request, pk):
    return _one(request, public_slides(), pk, slides_data, Kind.SLIDES)


@public_json
def locations(request):
    filters = _filters(request)
    queryset = _filtered(public_locations(), filters, created="created_at", modified="updated_at")
    return _paginated(request, [(queryset, location_data), *_deleted(filters, Kind.LOCATION)])


@public_json
def location(request, pk):
    return _one(request, public_locations(), pk, location_data, Kind.LOCATION)


@public_json
def persons(request):
    """Speakers who agreed to be named publicly (``Contact.public_speaker``)."""
    filters = _filters(request)
    queryset = _filtered(public_persons(), filters, created="created_at", modified="updated_at")
    return _paginated(request, [(queryset, person_data), *_deleted(filters, Kind.PERSON)])


@public_json
def person(request, pk):
    return _one(request, public_persons(), pk, person_data, Kind.PERSON)


@public_json
def empty(request):
    """Papers: the network publishes none."""
    return _paginated(request, [])


class _OneBody:
    """The list of bodies: always the one network."""

    def count(self) -> int:
        return 1

    def __getitem__(self, _slice):
        return [None]
