"""Middleware against input no page can use.

``RejectNulMiddleware``: PostgreSQL refuses NUL (0x00) in text ("A string literal cannot
contain NUL characters"), so ``/mitglieder/?q=%00`` — or a NUL in any other search, filter,
form field, path or cookie — ended in a 500 wherever the value reached a query. No page of
the portal has a use for it: such a request gets a translated 400 page before any view,
session or database work. The middleware sits before the session middleware (a NUL in the
session cookie would fail the session lookup too), so it picks the language itself and
renders a page that needs neither the session nor the user.

``AdminDateLookupMiddleware``: see its docstring.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib import admin, messages
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateField
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

log = logging.getLogger("ikone.security")

NUL = "\x00"


def _has_nul(texts: Iterable[str]) -> bool:
    return any(NUL in text for text in texts)


def _multidict_has_nul(data) -> bool:
    return any(NUL in key or _has_nul(data.getlist(key)) for key in data)


def request_has_nul(request) -> str | None:
    """Where the request carries a NUL, or None."""
    if NUL in request.path_info or NUL in request.path:
        return "path"
    if _multidict_has_nul(request.GET):
        return "query"
    if _has_nul(request.COOKIES) or _has_nul(request.COOKIES.values()):
        return "cookie"
    # (Django's multipart parser already drops unprintable characters from file names.)
    if request.method == "POST" and _multidict_has_nul(request.POST):
        return "form"
    return None


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = request_has_nul(request)
        if where is None:
            return self.get_response(request)
        log.info("rejected a NUL character in the %s: path=%r", where, request.path[:200])
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = render(request, "errors/400.html", {"where": where}, status=400)
            response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


# --- Admin changelists: date lookups out of range -----------------------------------------

# The date parts the admin's list filters and date hierarchy put into the query string
# (``at__year=2026``, ``created_at__month=5``), with the values Python's dates can hold. The
# year stops at 9998: the date hierarchy computes the start of the *next* year or month.
DATE_PARTS = {
    "year": (1, 9998),
    "iso_year": (1, 9998),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
_LIST_LOOKUPS = ("in", "range")


def _date_part(model, key: str) -> tuple[str, str] | None:
    """(date part, lookup) if ``key`` filters a date part of a date field of ``model``."""
    opts = model._meta
    parts = key.split("__")
    for index, name in enumerate(parts):
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            return None
        if field.is_relation and field.related_model is not None:
            opts = field.related_model._meta
            continue
        rest = parts[index + 1 :]
        if rest[:1] == ["date"]:  # at__date__year=… on a date-time field
            rest = rest[1:]
        if isinstance(field, DateField) and rest and rest[0] in DATE_PARTS:
            return rest[0], (rest[1] if len(rest) > 1 else "exact")
        return None
    return None


def _in_range(text: str, low: int, high: int) -> bool:
    text = text.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isdigit() or not digits.isascii() or len(digits) > 6:
        return False
    return low <= int(text) <= high


def invalid_date_lookup(model, params) -> str | None:
    """The first query parameter with a date part no date can have (``year=-5``), or None."""
    for key in params:
        found = _date_part(model, key)
        if found is None:
            continue
        part, lookup = found
        if lookup == "isnull":
            continue
        low, high = DATE_PARTS[part]
        for value in params.getlist(key):
            values = value.split(",") if lookup in _LIST_LOOKUPS else [value]
            if not all(_in_range(v, low, high) for v in values):
                return key
    return None


class AdminDateLookupMiddleware:
    """Admin changelists: a date filter out of range is dropped like any wrong lookup.

    Django's changelist turns a wrong lookup into a redirect to ``?e=1``, but a year such as
    ``99999999999999999999``, ``0`` or ``-5`` only fails when the query is built (OverflowError,
    ValueError) and ended in a 500 — on every changelist, also those of other apps, since any
    date field can be filtered by hand. This checks the date parts of the query string first,
    says what was wrong and sends the coordinator to the unfiltered list, as Django does.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._models = None

    def __call__(self, request):
        return self.get_response(request)

    def _changelist_models(self) -> dict:
        if self._models is None:
            self._models = {
                f"{m._meta.app_label}_{m._meta.model_name}_changelist": m
                for m in admin.site._registry
            }
        return self._models

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "admin" or not request.GET:
            return None
        if not request.user.is_staff:
            return None  # the admin sends them to its login page
        model = self._changelist_models().get(match.url_name)
        if model is None:
            return None
        key = invalid_date_lookup(model, request.GET)
        if key is None:
            return None
        log.info("admin: dropped an invalid date filter %s on %s", key, request.path)
        messages.warning(
            request,
            _("The date filter “%(filter)s” has no valid value and was removed.") % {"filter": key},
        )
        return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
