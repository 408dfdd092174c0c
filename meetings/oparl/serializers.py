"""The OParl objects: one function per type, from a row to a dict."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Contact, Municipality

from ..models import AgendaItem, Meeting, MeetingSeries, OParlTombstone
from .common import (
    BODY_AGS,
    BODY_NAME,
    BODY_SHORT_NAME,
    SCHEMA,
    _clean,
    _meeting_page,
    _stamp,
    _type,
    _url,
)
from .persons import participants
from .public import meeting_state, public_meetings

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
            "participant": [
                _url(request, "oparl_person", pk=pk) for pk in participants(request, items)
            ],
            "agendaItem": [agenda_item_data(request, item) for item in items],
        }
    )


def _meetings_with_items() -> QuerySet:
    return public_meetings().prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))
    )


def person_data(request, contact: Contact) -> dict:
    """A speaker who agreed to be named: the name and nothing else about them."""
    return _clean(
        {
            **_common(
                request,
                "Person",
                _url(request, "oparl_person", pk=contact.pk),
                created=contact.created_at,
                modified=contact.updated_at,
            ),
            "body": _url(request, "oparl_body"),
            "name": contact.full_name,
            "givenName": contact.first_name,
            "familyName": contact.last_name,
        }
    )


Kind = OParlTombstone.Kind
TOMBSTONE_TYPES = {
    Kind.MEETING: ("Meeting", "oparl_meeting"),
    Kind.AGENDA_ITEM: ("AgendaItem", "oparl_agenda_item"),
    Kind.SUMMARY: ("File", "oparl_summary"),
    Kind.SLIDES: ("File", "oparl_slides"),
    Kind.LOCATION: ("Location", "oparl_location"),
    Kind.SERIES: ("Organization", "oparl_series"),
    Kind.MUNICIPALITY: ("Organization", "oparl_municipality"),
    Kind.PERSON: ("Person", "oparl_person"),
}


def tombstone_data(request, tombstone: OParlTombstone) -> dict:
    """A deleted object as OParl 1.1 (2.8) keeps it: ``id``, ``type``, ``created``, the moment
    of deletion as ``modified``, ``deleted: true``, and what its schema still requires."""
    obj_type, name = TOMBSTONE_TYPES[tombstone.kind]
    kept = {key: value for key, value in tombstone.extra.items() if not key.startswith("_")}
    if "accessUrl" in kept:
        kept["accessUrl"] = request.build_absolute_uri(kept["accessUrl"])
    return _clean(
        {
            "id": _url(request, name, pk=tombstone.object_pk),
            "type": _type(obj_type),
            "created": _stamp(tombstone.created),
            "modified": _stamp(tombstone.deleted_at),
            **kept,
        }
    ) | {"deleted": True}
