"""OParl 1.1 (https://oparl.org), read-only and public data only, at ``/oparl/v1/``.

One ``Body`` (the network), its ``Organization``s (the meeting series; the member
municipalities as institutions), the public ``Meeting``s with their ``AgendaItem``s,
``Location``s and ``File``s (the public summary of approved minutes, the slides of public
meetings). No persons. Only what an anonymous visitor may already see on the pages:
``Meeting.objects.visible()`` (public, not a draft) is the one gate every object passes.

Lists are paginated as the spec says (``data``, ``pagination``, ``links`` with ``next``) and
take ``modified_since``, ``modified_until``, ``created_since``, ``created_until``, ``page``
and ``limit``. Bad parameters answer 400 with a JSON error.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ikone.pagecache import cache_anonymous_page
from members.models import Municipality

from .models import AgendaItem, Invitation, Meeting, MeetingSeries

SCHEMA = "https://schema.oparl.org/1.1/"
BODY_ID = "ikone"
BODY_NAME = "Interkommunales Netzwerk Digitale Stadt Rheinland-Pfalz"
BODY_SHORT_NAME = "IKONE DS"
BODY_AGS = "07312000"  # Kaiserslautern, the coordinating city
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
DATE_FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadRequest(Exception):
    """A query parameter that cannot be read; answered with 400 and a JSON error."""


def _type(name: str) -> str:
    return f"{SCHEMA}{name}"


_PK = 918273645  # a placeholder reversed once per request and URL name


def _url(request, name: str, pk: int | None = None) -> str:
    """The absolute URL of an OParl object: each name reversed once per request (a list
    page holds thousands of them)."""
    cache = request.__dict__.setdefault("_oparl_urls", {})
    template = cache.get(name)
    if template is None:
        kwargs = {"pk": _PK} if pk is not None else None
        template = cache[name] = request.build_absolute_uri(
            reverse(f"meetings:{name}", kwargs=kwargs)
        )
    return template if pk is None else template.replace(str(_PK), str(pk))


def _meeting_page(request, meeting: Meeting) -> str:
    """The public page of a meeting, once per meeting and request."""
    pages = request.__dict__.setdefault("_oparl_pages", {})
    if meeting.pk not in pages:
        pages[meeting.pk] = request.build_absolute_uri(meeting.get_absolute_url())
    return pages[meeting.pk]


def _stamp(value: datetime | None) -> str | None:
    if not value:
        return None
    return value.astimezone(_zone()).isoformat(timespec="seconds")


def _zone():
    return timezone.get_current_timezone()


def _clean(data: dict) -> dict:
    """OParl leaves out what is unknown rather than sending ``null``."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": message, "status": status},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# --- reading the query ------------------------------------------------------------------


def _moment(name: str, raw: str) -> datetime:
    """A date and time (ISO 8601, as the spec says) or a date alone: that day's start."""
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise BadRequest(
                _("%(name)s must be a date or a date and time (ISO 8601), not “%(value)s”.")
                % {"name": name, "value": raw}
            )
        value = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _positive(name: str, raw: str | None, default: int, maximum: int | None = None) -> int:
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1 or (maximum and int(raw) > maximum):
        limit = (
            _("a whole number from 1 to %(maximum)d") % {"maximum": maximum}
            if maximum
            else _("a whole number from 1 on")
        )
        raise BadRequest(
            _("%(name)s must be %(limit)s, not “%(value)s”.")
            % {"name": name, "limit": limit, "value": raw}
        )
    return int(raw)


def _filters(request) -> dict[str, datetime]:
    try:
        return {
            name: _moment(name, request.GET[name]) for name in DATE_FILTERS if name in request.GET
        }
    except (ValueError, OverflowError) as error:  # a date out of range, e.g. 2024-13-40
        raise BadRequest(_("The date filter cannot be read.")) from error


def _filtered(queryset: QuerySet, filters: dict, *, created: str, modified: str) -> QuerySet:
    lookups = {
        "created_since": f"{created}__gte",
        "created_until": f"{created}__lte",
        "modified_since": f"{modified}__gte",
        "modified_until": f"{modified}__lte",
    }
    return queryset.filter(**{lookups[name]: value for name, value in filters.items()})


# --- pagination -------------------------------------------------------------------------

# One part of a list: its rows (already filtered) and how each becomes an OParl object.
Part = tuple[QuerySet, Callable]


