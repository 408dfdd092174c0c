"""The OParl views: one per list and object."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from members.models import Municipality

from ..models import MeetingSeries
from .common import BadRequest, _json
from .lists import _filtered, _filters, _paginated, public_json
from .public import public_agenda_items, public_locations, public_slides, public_summaries
from .serializers import (
    _meetings_with_items,
    agenda_item_data,
    body_data,
    location_data,
    meeting_data,
    municipality_data,
    series_data,
    slides_data,
    summary_data,
    system_data,
)

# --- the views ------------------------------------------------------------------------------


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
    return _paginated(request, [(series, series_data), (municipalities, municipality_data)])


@public_json
def series(request, pk):
    return _json(series_data(request, get_object_or_404(MeetingSeries, pk=pk)))


@public_json
def municipality(request, pk):
    return _json(
        municipality_data(request, get_object_or_404(Municipality.objects.members(), pk=pk))
    )


@public_json
def meetings(request):
    queryset = _filtered(
        _meetings_with_items(), _filters(request), created="created_at", modified="updated_at"
    )
    wanted = request.GET.get("organization")
    if wanted is not None:
        prefix, _dash, pk = wanted.partition("-")
        if prefix != "reihe" or not pk.isdigit():
            raise BadRequest(_("organization must look like “reihe-1”."))
        queryset = queryset.filter(series_id=int(pk))
    return _paginated(request, [(queryset, meeting_data)])


@public_json
def meeting(request, pk):
    return _json(meeting_data(request, get_object_or_404(_meetings_with_items(), pk=pk)))


@public_json
def agenda_items(request):
    queryset = _filtered(
        public_agenda_items(),
        _filters(request),
        created="meeting__created_at",
        modified="meeting__updated_at",
    )
    return _paginated(request, [(queryset, agenda_item_data)])


@public_json
def agenda_item(request, pk):
    return _json(agenda_item_data(request, get_object_or_404(public_agenda_items(), pk=pk)))


@public_json
def files(request):
    filters = _filters(request)
    summaries = _filtered(public_summaries(), filters, created="created_at", modified="updated_at")
    slides = _filtered(
        public_slides(), filters, created="meeting__created_at", modified="meeting__updated_at"
    )
    return _paginated(request, [(summaries, summary_data), (slides, slides_data)])


@public_json
def summary(request, pk):
    return _json(summary_data(request, get_object_or_404(public_summaries(), pk=pk)))


@public_json
def slides(request, pk):
    return _json(slides_data(request, get_object_or_404(public_slides(), pk=pk)))


@public_json
def locations(request):
    queryset = _filtered(
        public_locations(), _filters(request), created="created_at", modified="updated_at"
    )
    return _paginated(request, [(queryset, location_data)])


@public_json
def location(request, pk):
    return _json(location_data(request, get_object_or_404(public_locations(), pk=pk)))


@public_json
def empty(request):
    """Persons and papers: the network publishes none."""
    return _paginated(request, [])


class _OneBody:
    """The list of bodies: always the one network."""

    def count(self) -> int:
        return 1

    def __getitem__(self, _slice):
        return [None]
