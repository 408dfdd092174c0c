"""Sending e-mail through the outbox.

Writers call :func:`queue_email` (or :func:`queue_emails`) inside their own transaction: the
rows commit together with the business change, and a Celery task is published only after
commit. The task claims due rows, sends them over one SMTP connection and records each
outcome as soon as it is known, so a worker that dies re-sends at most the message it had
in flight. A beat task releases claims of dead workers and re-publishes the task.
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Min
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import mime
from .models import OutboundEmail

logger = logging.getLogger("ikone.outbox")


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    text: str = ""
    storage_path: str = ""
    # the STORAGES alias the file is in ("" means "default"); private uploads: "private"
    storage: str = ""

    def as_json(self) -> dict:
        data = {"filename": self.filename, "mimetype": self.mimetype}
        if self.storage_path:
            data["storage_path"] = self.storage_path
            if self.storage:
                data["storage"] = self.storage
        else:
            data["text"] = self.text
        return data


@dataclass
class Message:
    """One e-mail to be queued: a template with its context for one recipient."""

    to: str
    template: str
    context: dict = field(default_factory=dict)
    language: str | None = None
    attachments: Sequence[Attachment] = ()
    category: str = OutboundEmail.Category.ESSENTIAL
    reference: str = ""
    reply_to: str = ""
    headers: dict = field(default_factory=dict)
    # Already rendered (e.g. one rendering per language with per-recipient values filled
    # in, for mass mail); ``template`` and ``context`` are then ignored.
    rendered: RenderedEmail | None = None


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(*, template: str, context: dict, language: str | None = None) -> RenderedEmail:
    """Render ``emails/<template>.subject.txt``, ``.txt`` and (if present) ``.html``."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}.subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        try:
            html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    subject = " ".join(subject.split())
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    if prefix and not subject.startswith(prefix):
        subject = prefix + subject
    return RenderedEmail(subject=subject[:255], text=text.strip() + "\n", html=html.strip())


def new_message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def preferences_url() -> str:
    """Where a recipient switches non-essential mail off (the member profile)."""
    try:
        path = reverse(settings.IKONE_OUTBOX_PREFERENCES_URL_NAME)
    except NoReverseMatch:
        path = "/"
    return settings.SITE_URL + path


def _non_essential_footer(language: str | None) -> tuple[str, str]:
    url = preferences_url()
    with translation.override(language or settings.LANGUAGE_CODE):
        text = _(
            "You receive this notification as a contact person of the IKONE DS network. "
            "To receive only essential mail (invitations and circular letters), change your "
            "e-mail setting: %(url)s"
        ) % {"url": url}
        link = _("change your e-mail setting")
        html = _(
            "You receive this notification as a contact person of the IKONE DS network. "
            "To receive only essential mail (invitations and circular letters), %(link)s."
        ) % {"link": f'<a href="{url}">{link}</a>'}
    return text, html


def _build_row(message: Message) -> OutboundEmail:
    rendered = message.rendered or render_email(
        template=message.template, context=message.context, language=message.language
    )
    text, html, headers = rendered.text, rendered.html, dict(message.headers)
    if message.category != OutboundEmail.Category.ESSENTIAL:
        footer_text, footer_html = _non_essential_footer(message.language)
        text = f"{text}\n-- \n{footer_text}\n"
        if html:
            footer = f'<p style="font-size:12px;color:#555;">{footer_html}</p>'
            html = (
                html.replace("</body>", footer + "</body>") if "</body>" in html else html + footer
            )
        headers.setdefault("List-Unsubscribe", f"<{preferences_url()}>")
    return OutboundEmail(
        to=message.to,
        from_email=settings.DEFAULT_FROM_EMAIL,
        reply_to=message.reply_to or settings.IKONE_OUTBOX_REPLY_TO,
        subject=rendered.subject,
        body_text=text,
        body_html=html,
        headers=headers,
        attachments=[a.as_json() for a in message.attachments],
        category=message.category,
        reference=message.reference,
        message_id=new_message_id(),
    )


