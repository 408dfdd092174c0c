"""Sending a circular: the test copy, sending or scheduling, the beat, retries."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.markup import render_markdown
from ikone.outbox import services as outbox
from ikone.storage import PRIVATE
from members.models import User

from ..models import Circular, CircularRecipient
from ..selectors import circular_audience, circular_progress
from .errors import CircularError
from .links import reply_links

TEMPLATE = "circulars/circular"

# Stand-ins rendered once per language and replaced per recipient (mass mail stays fast).
_NAME = "[[ikone-recipient-name]]"
_LINK = "[[ikone-reply-link]]"


def _attachments(circular: Circular) -> list[outbox.Attachment]:
    return [
        outbox.Attachment(
            filename=attachment.filename,
            mimetype="application/pdf",
            storage_path=attachment.file.name,
            storage=PRIVATE,
        )
        for attachment in circular.attachments.all()
    ]


def circular_context(
    circular: Circular, *, name: str, link: str, attachments, is_test: bool
) -> dict:
    """Template context of the circular's mail; ``link`` is the personal reply link."""
    answers = []
    if link and circular.has_question:
        answers = [
            {"label": label, "url": f"{link}?antwort={value}"}
            for value, label in circular.answer_options()
        ]
    return {
        "circular": circular,
        "name": name,
        "body_html": render_markdown(circular.body),
        "answers": answers,
        "reply_url": link,
        "is_test": is_test,
        "attachment_names": [attachment.filename for attachment in attachments],
        "archive_url": settings.SITE_URL + reverse("circulars:archive"),
    }


def _personalise(template: outbox.RenderedEmail, *, name: str, link: str) -> outbox.RenderedEmail:
    return outbox.RenderedEmail(
        subject=template.subject,
        text=template.text.replace(_NAME, name).replace(_LINK, link),
        html=template.html.replace(_NAME, str(escape(name))).replace(_LINK, link),
    )


def send_test_copy(*, circular: Circular, by: User):
    """Mail the circular to the coordinator only; nothing is recorded as sent."""
    if not by.email:
        raise CircularError(_("Your login has no e-mail address for a test copy."))
    attachments = _attachments(circular)
    with transaction.atomic():
        email = outbox.queue_email(
            to=by.email,
            template=TEMPLATE,
            context=circular_context(
                circular,
                name=by.get_full_name() or by.email,
                link="",
                attachments=attachments,
                is_test=True,
            ),
            attachments=attachments,
            reference=f"circular-test:{circular.pk}",
        )
        audit.record(
            action=AuditAction.CIRCULAR_TEST_SENT, obj=circular, by=by, data={"to": by.email}
        )
    return email


