"""The minutes' lifecycle: draft → sent round for corrections → approved → locked.

Every transition is a function here; a refused one raises :class:`MinutesError` with a
message a person can read. Each saved text is kept as a :class:`MinutesVersion`, so any two
states can be compared. After approval the minutes are no longer edited: a later correction
is a dated :class:`MinutesAddendum`; once locked, the public summary is frozen as well.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.errors import DomainError
from ikone.outbox.services import Message, queue_emails
from members.models import Contact

from .models import (
    Meeting,
    MinutesAddendum,
    MinutesCorrection,
    MinutesStatus,
    MinutesVersion,
    Registration,
)

# Which state may follow which (the automatic approval takes the same step).
TRANSITIONS: dict[str, set[str]] = {
    MinutesStatus.DRAFT: {MinutesStatus.CIRCULATED},
    MinutesStatus.CIRCULATED: {MinutesStatus.APPROVED},
    MinutesStatus.APPROVED: {MinutesStatus.LOCKED},
    MinutesStatus.LOCKED: set(),
}


class MinutesError(DomainError):
    """A rule of the minutes' lifecycle forbids the change."""


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("series").get(pk=meeting.pk)
    )


def _refuse_transition(meeting: Meeting, target: str) -> None:
    if target in TRANSITIONS[meeting.minutes_status]:
        return
    messages = {
        MinutesStatus.CIRCULATED: _("Only draft minutes can be sent round for corrections."),
        MinutesStatus.APPROVED: _(
            "Only minutes that were sent round for corrections can be approved."
        ),
        MinutesStatus.LOCKED: _("Only approved minutes can be locked."),
    }
    raise MinutesError(messages.get(target, _("This change of state is not possible.")))


def _record(meeting: Meeting, action: AuditAction, *, by, old: str, **data) -> None:
    """A typed entry for a step of the minutes' lifecycle, with the status before and after."""
    audit.record(
        action=action,
        obj=meeting,
        by=by,
        data={"minutes_status": [old, meeting.minutes_status], **data},
    )


# --- Text and versions ----------------------------------------------------------------------


def can_edit_minutes(meeting: Meeting) -> bool:
    return meeting.minutes_status in (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED)


def can_edit_summary(meeting: Meeting) -> bool:
    return meeting.minutes_status != MinutesStatus.LOCKED


def record_version(*, meeting: Meeting, by=None) -> MinutesVersion | None:
    """Keep the meeting's current text as a new version (nothing if it did not change)."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        last = meeting.minutes_versions.order_by("-number").first()
        if last is not None and (last.minutes, last.public_summary) == (
            meeting.minutes,
            meeting.public_summary,
        ):
            return None
        if last is None and not (meeting.minutes or meeting.public_summary):
            return None
        number = (meeting.minutes_versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return MinutesVersion.objects.create(
            meeting=meeting,
            number=number,
            minutes=meeting.minutes,
            public_summary=meeting.public_summary,
            minutes_status=meeting.minutes_status,
            saved_by=by if getattr(by, "is_authenticated", False) else None,
        )


def save_minutes(
    *, meeting: Meeting, minutes: str | None = None, public_summary: str | None = None, by=None
) -> Meeting:
    """Change the text of the minutes and/or the public summary; each save is a version."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        fields = []
        if minutes is not None and minutes != meeting.minutes:
            if not can_edit_minutes(meeting):
                raise MinutesError(
                    _("Approved minutes cannot be edited any more: add an addendum instead.")
                )
            meeting.minutes = minutes
            fields.append("minutes")
        if public_summary is not None and public_summary != meeting.public_summary:
            if not can_edit_summary(meeting):
                raise MinutesError(_("The minutes are locked: the public summary is final."))
            meeting.public_summary = public_summary
            fields.append("public_summary")
        if fields:
            meeting.save(update_fields=[*fields, "updated_at"])
            record_version(meeting=meeting, by=by)
        return meeting


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "hunk"
    text: str


def compare(old: str, new: str) -> list[DiffLine]:
    """A line-by-line comparison of two texts (unified diff, three lines of context)."""
    lines = []
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=3)
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
    return lines


# --- Sending round and corrections ----------------------------------------------------------


def participants(meeting: Meeting) -> list[Contact]:
    """Contact persons who held a place and were not recorded as absent."""
    registrations = (
        meeting.registrations.filter(
            status=Registration.Status.REGISTERED,
            contact__isnull=False,
            contact__is_active=True,
        )
        .exclude(attended=False)
        .select_related("contact")
        .order_by("contact__last_name", "contact__first_name", "pk")
    )
    return [registration.contact for registration in registrations]


def is_participant(meeting: Meeting, contact: Contact | None) -> bool:
    if contact is None:
        return False
    return (
        meeting.registrations.filter(status=Registration.Status.REGISTERED, contact=contact)
        .exclude(attended=False)
        .exists()
    )