def _opted_out(messages: list[Message]) -> set[str]:
    """Lower-cased addresses of non-essential messages whose recipient wants essential only.

    The lookup is configured (``IKONE_OUTBOX_OPT_OUT``) so the outbox does not import the
    apps above it.
    """
    addresses = {m.to.lower() for m in messages if m.category != OutboundEmail.Category.ESSENTIAL}
    hook = getattr(settings, "IKONE_OUTBOX_OPT_OUT", "")
    if not addresses or not hook:
        return set()
    return {address.lower() for address in import_string(hook)(addresses)}


def queue_email(
    *,
    to: str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
    category: str = OutboundEmail.Category.ESSENTIAL,
    reference: str = "",
    reply_to: str = "",
    headers: dict | None = None,
) -> OutboundEmail:
    """Queue one e-mail; it is sent after the surrounding transaction commits."""
    return queue_emails(
        [
            Message(
                to=to,
                template=template,
                context=context or {},
                language=language,
                attachments=attachments,
                category=category,
                reference=reference,
                reply_to=reply_to,
                headers=headers or {},
            )
        ]
    )[0]


def queue_emails(messages: Iterable[Message]) -> list[OutboundEmail]:
    """Queue many e-mails with one bulk insert; delivery is triggered once after commit.

    Non-essential mail to a recipient who chose "only essential mail" is left out.
    """
    messages = list(messages)
    skip = _opted_out(messages)
    rows = [
        _build_row(message)
        for message in messages
        if not (message.category != OutboundEmail.Category.ESSENTIAL and message.to.lower() in skip)
    ]
    if not rows:
        return []
    created = insert_rows(OutboundEmail, rows)
    trigger_delivery()
    return created


