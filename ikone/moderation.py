"""Moderation: what members write goes public only after the coordination team reviewed it.

News posts and project profiles share one workflow. Its states are stored as these values
(each app labels them in its own words in its ``Status`` choices)::

    draft ──submit──▶ submitted ──publish──▶ published
      ▲                  │   ▲                   │
      └─ changes_requested ◀─┘ (request changes) │
    any state but archived ──withdraw──▶ archived ◀┘

A coordinator may also publish a draft or a returned one directly, and a news post can be
scheduled (it stays ``submitted`` with a date until the beat task publishes it).

Here live the rules once: which state each :class:`Step` may start from
(:meth:`Workflow.check`), taking a step on a locked object (:meth:`Workflow.take`: new
status saved, history entry written), the abstract history entry :class:`ModerationEvent`,
and the mail to the coordinators when something waits for review. Each app keeps what is
its own: who may do a step (permissions), what else it checks (text, visibility), the audit
action, and the words of its refusals (:class:`Workflow` ``refusals``). The coordinator's
review page in the admin is :mod:`ikone.moderation_admin`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

DRAFT = "draft"
SUBMITTED = "submitted"
CHANGES_REQUESTED = "changes_requested"
PUBLISHED = "published"
ARCHIVED = "archived"
STATES = (DRAFT, SUBMITTED, CHANGES_REQUESTED, PUBLISHED, ARCHIVED)


@dataclass(frozen=True)
class Step:
    """A move of the workflow: the states it may start from, where it leads, and the action
    its history entry records."""

    name: str
    to: str
    action: str
    sources: frozenset[str]


SUBMIT = Step("submit", SUBMITTED, "submitted", frozenset({DRAFT, CHANGES_REQUESTED}))
PUBLISH = Step("publish", PUBLISHED, "published", frozenset({DRAFT, SUBMITTED, CHANGES_REQUESTED}))
SCHEDULE = Step("schedule", SUBMITTED, "scheduled", PUBLISH.sources)
REQUEST_CHANGES = Step(
    "request_changes", CHANGES_REQUESTED, "changes_requested", frozenset({SUBMITTED})
)
WITHDRAW = Step("withdraw", ARCHIVED, "archived", frozenset(STATES) - {ARCHIVED})
STEPS = (SUBMIT, PUBLISH, SCHEDULE, REQUEST_CHANGES, WITHDRAW)


class ModerationEvent(models.Model):
    """One step in the life of a moderated object: who did what, when, with which comment.

    A concrete subclass adds the foreign key to its object (named by ``subject_field``) and
    an ``action`` field with its choices; its ``Meta`` inherits ``ModerationEvent.Meta``.
    """

    subject_field: ClassVar[str]

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    old_status = models.CharField(_("old status"), max_length=20, blank=True)
    new_status = models.CharField(_("new status"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {getattr(self, self.subject_field)}"

    @classmethod
    def record(cls, subject, *, action: str, by, old_status: str = "", comment: str = ""):
        """Write the entry for ``subject`` as it is now (its status is the new one)."""
        return cls.objects.create(
            **{cls.subject_field: subject},
            action=action,
            actor=by if by is not None and by.is_authenticated else None,
            old_status=old_status,
            new_status=subject.status,
            comment=comment,
        )


@dataclass(frozen=True)
class Workflow:
    """One app's use of the workflow: its error type, its history model and its words.

    ``refusals`` maps ``(step, state)`` — or ``step`` alone, for every other state the step
    may not start from — to the translated message a refused step raises.
    """

    error: type[DomainError]
    event: type[ModerationEvent]
    refusals: Mapping[object, str] = field(default_factory=dict)

    def check(self, step: Step, state: str) -> None:
        """Raise the app's error when ``step`` may not start from ``state``."""
        if state in step.sources:
            return
        message = self.refusals.get((step, state)) or self.refusals.get(step)
        raise self.error(str(message or _("This step is not possible now.")))

    def take(self, step: Step, subject, *, by, comment: str = "", fields: Iterable[str] = ()):
        """Take ``step`` on ``subject`` (locked by the caller, in its transaction): check it,
        save the new status with ``fields`` the caller changed, record the history entry.
        Returns the old status."""
        old = subject.status
        self.check(step, old)
        subject.status = step.to
        subject.save(update_fields=["status", *fields])
        self.event.record(subject, action=step.action, by=by, old_status=old, comment=comment)
        return old


def coordinator_messages(*, template: str, context: dict, reference: str) -> list:
    """One outbox :class:`~ikone.outbox.queue.Message` to each active coordinator (staff)
    with an address, e.g. "waits for review"; ``context`` gets each ``recipient`` added."""
    from .outbox.queue import Message  # not at import time: the apps' models import this

    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return [
        Message(
            to=user.email,
            template=template,
            context={**context, "recipient": user},
            reference=reference,
        )
        for user in users
    ]
