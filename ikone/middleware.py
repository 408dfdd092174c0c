"""Reject requests whose input no database can store: a NUL character.

PostgreSQL refuses NUL (0x00) in text ("A string literal cannot contain NUL characters"), so
``/mitglieder/?q=%00`` — or a NUL in any other search, filter, form field, path or cookie —
ended in a 500 wherever the value reached a query. No page of the portal has a use for it:
the middleware answers such a request with a translated 400 page before any view, session or
database work. It sits before the session middleware (a NUL in the session cookie would fail
the session lookup too), so it picks the language itself and renders a page that needs
neither the session nor the user.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
    if request.method == "POST":
        if _multidict_has_nul(request.POST):
            return "form"
        if any(NUL in key or NUL in (upload.name or "") for key, upload in request.FILES.items()):
            return "file name"
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