def insert_rows(model, rows: list) -> list:
    """Insert new instances of ``model`` like ``bulk_create``, with COPY on PostgreSQL.

    The bodies of a circular to thousands of recipients are megabytes, which COPY passes on
    about three times faster than ``bulk_create`` (whose UNNEST arrays psycopg quotes in
    Python under client-side binding). The primary keys are drawn from the table's sequence
    first, so the rows come back as saved instances. No signals are sent (as with
    ``bulk_create``); callers use it for mass mail and rows written along with it.
    """
    if db_connection.vendor != "postgresql" or len(rows) < 2:
        return model.objects.bulk_create(rows, batch_size=500)
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = db_connection.ops.quote_name
    json_fields = {f.attname: f.encoder for f in fields if f.get_internal_type() == "JSONField"}
    stamped = {
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        columns = ", ".join(quote(f.column) for f in [meta.pk, *fields])
        copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        # Django's wrapper turns psycopg's errors into django.db's (IntegrityError etc.).
        with db_connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            for pk, row in zip(ids, rows, strict=True):
                row.pk = pk
                values = [pk]
                for f in fields:
                    if f.attname in stamped:  # auto_now(_add): filled in as a save would
                        value = f.pre_save(row, add=True)
                    else:
                        value = getattr(row, f.attname)
                    if f.attname in json_fields:
                        value = json.dumps(value, cls=json_fields[f.attname])
                    values.append(value)
                copy.write_row(values)
    for row in rows:
        row._state.adding = False
        row._state.db = db_connection.alias
    return rows


def queue_rendered(
    *, to: str, subject: str, text: str, html: str = "", from_email: str = "", reference: str = ""
) -> OutboundEmail:
    """Queue a mail somebody else rendered (django-allauth's account mails)."""
    row = OutboundEmail.objects.create(
        to=to,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        subject=" ".join(subject.split())[:255],
        body_text=text,
        body_html=html,
        reply_to=settings.IKONE_OUTBOX_REPLY_TO,
        reference=reference,
        message_id=new_message_id(),
    )
    trigger_delivery()
    return row


def trigger_delivery() -> None:
    """Publish the send task once after commit; a broker failure only logs (the sweep recovers)."""
    if db_connection.in_atomic_block and any(
        callback is _publish_send_task for _sids, callback, *_rest in db_connection.run_on_commit
    ):
        return
    transaction.on_commit(_publish_send_task)


def _publish_send_task(*, countdown: float | None = None) -> bool:
    """Publish the send task; never raise, never wait longer than the broker timeouts."""
    from .tasks import send_pending_emails

    try:
        send_pending_emails.apply_async(retry=False, countdown=countdown)
    except Exception:  # the broker is down: the rows wait for the beat sweep
        if send_pending_emails.app.conf.task_always_eager:
            raise
        logger.warning(
            "outbox: could not publish the send task; the sweep will pick the mail up",
            exc_info=True,
        )
        return False
    return True


def claim_batch(*, size: int) -> list[OutboundEmail]:
    """Mark up to ``size`` due rows as ``sending`` and return them.

    Rows locked by another worker are skipped (``SKIP LOCKED`` on PostgreSQL), so several
    workers can drain the outbox at once without sending anything twice.
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.due(now=now)
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return []
        OutboundEmail.objects.filter(id__in=ids).update(
            status=OutboundEmail.Status.SENDING, claimed_at=now
        )
    return list(OutboundEmail.objects.filter(id__in=ids).order_by("not_before", "id"))


def to_django_message(row: OutboundEmail, *, connection) -> EmailMultiAlternatives:
    """The stored row as a message; the stored Message-ID lets a repeated send be recognised."""
    headers = {
        "Message-ID": row.message_id,
        "Date": formatdate(localtime=True),
        "Auto-Submitted": "auto-generated",
        **row.headers,
    }
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=row.from_email,
        to=[row.to],
        reply_to=[row.reply_to] if row.reply_to else None,
        headers=headers,
        connection=connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        if attachment.get("storage_path"):
            storage = mime.attachment_storage(attachment)
            with storage.open(attachment["storage_path"], "rb") as handle:
                content = handle.read()
        else:
            content = attachment.get("text", "")
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def _nothing() -> None:
    return None


def send_row(row: OutboundEmail, *, connection, before_data: Callable[[], None] = _nothing):
    """Send one row over ``connection`` (an open Django mail backend).

    Over SMTP the message bytes are written by :mod:`ikone.outbox.mime` (several times
    faster than Django's message objects); other backends (files in the embedded mode,
    memory in tests) get Django's message. ``before_data`` runs right before the message
    can be accepted by the server (after MAIL FROM and RCPT TO).
    """
    if isinstance(connection, SMTPBackend):
        if connection.connection is None:
            connection.open()
        _smtp_send(
            connection.connection,
            mime.envelope_address(row.from_email),
            mime.envelope_address(row.to),
            mime.message_bytes(row),
            before_data=before_data,
        )
    else:
        before_data()
        to_django_message(row, connection=connection).send()


def _reset(smtp: smtplib.SMTP, code: int) -> None:
    if code == 421:  # the server is closing the connection
        smtp.close()
        return
    with suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def _smtp_send(smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes, *, before_data):
    """``smtplib.SMTP.sendmail`` for one recipient, with a hook before the DATA command."""
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        _reset(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        _reset(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    before_data()
    code, reply = smtp.data(data)
    if code != 250:
        _reset(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


class TemporaryFailure(Exception):
    """The server or the connection failed in a way that may pass: try again later."""


def _classify(error: Exception) -> bool:
    """True when ``error`` is permanent (5xx for this recipient), False when temporary."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


def backoff(attempts: int) -> timedelta:
    """base, 2×base, 4×base, … (base: IKONE_OUTBOX_BACKOFF_SECONDS), at most one hour."""
    base = settings.IKONE_OUTBOX_BACKOFF_SECONDS
    return timedelta(seconds=min(3600, base * 2 ** max(0, attempts - 1)))


def _record_sent(row: OutboundEmail) -> None:
    """Mark one row sent at once (autocommit); plain SQL, as this runs once per message."""
    _mark_sent(row.pk)


def _mark_sent(pk: int) -> None:
    table = OutboundEmail._meta.db_table
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, attempts = attempts + 1, "  # noqa: S608
            "last_error = '', claimed_at = NULL WHERE id = %s",
            [OutboundEmail.Status.SENT, timezone.now(), pk],
        )


