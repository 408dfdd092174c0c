"""One message over an open connection: the SMTP dialogue and how its errors are read.

Over SMTP the bytes are written by :mod:`ikone.outbox.mime`; other mail backends (files in
the embedded mode, memory in tests) get Django's message object.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from contextlib import suppress
from email.utils import formatdate

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from . import mime
from .models import OutboundEmail


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


def _open(connection) -> None:
    connection.close()
    connection.open()
