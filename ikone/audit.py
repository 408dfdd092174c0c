"""Audit trail of coordinator actions: who changed what, when.

Two records, each for what it is good at:

* **Field history** (which field of which record changed from what to what) is django-auditlog's
  ``LogEntry``. Each app registers its models with auditlog's registry in its
  ``AppConfig.ready()`` through :func:`register` (the fields to record, the many-to-many
  fields). Auditlog listens to
  ``save()``, ``delete()`` and many-to-many changes; it does not see ``queryset.update()``,
  and nothing here replaces Django's ``QuerySet.update`` to make it see it. A service that
  changes rows with ``update()`` on behalf of a coordinator therefore says so itself with a
  typed ``record(...)`` (for example ``MEETING_ATTENDANCE``); bookkeeping writes of the system
  ("reminder sent at", counters) were never a coordinator's action and leave no entry.
* **Domain actions** are typed ``AuditEntry`` rows: a service records
  ``record(action=AuditAction.CIRCULAR_SENT, obj=circular, by=user, data={"recipients": 412})``
  — a dotted action type as in pretix's ``log_action`` and one list of all types as in
  Zulip's ``RealmAuditLog``. The untyped ``record(action="action", message=…)`` and the
  ``create``/``update``/``delete``/``bulk_update`` types are only kept so the entries written
  before (and their display) stay readable.

Only changes made by a coordinator are recorded, in both: the acting user is taken from the
request (``AuditMiddleware``) or set with ``acting(user)`` in tasks and commands; ``acting()``
also hands the user to auditlog (``set_actor``), a ``pre_save`` receiver on auditlog's entry
names the innermost actor, and a ``pre_log`` receiver (and a gate before auditlog's
many-to-many handler) refuses every field-history entry while no coordinator acts (members'
own edits, background jobs, the removal of personal data).
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.receivers import make_log_m2m_changes
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.db import models
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# django-auditlog's own action labels have no German; these are ours (the catalogue of the
# whole process answers for every domain, so the field-history admin shows them in German).
AUDITLOG_ACTION_LABELS = (
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
)


class AuditAction(models.TextChoices):
    """Every kind of audit entry. Older field history first, then domain actions named
    ``<app>.<thing>.<what happened>`` (stored as they are: a new member needs no migration)."""

    # field history written by the hand-made tracker before django-auditlog took it over:
    # kept so the older entries stay readable (nothing writes these any more)
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


@contextmanager
def acting(user):
    """``user`` acts (for our entries and for auditlog's) until the block ends; ``None``: nobody.

    Auditlog's ``set_actor`` does not restore its context when it ends, so the surrounding
    actor (the request's, an outer ``acting()``) is put back here.
    """
    token = _actor.set(user)
    outer = auditlog_value.set(None)
    try:
        with set_actor(user):
            yield
    finally:
        auditlog_value.reset(outer)
        _actor.reset(token)


def _coordinator(user):
    """``user`` if it is a coordinator (only their actions are recorded), else None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_staff:
        return None
    return user


def current_actor():
    return _coordinator(_actor.get())


class AuditMiddleware:
    """The request's user acts (evaluated only when something is recorded).

    Auditlog's entries get the actor from :func:`_attribute`, not from ``set_actor``: that
    connects and disconnects a signal receiver each time (about 0.2 ms), which every request
    would pay for the few that change a record.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


@receiver(pre_log, dispatch_uid="ikone-audit-coordinators-only")
def _only_coordinators(sender, **kwargs):
    """Auditlog writes field history only while a coordinator acts."""
    return current_actor() is not None


def register(model, *, include_fields: list[str] | None = None, m2m_fields: tuple[str, ...] = ()):
    """Register ``model`` with auditlog's registry (in the app's ``AppConfig.ready()``).

    Auditlog asks ``pre_log`` before a save or delete is written, not before a many-to-many
    change: those fields are connected here, to auditlog's own handler behind the same gate
    (coordinators only, from the model's side as before).
    """
    # the other side of foreign keys is not a field of this record ("recipients": "None")
    reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
    auditlog.register(model, include_fields=list(include_fields or []), exclude_fields=reverse)
    for name in m2m_fields:
        m2m_changed.connect(
            _coordinators_only(make_log_m2m_changes(name)),
            sender=model._meta.get_field(name).remote_field.through,
            dispatch_uid=f"ikone-audit-{model._meta.label}-{name}",
            weak=False,
        )


def _coordinators_only(handler):
    def gated(sender, reverse, **kwargs):
        if not reverse and current_actor() is not None:
            handler(sender=sender, reverse=reverse, **kwargs)

    return gated


@receiver(pre_save, sender=LogEntry, dispatch_uid="ikone-audit-actor")
def _attribute(sender, instance, **kwargs):
    """Every field-history entry names the acting coordinator: the request's
    (``AuditMiddleware``) or ``acting()``'s, whichever is innermost."""
    actor = current_actor()
    if actor is not None and instance.actor_id is None:
        instance.actor = actor
        instance.actor_email = actor.email
    instance.remote_addr = None  # GDPR: no addresses (AUDITLOG_DISABLE_REMOTE_ADDR as well)
    instance.remote_port = None


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
