"""Audit trail of coordinator actions: who changed what, when — including bulk updates.

Why an explicit model and not a library:

* django-pghistory records everything with PostgreSQL triggers (also ``update()``), but the
  embedded SQLite mode would lose it;
* django-simple-history and django-auditlog hook ``post_save``/``post_delete``, so a
  ``queryset.update()`` leaves no trace;
* here: ``track(Model)`` records saves and deletes of a model, and ``QuerySet.update`` on
  tracked models writes one ``bulk_update`` entry per changed row (the ids are read first,
  in the same transaction). Services call ``record(...)`` for actions that are more than a
  field change ("invitation sent", "circular sent").

Only changes made by a coordinator are recorded: the acting user is taken from the request
(``AuditMiddleware``) or set with ``acting(user)`` in tasks and commands.

Domain actions are typed: a service records ``record(action=AuditAction.CIRCULAR_SENT,
obj=circular, by=user, data={"recipients": 412})`` — a dotted action type as in pretix's
``log_action`` and one list of all types as in Zulip's ``RealmAuditLog``. Every service of the
apps records typed actions; the untyped ``record(action="action", message=…)`` is only kept so
the entries written before (and their display) stay readable.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every kind of audit entry. Field history first, then domain actions named
    ``<app>.<thing>.<what happened>`` (stored as they are: a new member needs no migration)."""

    # field history, written by track()
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    BULK_UPDATE = "bulk_update", _("changed in bulk")
    # the untyped entry of older code (its message says what happened)
    ACTION = "action", _("action")
    # the network
    CONTACT_INVITED = "members.contact.invited", _("invited to the portal")
    CONTACT_ANONYMISED = "members.contact.anonymised", _("anonymised")
    PERSONAL_DATA_REMOVED = "privacy.data.removed", _("personal data removed (GDPR request)")
    CIRCULAR_TEST_SENT = "circulars.circular.test_sent", _("circular: test copy sent")
    CIRCULAR_SCHEDULED = "circulars.circular.scheduled", _("circular scheduled")
    CIRCULAR_SENT = "circulars.circular.sent", _("circular sent")
    CIRCULAR_RETRIED = "circulars.circular.retried", _("circular: failed mails queued again")
    MEETING_FROM_POLL = (
        "circulars.poll.meeting_created",
        _("draft meeting from a circular's answers"),
    )
    # meetings
    MEETING_INVITED = "meetings.meeting.invited", _("meeting: invitations sent")
    MEETING_RESCHEDULED = "meetings.meeting.rescheduled", _("meeting moved")
    MEETING_CANCELLED = "meetings.meeting.cancelled", _("meeting cancelled")
    MEETING_ATTENDANCE = "meetings.meeting.attendance", _("meeting: attendance recorded")
    CALENDAR_RENEWED = "meetings.calendar.renewed", _("calendar address renewed")
    AGENDA_PROPOSED = "meetings.agenda.proposed", _("agenda proposed from the survey")
    ACTION_ITEM_CLOSED = "meetings.action_item.closed", _("action item closed")
    ALLOCATION_CONFIRMED = "meetings.allocation.confirmed", _("workshop allocation confirmed")
    MINUTES_SENT_ROUND = "meetings.minutes.sent_round", _("minutes sent round for corrections")
    MINUTES_CORRECTION_ANSWERED = (
        "meetings.minutes.correction_answered",
        _("minutes: correction answered"),
    )
    MINUTES_APPROVED = "meetings.minutes.approved", _("minutes approved")
    MINUTES_LOCKED = "meetings.minutes.locked", _("minutes locked")
    MINUTES_ADDENDUM = "meetings.minutes.addendum", _("addendum to the minutes")
    # news
    POST_SCHEDULED = "news.post.scheduled", _("post scheduled")
    POST_PUBLISHED = "news.post.published", _("post published")
    POST_CHANGES_REQUESTED = "news.post.changes_requested", _("post: changes requested")
    POST_WITHDRAWN = "news.post.withdrawn", _("post withdrawn")
    # projects
    PROJECT_PUBLISHED = "projects.project.published", _("project profile published")
    PROJECT_RETURNED = "projects.project.returned", _("project profile: changes requested")
    PROJECT_WITHDRAWN = "projects.project.withdrawn", _("project profile withdrawn")
    REUSE_DECIDED = "projects.reuse.decided", _("reuse confirmed or declined")
    # surveys
    SURVEY_OPENED = "surveys.survey.opened", _("survey opened")
    SURVEY_COPIED = "surveys.survey.copied", _("survey copied")
    SURVEY_RESULTS_SHOWN = "surveys.survey.results_shown", _("survey: results visibility set")
    SURVEY_REMINDED = "surveys.survey.reminded", _("survey: reminders sent")


