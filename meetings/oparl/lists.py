"""Reading a list's query (date filters, page, limit), paginating it, and the view wrappers
(GET only, JSON errors, the page cache)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ikone.pagecache import cache_anonymous_page

from .common import DATE_FILTERS, MAX_PAGE_SIZE, PAGE_SIZE, BadRequest, _error, _json

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