def _paginated(request, parts: list[Part]) -> JsonResponse:
    """A list page over one or more querysets in a row: one count and one slice per part."""
    page = _positive("page", request.GET.get("page"), 1)
    limit = _positive("limit", request.GET.get("limit"), PAGE_SIZE, MAX_PAGE_SIZE)
    counts = [queryset.count() for queryset, _serialize in parts]
    total = sum(counts)
    pages = max(1, -(-total // limit))
    if page > pages:
        raise BadRequest(
            _("There is no page %(page)d; the list has %(pages)d.") % {"page": page, "pages": pages}
        )
    start, stop = (page - 1) * limit, page * limit
    data, offset = [], 0
    for (queryset, serialize), count in zip(parts, counts, strict=True):
        low, high = max(start - offset, 0), min(stop - offset, count)
        if low < high:
            data.extend(serialize(request, row) for row in queryset[low:high])
        offset += count
    base = request.build_absolute_uri(request.path)
    kept = {key: value for key, value in request.GET.items() if key != "page"}

    def link(number: int) -> str:
        return f"{base}?{urlencode({**kept, 'page': number})}"

    links = {"first": link(1), "self": link(page), "last": link(pages)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    return _json(
        {
            "data": data,
            "pagination": {
                "totalElements": total,
                "elementsPerPage": limit,
                "currentPage": page,
                "totalPages": pages,
            },
            "links": links,
        }
    )


def oparl_view(function):
    """GET only; a bad parameter becomes 400 with a JSON error, a missing object 404."""

    @require_GET
    def view(request, *args, **kwargs):
        try:
            return function(request, *args, **kwargs)
        except BadRequest as error:
            return _error(str(error))
        except Http404:
            return _error(_("There is no such object."), status=404)

    view.__name__ = function.__name__
    view.__doc__ = function.__doc__
    return view


_CACHED_PARAMS = ("limit", "page")


def _plain_number(value: str, *, lowest: int, highest: int | None = None) -> bool:
    """Digits only, no leading zero, in range: the one spelling a cached page is kept under."""
    if not (value.isascii() and value.isdigit()) or value != str(int(value)):
        return False
    return int(value) >= lowest and (highest is None or int(value) <= highest)


def _cacheable(query) -> bool:
    """Only plain requests come from the page cache: no filters, a later page or a limit in
    canonical form. Anything else (a date filter, ``page=x``, ``page=1``) goes to the view,
    which answers it itself, 400 included."""
    if set(query) - set(_CACHED_PARAMS):
        return False
    page, limit = query.get("page"), query.get("limit")
    if page is not None and not _plain_number(page, lowest=2):
        return False
    return limit is None or _plain_number(limit, lowest=1, highest=MAX_PAGE_SIZE)


def public_json(view: Callable) -> Callable:
    """An OParl view for everybody: a parameter check, JSON errors, and for anonymous
    requests the page cache (emptied whenever a meeting, series, invitation or member
    municipality changes, see ``MeetingsConfig.ready``)."""
    return cache_anonymous_page(oparl_view(view), params=_CACHED_PARAMS, accept=_cacheable)


# --- what is public -----------------------------------------------------------------------


def public_meetings() -> QuerySet:
    """Public, not a draft, with whether invitations went out: the gate of every object."""
    return (
        Meeting.objects.visible()
        .select_related("series")
        .annotate(invited=Exists(Invitation.objects.filter(meeting=OuterRef("pk"))))
        .order_by("start", "pk")
    )


def public_agenda_items() -> QuerySet:
    return (
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible())
        .select_related("meeting")
        .order_by("meeting__start", "meeting_id", "position", "pk")
    )


def public_summaries() -> QuerySet:
    """Meetings whose approved minutes have a public summary (as on the meeting page)."""
    return (
        public_meetings()
        .filter(minutes_status__in=[Meeting.MinutesStatus.APPROVED, Meeting.MinutesStatus.LOCKED])
        .exclude(public_summary="")
    )


def public_slides() -> QuerySet:
    """Slides of public meetings: anyone may open them there (``meetings:slides``)."""
    return public_agenda_items().exclude(slides="")


def public_locations() -> QuerySet:
    return public_meetings().exclude(location="")


def meeting_state(meeting: Meeting) -> str:
    """*durchgeführt* only once the minutes are approved; *eingeladen* once invited."""
    if meeting.minutes_are_final:
        return "durchgeführt"
    if getattr(meeting, "invited", False):
        return "eingeladen"
    return "terminiert"


# --- the objects ---------------------------------------------------------------------------


def _common(request, obj_type: str, obj_id: str, *, created, modified, web: str = "") -> dict:
    return {
        "id": obj_id,
        "type": _type(obj_type),
        "created": _stamp(created),
        "modified": _stamp(modified),
        "web": web or None,
    }


def system_data(request) -> dict:
    return _clean(
        {
            "id": _url(request, "oparl_system"),
            "type": _type("System"),
            "oparlVersion": SCHEMA,
            "body": _url(request, "oparl_bodies"),
            "name": BODY_NAME,
            "website": request.build_absolute_uri("/"),
            "web": request.build_absolute_uri("/"),
        }
    )


def body_data(request) -> dict:
    return _clean(
        {
            "id": _url(request, "oparl_body"),
            "type": _type("Body"),
            "system": _url(request, "oparl_system"),
            "name": BODY_NAME,
            "shortName": BODY_SHORT_NAME,
            "ags": BODY_AGS,
            "website": request.build_absolute_uri("/"),
            "classification": "Interkommunales Netzwerk",
            "organization": _url(request, "oparl_organizations"),
            "person": _url(request, "oparl_persons"),
            "meeting": _url(request, "oparl_meetings"),
            "paper": _url(request, "oparl_papers"),
            "agendaItem": _url(request, "oparl_agenda_items"),
            "file": _url(request, "oparl_files"),
            "locationList": _url(request, "oparl_locations"),
            "legislativeTerm": [],
            "web": request.build_absolute_uri("/"),
        }
    ) | {"legislativeTerm": []}


def series_data(request, series: MeetingSeries) -> dict:
    return _clean(
        {
            "id": _url(request, "oparl_series", pk=series.pk),
            "type": _type("Organization"),
            "body": _url(request, "oparl_body"),
            "name": series.name,
            "organizationType": "Gremium",
            "classification": series.get_kind_display(),
            "meeting": _url(request, "oparl_meetings") + f"?organization=reihe-{series.pk}",
        }
    )


def municipality_data(request, municipality: Municipality) -> dict:
    return _clean(
        {
            "id": _url(request, "oparl_municipality", pk=municipality.pk),
            "type": _type("Organization"),
            "body": _url(request, "oparl_body"),
            "name": municipality.name,
            "organizationType": "Institution",
            "classification": municipality.get_kind_display(),
            "startDate": municipality.member_since.isoformat()
            if municipality.member_since
            else None,
            "website": municipality.website,
            "created": _stamp(municipality.created_at),
            "modified": _stamp(municipality.created_at),
            "web": request.build_absolute_uri(municipality.get_absolute_url()),
        }
    )


def location_data(request, meeting: Meeting) -> dict:
    return _clean(
        {
            **_common(
                request,
                "Location",
                _url(request, "oparl_location", pk=meeting.pk),
                created=meeting.created_at,
                modified=meeting.updated_at,
            ),
            "description": meeting.location,
            "meetings": [_url(request, "oparl_meeting", pk=meeting.pk)],
        }
    )


def summary_data(request, meeting: Meeting) -> dict:
    return _clean(
        {
            **_common(
                request,
                "File",
                _url(request, "oparl_summary", pk=meeting.pk),
                created=meeting.minutes_approved_at or meeting.updated_at,
                modified=meeting.updated_at,
            ),
            "name": _("Public summary: %(meeting)s") % {"meeting": meeting.display_title},
            "mimeType": "text/html",
            "date": timezone.localdate(meeting.minutes_approved_at).isoformat()
            if meeting.minutes_approved_at
            else None,
            "text": meeting.public_summary,
            "accessUrl": _meeting_page(request, meeting),
            "meeting": [_url(request, "oparl_meeting", pk=meeting.pk)],
        }
    )


def slides_data(request, item: AgendaItem) -> dict:
    meeting = item.meeting
    access = request.build_absolute_uri(
        reverse("meetings:slides", kwargs={"slug": meeting.slug, "item_pk": item.pk})
    )
    return _clean(
        {
            **_common(
                request,
                "File",
                _url(request, "oparl_slides", pk=item.pk),
                created=meeting.created_at,
                modified=meeting.updated_at,
            ),
            "name": _("Slides: %(title)s") % {"title": item.title},
            "mimeType": "application/pdf",
            "accessUrl": access,
            "downloadUrl": access,
            "agendaItem": [_url(request, "oparl_agenda_item", pk=item.pk)],
            "meeting": [_url(request, "oparl_meeting", pk=meeting.pk)],
        }
    )


def agenda_item_data(request, item: AgendaItem) -> dict:
    meeting = item.meeting
    return _clean(
        {
            **_common(
                request,
                "AgendaItem",
                _url(request, "oparl_agenda_item", pk=item.pk),
                created=meeting.created_at,
                modified=meeting.updated_at,
                web=_meeting_page(request, meeting),
            ),
            "meeting": _url(request, "oparl_meeting", pk=meeting.pk),
            "order": item.position,
            "name": item.title,
            "public": True,
            "auxiliaryFile": [slides_data(request, item)] if item.slides else None,
        }
    )


def meeting_data(request, meeting: Meeting) -> dict:
    items = meeting.agenda_items.all()
    return _clean(
        {
            **_common(
                request,
                "Meeting",
                _url(request, "oparl_meeting", pk=meeting.pk),
                created=meeting.created_at,
                modified=meeting.updated_at,
                web=_meeting_page(request, meeting),
            ),
            "name": meeting.display_title,
            "meetingState": meeting_state(meeting),
            "cancelled": meeting.is_cancelled or None,
            "start": _stamp(meeting.start),
            "end": _stamp(meeting.end),
            "location": location_data(request, meeting) if meeting.location else None,
            "organization": [_url(request, "oparl_series", pk=meeting.series_id)]
            if meeting.series_id
            else None,
            "resultsProtocol": summary_data(request, meeting)
            if meeting.minutes_are_final and meeting.public_summary
            else None,
            "agendaItem": [agenda_item_data(request, item) for item in items],
        }
    )


def _meetings_with_items() -> QuerySet:
    return public_meetings().prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))
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