def circulate_minutes(*, meeting: Meeting, deadline: datetime, by=None) -> int:
    """Send the draft round to the participants for corrections until ``deadline``.

    Returns how many mails were queued.
    """
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _refuse_transition(meeting, MinutesStatus.CIRCULATED)
        if meeting.start > timezone.now():
            raise MinutesError(_("The meeting has not taken place yet."))
        if not meeting.minutes.strip():
            raise MinutesError(_("Please write the minutes before sending them round."))
        if deadline <= timezone.now():
            raise MinutesError(_("The deadline for corrections must be in the future."))
        old = meeting.minutes_status
        meeting.minutes_status = MinutesStatus.CIRCULATED
        meeting.minutes_deadline = deadline
        meeting.minutes_circulated_at = timezone.now()
        meeting.save(
            update_fields=[
                "minutes_status",
                "minutes_deadline",
                "minutes_circulated_at",
                "updated_at",
            ]
        )
        record_version(meeting=meeting, by=by)
        url = settings.SITE_URL + meeting.get_absolute_url() + "#minutes-heading"
        messages = [
            Message(
                to=contact.email,
                template="meetings/minutes_circulated",
                context={
                    "name": contact.full_name,
                    "title": meeting.display_title,
                    "deadline": deadline,
                    "url": url,
                },
                language=contact.language,
                reference=f"meetings.minutes:{meeting.pk}",
            )
            for contact in participants(meeting)
            if contact.email
        ]
        queue_emails(messages)
        _record(meeting, AuditAction.MINUTES_SENT_ROUND, by=by, old=old, recipients=len(messages))
        return len(messages)


def add_correction(*, meeting: Meeting, contact: Contact, text: str, by=None) -> MinutesCorrection:
    """A participant's correction; only while the minutes are out for corrections."""
    text = (text or "").strip()
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if meeting.minutes_status != MinutesStatus.CIRCULATED:
            raise MinutesError(_("These minutes are not open for corrections."))
        if not meeting.corrections_are_open():
            raise MinutesError(_("The deadline for corrections has passed."))
        if not is_participant(meeting, contact):
            raise MinutesError(_("Only participants of the meeting can correct its minutes."))
        if not text:
            raise MinutesError(_("Please describe the correction."), field="text")
        return MinutesCorrection.objects.create(meeting=meeting, contact=contact, text=text)


def resolve_correction(
    *, correction: MinutesCorrection, accepted: bool, reply: str = "", by=None
) -> MinutesCorrection:
    """The coordination team takes a correction over (or not), with an optional reply."""
    with transaction.atomic():
        correction = MinutesCorrection.objects.select_for_update().get(pk=correction.pk)
        if correction.status != MinutesCorrection.Status.OPEN:
            raise MinutesError(_("This correction has already been dealt with."))
        correction.status = (
            MinutesCorrection.Status.ACCEPTED if accepted else MinutesCorrection.Status.DECLINED
        )
        correction.reply = (reply or "").strip()
        correction.resolved_at = timezone.now()
        correction.resolved_by = by if getattr(by, "is_authenticated", False) else None
        correction.save(update_fields=["status", "reply", "resolved_at", "resolved_by"])
        audit.record(
            action=AuditAction.MINUTES_CORRECTION_ANSWERED,
            obj=correction,
            by=by,
            data={"status": correction.status},
        )
        return correction


# --- Approval and lock ----------------------------------------------------------------------


def _approve(meeting: Meeting, *, by) -> None:
    old = meeting.minutes_status
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = by if getattr(by, "is_authenticated", False) else None
    meeting.save(
        update_fields=[
            "minutes_status",
            "minutes_approved_at",
            "minutes_approved_by",
            "updated_at",
        ]
    )
    record_version(meeting=meeting, by=by)
    _record(meeting, AuditAction.MINUTES_APPROVED, by=by, old=old, deadline_passed=by is None)


def approve_minutes(*, meeting: Meeting, by) -> Meeting:
    """The coordination team approves the minutes (e.g. as the next meeting decided)."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _refuse_transition(meeting, MinutesStatus.APPROVED)
        if meeting.minutes_corrections.filter(status=MinutesCorrection.Status.OPEN).exists():
            raise MinutesError(_("Please deal with the open corrections before approving."))
        _approve(meeting, by=by)
        return meeting


def approve_due_minutes(*, now: datetime | None = None) -> int:
    """Beat: minutes whose deadline passed without an open correction count as approved."""
    now = now or timezone.now()
    approved = 0
    due = Meeting.objects.filter(
        minutes_status=MinutesStatus.CIRCULATED, minutes_deadline__lt=now
    ).exclude(minutes_corrections__status=MinutesCorrection.Status.OPEN)
    for pk in due.values_list("pk", flat=True).distinct():
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if meeting is None or meeting.minutes_status != MinutesStatus.CIRCULATED:
                continue
            if meeting.minutes_corrections.filter(status=MinutesCorrection.Status.OPEN).exists():
                continue
            _approve(meeting, by=None)
            approved += 1
    return approved


def lock_minutes(*, meeting: Meeting, by) -> Meeting:
    """No more edits at all; later corrections are addenda."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _refuse_transition(meeting, MinutesStatus.LOCKED)
        old = meeting.minutes_status
        meeting.minutes_status = MinutesStatus.LOCKED
        meeting.minutes_locked_at = timezone.now()
        meeting.save(update_fields=["minutes_status", "minutes_locked_at", "updated_at"])
        _record(meeting, AuditAction.MINUTES_LOCKED, by=by, old=old)
        return meeting


def add_addendum(*, meeting: Meeting, text: str, by) -> MinutesAddendum:
    """A dated correction of approved or locked minutes."""
    text = (text or "").strip()
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if not meeting.minutes_are_final:
            raise MinutesError(
                _("Minutes that are not approved yet are edited directly, not by an addendum.")
            )
        if not text:
            raise MinutesError(_("Please write the addendum."), field="text")
        addendum = MinutesAddendum.objects.create(
            meeting=meeting,
            text=text,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit.record(
            action=AuditAction.MINUTES_ADDENDUM, obj=meeting, by=by, data={"addendum": addendum.pk}
        )
        return addendum