class _SentMarks:
    """Writes each "sent" mark while the next message goes out, never later than that.

    The mark of message *n* runs on a second database connection (a helper thread) during
    MAIL FROM and RCPT TO of message *n + 1* and is waited for (:meth:`settle`) before
    *n + 1* can be accepted by the server. So, as with a mark written in line, a worker
    killed at any moment leaves at most the one message in flight unmarked — but the
    database round trip no longer adds to the time per message.

    Only for PostgreSQL outside a transaction (the Celery worker): rows another connection
    cannot see yet (a test's open transaction) are marked in line.
    """

    def __init__(self) -> None:
        overlap = db_connection.vendor == "postgresql" and not db_connection.in_atomic_block
        self.executor = ThreadPoolExecutor(1, "outbox-marks") if overlap else None
        self.pending: Future | None = None

    def mark(self, row: OutboundEmail) -> None:
        if self.executor is None:
            _record_sent(row)
            return
        self.settle()
        self.pending = self.executor.submit(_mark_sent_on_own_connection, row.pk)

    def settle(self) -> None:
        """Wait until the last mark is committed (re-raises its error)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        if self.executor is None:
            return
        try:
            self.settle()
        finally:
            # looked up inside the helper thread: its own connection, not this thread's
            self.executor.submit(_close_own_connection).result()
            self.executor.shutdown()


def _close_own_connection() -> None:
    db_connection.close()


def _mark_sent_on_own_connection(pk: int) -> None:
    """In the helper thread (its own connection): the mark, without waiting for the flush."""
    if not getattr(db_connection, "_outbox_fast_commits", False):
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
        db_connection._outbox_fast_commits = True
    _mark_sent(pk)


def _record_failure(row: OutboundEmail, error: Exception, *, permanent: bool) -> None:
    attempts = row.attempts + 1
    give_up = permanent or attempts >= settings.IKONE_OUTBOX_MAX_ATTEMPTS
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=OutboundEmail.Status.FAILED if give_up else OutboundEmail.Status.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        not_before=timezone.now() + backoff(attempts),
        claimed_at=None,
    )


def _refresh_claims(rows: Sequence[OutboundEmail], *, claimed_at):
    """Renew the claim of the rows still to be sent; return (ids still ours, new claim time).

    The claim time doubles as the owner's mark: a row the sweep gave away (because this
    worker stalled past the claim period) and another worker claimed again no longer
    carries our time, is not renewed, and is skipped here instead of being sent twice.
    """
    now = timezone.now()
    ids = [row.pk for row in rows]
    OutboundEmail.objects.filter(
        pk__in=ids, status=OutboundEmail.Status.SENDING, claimed_at=claimed_at
    ).update(claimed_at=now)
    still = set(
        OutboundEmail.objects.filter(
            pk__in=ids, status=OutboundEmail.Status.SENDING, claimed_at=now
        ).values_list("pk", flat=True)
    )
    return still, now


class _ClaimHeartbeat:
    """Keeps the claim of a batch alive while this worker lives: renewed every sixth of
    ``IKONE_OUTBOX_CLAIM_SECONDS``.

    In the Celery worker (PostgreSQL, autocommit) a helper thread with its own database
    connection renews the claims on time even while one message takes long (a slow server,
    a reconnect): a worker that is alive never loses its claim to the sweep, so the claim
    period can be short and the mail of a killed worker goes back to the queue soon. The
    thread stops renewing when the current message has been in flight for longer than
    ``IKONE_OUTBOX_STALL_SECONDS`` (a hung connection then cannot hold the batch forever).
    Elsewhere (rows in an open transaction are invisible to other connections) the claims
    are renewed in line, between messages.
    """

    def __init__(self, rows: Sequence[OutboundEmail]):
        self.rows = rows
        self.claimed_at = rows[0].claimed_at if rows else None
        self.interval = settings.IKONE_OUTBOX_CLAIM_SECONDS / 6
        self.stall_after = settings.IKONE_OUTBOX_STALL_SECONDS
        self.position = 0  # index of the message in flight (written by the sending thread)
        self.progress = time.monotonic()
        self.renewed = time.monotonic()
        self.lost: set[int] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        if rows and db_connection.vendor == "postgresql" and not db_connection.in_atomic_block:
            self.thread = threading.Thread(target=self._run, name="outbox-claims", daemon=True)
            self.thread.start()

    def at(self, index: int) -> None:
        """The sending thread starts message ``index``.

        Renews in line when there is no helper thread, and also when the thread is late
        (after a stall, or while the database was away): the rows the sweep took back in
        the meantime are then known as lost before the next one is sent.
        """
        self.position = index
        self.progress = time.monotonic()
        due = self.interval if self.thread is None else 2 * self.interval
        if time.monotonic() - self.renewed > due:
            self.renew()

    def is_lost(self, row: OutboundEmail) -> bool:
        return row.pk in self.lost

    def renew(self) -> None:
        with self.lock:
            remaining = self.rows[self.position :]
            if not remaining:
                return
            still, self.claimed_at = _refresh_claims(remaining, claimed_at=self.claimed_at)
            self.lost |= {row.pk for row in remaining} - still
            self.renewed = time.monotonic()

    def release(self, rows: Sequence[OutboundEmail]) -> None:
        """Give unsent rows back, unless another worker holds them by now."""
        with self.lock:
            if rows:
                OutboundEmail.objects.filter(
                    pk__in=[row.pk for row in rows],
                    status=OutboundEmail.Status.SENDING,
                    claimed_at=self.claimed_at,
                ).update(status=OutboundEmail.Status.PENDING, claimed_at=None)

    def stop(self) -> None:
        if self.thread is not None:
            self.stopping.set()
            self.thread.join()

    def _run(self) -> None:
        try:
            while not self.stopping.wait(self.interval):
                if time.monotonic() - self.progress > self.stall_after:
                    continue  # stalled: let the claims expire
                try:
                    self.renew()
                except Exception:  # the database is away: try again at the next beat
                    logger.warning("outbox: could not renew the claims", exc_info=True)
                    db_connection.close()
        finally:
            db_connection.close()  # this thread's own connection


def _open(connection) -> None:
    connection.close()
    connection.open()


class _Pacer:
    """At most IKONE_OUTBOX_RATE_LIMIT messages per second per worker (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1 / rate if rate else 0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


def deliver(rows: Sequence[OutboundEmail]) -> int:
    """Send ``rows`` over one connection; return how many were sent.

    Each outcome is written as soon as it is known (autocommit). A temporary failure (4xx,
    a broken connection) puts that row back with a backoff and opens a new connection for
    the rest; a permanent refusal (5xx) marks only that recipient failed. While the batch
    lasts, the claim of the unsent rows is kept alive (:class:`_ClaimHeartbeat`).
    """
    with _fast_commits():
        return _deliver(rows)


@contextmanager
def _fast_commits():
    """Outcome writes without waiting for the disk flush (PostgreSQL ``synchronous_commit``).

    A committed write is visible to every other session at once, so a killed worker loses
    nothing; only a crash of the database server itself could forget the last few "sent"
    marks, which would then be sent again. Waiting for a flush per message would halve the
    delivery rate.
    """
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _deliver(rows: Sequence[OutboundEmail]) -> int:
    pacer = _Pacer(settings.IKONE_OUTBOX_RATE_LIMIT)
    heartbeat = _ClaimHeartbeat(rows)
    try:
        marks = _SentMarks()
        try:
            return _deliver_rows(rows, marks=marks, pacer=pacer, heartbeat=heartbeat)
        finally:
            marks.close()
    finally:
        heartbeat.stop()


def _deliver_rows(rows, *, marks: _SentMarks, pacer: _Pacer, heartbeat: _ClaimHeartbeat) -> int:
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("outbox: cannot connect to the mail server: %s", error)
        for row in rows:
            _record_failure(row, error, permanent=False)
        return 0
    try:
        for index, row in enumerate(rows):
            heartbeat.at(index)
            if heartbeat.is_lost(row):
                logger.info("outbox: row %s was claimed by another worker; skipped", row.pk)
                continue
            pacer.wait()
            try:
                send_row(row, connection=connection, before_data=marks.settle)
            except ValueError as error:  # a header with a line break, a broken address
                _record_failure(row, error, permanent=True)
                continue
            except smtplib.SMTPException as error:
                permanent = _classify(error)
                _record_failure(row, error, permanent=permanent)
                if permanent and not isinstance(error, smtplib.SMTPServerDisconnected):
                    continue
            except OSError as error:  # includes TimeoutError and refused connections
                _record_failure(row, error, permanent=False)
            else:
                marks.mark(row)
                sent += 1
                continue
            # A temporary failure: the server may have closed the connection (421 does).
            try:
                _open(connection)
            except (OSError, smtplib.SMTPException) as error:
                logger.warning("outbox: lost the mail server: %s", error)
                heartbeat.release(rows[index + 1 :])
                break
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            logger.info("outbox: error closing the SMTP connection", exc_info=True)
    return sent


def send_pending(*, batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Send due mail batch by batch until none is left; return how many were sent."""
    size = batch_size or settings.IKONE_OUTBOX_BATCH_SIZE
    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        rows = claim_batch(size=size)
        if not rows:
            break
        total += deliver(rows)
        batches += 1
    return total


def release_stale_claims(*, older_than: timedelta | None = None) -> int:
    """Give rows claimed by a worker that died back to the queue."""
    limit = older_than or timedelta(seconds=settings.IKONE_OUTBOX_CLAIM_SECONDS)
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=timezone.now() - limit
    ).update(status=OutboundEmail.Status.PENDING, claimed_at=None)


def has_due_mail() -> bool:
    return OutboundEmail.objects.due().exists()


def seconds_until_next_due() -> float | None:
    """Seconds until the earliest pending row is due (0 if one is due now), None if none."""
    earliest = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).aggregate(
        at=Min("not_before")
    )["at"]
    if earliest is None:
        return None
    return max(0.0, (earliest - timezone.now()).total_seconds())


def schedule_next_run() -> None:
    """After a run: publish a short countdown for mail due soon (a retry after backoff).

    Countdowns stay far below the broker's visibility timeout
    (``IKONE_OUTBOX_MAX_COUNTDOWN``); later retries are left to the beat sweep.
    """
    wait = seconds_until_next_due()
    if wait is not None and wait <= settings.IKONE_OUTBOX_MAX_COUNTDOWN:
        _publish_send_task(countdown=wait + 0.5)


def sweep() -> int:
    """Beat: release claims of dead workers and publish the send task if mail is due."""
    released = release_stale_claims()
    if has_due_mail():
        _publish_send_task()
    return released


def retry_failed(*, emails: Iterable[OutboundEmail]) -> int:
    """Queue failed rows again (coordinator's admin action)."""
    ids = [email.pk for email in emails if email.status == OutboundEmail.Status.FAILED]
    with transaction.atomic():
        count = OutboundEmail.objects.filter(pk__in=ids).update(
            status=OutboundEmail.Status.PENDING,
            not_before=timezone.now(),
            attempts=0,
            claimed_at=None,
        )
        if count:
            trigger_delivery()
    return count