def action_choices() -> list[tuple[str, str]]:
    """``AuditEntry.action``'s choices, as a callable so a new action needs no migration."""
    return AuditAction.choices


_actor: contextvars.ContextVar = contextvars.ContextVar("ikone_audit_actor", default=None)
_tracked: dict[type, tuple[str, ...] | None] = {}


@contextmanager
def acting(user):
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def _coordinator(user):
    """``user`` if it is a coordinator (only their actions are recorded), else None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_staff:
        return None
    return user


def current_actor():
    return _coordinator(_actor.get())


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def _json(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(
    *,
    action: AuditAction | str,
    obj=None,
    by=None,
    data: dict | None = None,
    model=None,
    message: str = "",
    changes: dict | None = None,
    actor=None,
):
    """Write one audit entry (nothing if no coordinator is acting).

    ``by`` (or the older ``actor``) names who acted when no request or ``acting()`` does; a
    member is ignored. ``data`` holds what a typed action wants kept beside its type (counts,
    a comment); it is stored with the field ``changes`` and scrubbed like them.
    """
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry

    actor = _coordinator(by or actor) or current_actor()
    if actor is None:
        return None
    model = model or (type(obj) if obj is not None else None)
    return AuditEntry.objects.create(
        actor=actor,
        actor_repr=str(actor.email),
        action=action,
        content_type=ContentType.objects.get_for_model(model) if model else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        message=str(message)[:255],
        changes={**(changes or {}), **(data or {})},
    )


NEVER_RECORDED = {"password", "last_login"}


def _fields(model) -> list[str]:
    wanted = _tracked[model]
    return [
        f.attname
        for f in model._meta.concrete_fields
        if (wanted is None or f.name in wanted)
        and not f.primary_key
        and f.name not in NEVER_RECORDED
    ]


def _pre_save(sender, instance, **kwargs):
    if current_actor() is None or instance.pk is None:
        instance._audit_before = None
        return
    before = sender._default_manager.filter(pk=instance.pk).values(*_fields(sender)).first()
    instance._audit_before = before


def _post_save(sender, instance, created, **kwargs):
    if current_actor() is None:
        return
    if created:
        record(action="create", obj=instance)
        return
    before = getattr(instance, "_audit_before", None) or {}
    changes = {
        name: [_json(before.get(name)), _json(getattr(instance, name))]
        for name in _fields(sender)
        if name in before and before[name] != getattr(instance, name)
    }
    if changes:
        record(action="update", obj=instance, changes=changes)


def _post_delete(sender, instance, **kwargs):
    record(action="delete", obj=instance)


_original_update = models.QuerySet.update


def _audited_update(self, **kwargs):
    model = self.model
    if model not in _tracked or current_actor() is None:
        return _original_update(self, **kwargs)
    from django.db import transaction

    recorded = {
        model._meta.get_field(name).attname: value
        for name, value in kwargs.items()
        if model._meta.get_field(name).attname in _fields(model)
    }
    with transaction.atomic(using=self.db):
        before = list(self.all())
        count = _original_update(self, **kwargs)
        for obj in before:
            changes = {
                name: [
                    _json(getattr(obj, name)),
                    "(expression)" if hasattr(value, "resolve_expression") else _json(value),
                ]
                for name, value in recorded.items()
            }
            record(action="bulk_update", obj=obj, changes=changes)
    return count


def _m2m_receiver(model, field_name):
    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if reverse or type(instance) is not model or current_actor() is None:
            return
        if action in ("post_add", "post_remove") and pk_set:
            key = "added" if action == "post_add" else "removed"
            record(action="update", obj=instance, changes={field_name: {key: sorted(pk_set)}})
        elif action == "post_clear":
            record(action="update", obj=instance, changes={field_name: "cleared"})

    return receiver


def track(model, *, fields: tuple[str, ...] | None = None) -> None:
    """Record saves, deletes, ``update()`` and many-to-many changes of ``model``."""
    _tracked[model] = fields
    uid = f"ikone-audit-{model._meta.label}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-delete")
    for field in model._meta.many_to_many:
        if fields is not None and field.name not in fields:
            continue
        m2m_changed.connect(
            _m2m_receiver(model, field.name),
            sender=field.remote_field.through,
            dispatch_uid=f"{uid}-m2m-{field.name}",
            weak=False,
        )
    models.QuerySet.update = _audited_update
