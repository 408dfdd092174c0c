"""What every OParl module shares: the names, URLs, time stamps and JSON answers."""

from __future__ import annotations

from datetime import datetime

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone

from ..models import Meeting

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
