"""Writing the tombstones of OParl objects that are deleted or stop being public.

Every change that may take something out of OParl — a meeting deleted, made members-only
or back to a draft, its location or public summary removed; an agenda item deleted or its
slides removed; a series deleted; a municipality leaving; a speaker withdrawing consent —
goes through a save or delete of a model, from a service or the admin. The receivers here
(connected in ``MeetingsConfig.ready``) note what OParl exposed in the changed object's
scope before the change, look again afterwards, and write a tombstone for each object that
went; objects that come back lose theirs. The scope is read with the very querysets the
OParl views use (``meetings.oparl.public``), so "published" means the same in both places.

Not covered: ``QuerySet.update()`` sends no signals; no code path depublishes that way.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.urls import reverse
from django.utils import timezone

from ikone import pagecache
from members.models import Contact, Municipality

from ..models import AgendaItem, Meeting, MeetingSeries, OParlTombstone
from .persons import public_person_ids, speakers_of
from .public import public_agenda_items, public_meetings, public_summaries

Kind = OParlTombstone.Kind
Key = tuple[str, int]
Exposed = dict[Key, tuple[datetime | None, dict]]


class Scope:
    """The objects one change may affect, by model."""

    def __init__(self, *, meetings=(), items=(), contacts=(), series=(), municipalities=()):
        self.meetings = set(meetings)
        self.items = set(items)
        self.contacts = set(contacts)
        self.series = set(series)
        self.municipalities = set(municipalities)

    def agenda_items(self):
        return AgendaItem.objects.filter(Q(meeting_id__in=self.meetings) | Q(pk__in=self.items))


def exposed(scope: Scope) -> Exposed:
    """What OParl publishes of ``scope`` now: (kind, pk) → (created, required properties)."""
    found: Exposed = {}
    if scope.meetings:
        for meeting in public_meetings().filter(pk__in=scope.meetings):
            private = {"_series": meeting.series_id}
            found[(Kind.MEETING, meeting.pk)] = (meeting.created_at, private)
            if meeting.location:
                found[(Kind.LOCATION, meeting.pk)] = (meeting.created_at, {})
        for meeting in public_summaries().filter(pk__in=scope.meetings):
            access = {"accessUrl": meeting.get_absolute_url(), "_meeting": meeting.pk}
            found[(Kind.SUMMARY, meeting.pk)] = (
                meeting.minutes_approved_at or meeting.updated_at,
                access,
            )
    if scope.meetings or scope.items:
        items = public_agenda_items().filter(
            Q(meeting_id__in=scope.meetings) | Q(pk__in=scope.items)
        )
        for item in items:
            created = item.meeting.created_at
            found[(Kind.AGENDA_ITEM, item.pk)] = (
                created,
                {"order": item.position, "_meeting": item.meeting_id},
            )
            if item.slides:
                access = reverse(
                    "meetings:slides", kwargs={"slug": item.meeting.slug, "item_pk": item.pk}
                )
                found[(Kind.SLIDES, item.pk)] = (
                    created,
                    {"accessUrl": access, "_meeting": item.meeting_id},
                )
    for pk in MeetingSeries.objects.filter(pk__in=scope.series).values_list("pk", flat=True):
        found[(Kind.SERIES, pk)] = (None, {})
    for pk, created in (
        Municipality.objects.members()
        .filter(pk__in=scope.municipalities)
        .values_list("pk", "created_at")
    ):
        found[(Kind.MUNICIPALITY, pk)] = (created, {})
    if scope.contacts:
        public = public_person_ids(contact_ids=scope.contacts)
        for pk, created in Contact.objects.filter(pk__in=public).values_list("pk", "created_at"):
            found[(Kind.PERSON, pk)] = (created, {})
    return found


def _any_of(keys) -> Q:
    query = Q(pk__in=[])
    for kind, pk in keys:
        query |= Q(kind=kind, object_pk=pk)
    return query


def settle(before: Exposed, after: Exposed) -> None:
    """A tombstone for each object that went, none for those that are (back) there."""
    now = timezone.now()
    gone = [key for key in before if key not in after]
    for kind, pk in gone:
        created, extra = before[(kind, pk)]
        OParlTombstone.objects.update_or_create(
            kind=kind,
            object_pk=pk,
            defaults={"created": created, "deleted_at": now, "extra": extra},
        )
    # OParl 1.1: the objects an agenda item or file was embedded in count as modified
    embedding = {before[key][1].get("_meeting") for key in gone} - {None}
    if embedding:
        Meeting.objects.filter(pk__in=embedding).update(updated_at=now)
    if after:
        OParlTombstone.objects.filter(_any_of(after)).delete()
    if gone or after:
        pagecache.invalidate()


# --- the receivers -----------------------------------------------------------------------------


def _scope(instance) -> Scope:
    if isinstance(instance, Meeting):
        scope = Scope(meetings=[instance.pk])
        scope.contacts = speakers_of(scope.agenda_items())
        return scope
    if isinstance(instance, AgendaItem):
        scope = Scope(items=[instance.pk])
        scope.contacts = speakers_of(scope.agenda_items())
        return scope
    if isinstance(instance, MeetingSeries):
        return Scope(series=[instance.pk])
    if isinstance(instance, Municipality):
        return Scope(municipalities=[instance.pk])
    return Scope(contacts=[instance.pk])


def _before(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None or instance._state.adding:
        return
    scope = _scope(instance)
    instance._oparl_scope = scope
    instance._oparl_before = exposed(scope)


def _after(sender, instance, raw=False, created=False, **kwargs) -> None:
    if raw:
        return
    before = instance.__dict__.pop("_oparl_before", {})
    scope = instance.__dict__.pop("_oparl_scope", None) or Scope()
    if created and not isinstance(instance, AgendaItem):
        return  # a new object has no tombstone; a new talk may bring a person back
    fresh = _scope(instance) if instance.pk is not None else Scope()
    scope.contacts |= fresh.contacts
    settle(before, exposed(scope))


def _after_delete(sender, instance, **kwargs) -> None:
    _after(sender, instance)


def connect() -> None:
    for model in (Meeting, AgendaItem, MeetingSeries, Municipality, Contact):
        uid = f"oparl-tombstones-{model._meta.label}"
        pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_after, sender=model, dispatch_uid=f"{uid}-post-save")
        pre_delete.connect(_before, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-post-delete")