def send_circular(*, circular: Circular, by: User, now: datetime | None = None) -> Circular:
    """Send the circular now, or schedule it when its send time lies in the future.

    The circular row is locked and its status checked first, so a second click (or a second
    coordinator) gets a clear message instead of a second round of mail.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Circular.objects.select_for_update().get(pk=circular.pk)
        if locked.status != Circular.Status.DRAFT:
            raise CircularError(
                _("This circular letter has already been %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if not circular_audience(locked).exists():
            raise CircularError(
                _("This circular letter has no recipients. Please choose another audience.")
            )
        locked.sent_by = by
        if locked.scheduled_at and locked.scheduled_at > now:
            locked.status = Circular.Status.SCHEDULED
            locked.save(update_fields=["status", "sent_by", "updated_at"])
            audit.record(
                action=AuditAction.CIRCULAR_SCHEDULED,
                obj=locked,
                by=by,
                data={"scheduled_at": locked.scheduled_at.isoformat()},
            )
            return locked
        count = _dispatch(locked, now=now)
        audit.record(
            action=AuditAction.CIRCULAR_SENT, obj=locked, by=by, data={"recipients": count}
        )
    return locked


def unschedule_circular(*, circular: Circular, by: User) -> Circular:
    """Take a scheduled circular back to draft."""
    with transaction.atomic():
        locked = Circular.objects.select_for_update().get(pk=circular.pk)
        if locked.status != Circular.Status.SCHEDULED:
            raise CircularError(_("Only a scheduled circular letter can be taken back."))
        locked.status = Circular.Status.DRAFT
        locked.save(update_fields=["status", "updated_at"])
    return locked


def _dispatch(circular: Circular, *, now: datetime) -> int:
    """Create one outbox mail and one recipient row per contact (caller holds the lock).

    The mail is rendered once per language; name and personal link are filled in per
    recipient, so thousands of recipients take one request of reasonable length.
    """
    contacts = list(
        circular_audience(circular)
        .select_related(None)
        .only("pk", "email", "language", "first_name", "last_name")
    )
    if not contacts:
        raise CircularError(
            _("This circular letter has no recipients. Please choose another audience.")
        )
    links = reply_links(circular.pk, [contact.pk for contact in contacts])
    attachments = _attachments(circular)
    templates = {
        language: outbox.render_email(
            template=TEMPLATE,
            context=circular_context(
                circular, name=_NAME, link=_LINK, attachments=attachments, is_test=False
            ),
            language=language,
        )
        for language in {contact.language for contact in contacts}
    }
    messages = []
    for contact in contacts:
        rendered = _personalise(
            templates[contact.language],
            name=contact.full_name,
            link=links[contact.pk],
        )
        messages.append(
            outbox.Message(
                to=contact.email,
                template=TEMPLATE,
                rendered=rendered,
                language=contact.language,
                attachments=attachments,
                category=outbox.OutboundEmail.Category.ESSENTIAL,
                reference=circular.reference,
            )
        )
    emails = outbox.queue_emails(messages)
    outbox.insert_rows(
        CircularRecipient,
        [
            CircularRecipient(circular_id=circular.pk, contact_id=contact.pk, email_id=email.pk)
            for contact, email in zip(contacts, emails, strict=True)
        ],
    )
    circular.status = Circular.Status.SENDING
    circular.sent_at = now
    circular.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    return len(contacts)


def send_due_circulars(*, now: datetime | None = None) -> int:
    """Beat: dispatch scheduled circulars whose time has come; mark finished ones sent."""
    now = now or timezone.now()
    dispatched = 0
    due = Circular.objects.filter(status=Circular.Status.SCHEDULED, scheduled_at__lte=now)
    for circular_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                Circular.objects.select_for_update(skip_locked=True)
                .filter(pk=circular_id, status=Circular.Status.SCHEDULED)
                .first()
            )
            if locked is None:
                continue
            try:
                with transaction.atomic():
                    _dispatch(locked, now=now)
            except CircularError:
                locked.status = Circular.Status.DRAFT
                locked.save(update_fields=["status", "updated_at"])
                continue
            dispatched += 1
    for circular in Circular.objects.filter(status=Circular.Status.SENDING):
        refresh_circular_status(circular=circular)
    return dispatched


def refresh_circular_status(*, circular: Circular) -> Circular:
    """A circular whose mail has all been delivered (or given up) counts as sent."""
    if circular.status == Circular.Status.SENDING and circular_progress(circular=circular)["done"]:
        # Bookkeeping of the system (the outbox is done), no audit entry: the coordinator's
        # action was the sending (CIRCULAR_SENT).
        Circular.objects.filter(pk=circular.pk, status=Circular.Status.SENDING).update(
            status=Circular.Status.SENT
        )
        circular.status = Circular.Status.SENT
    return circular


def retry_failed_recipients(*, circular: Circular, by: User | None = None) -> int:
    """Queue the failed mail of a circular again."""
    emails = outbox.OutboundEmail.objects.filter(
        reference=circular.reference, status=outbox.OutboundEmail.Status.FAILED
    )
    count = outbox.retry_failed(emails=emails)
    if count:
        # recorded below as CIRCULAR_RETRIED (update() leaves no field history)
        Circular.objects.filter(pk=circular.pk).update(status=Circular.Status.SENDING)
        circular.status = Circular.Status.SENDING
        audit.record(
            action=AuditAction.CIRCULAR_RETRIED, obj=circular, by=by, data={"mails": count}
        )
    return count
