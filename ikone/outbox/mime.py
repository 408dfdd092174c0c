"""The bytes of one outbox row as sent over SMTP, written directly.

Django's ``EmailMessage`` builds each message through the ``email`` package (objects per
part, header folding, a generator) and parses every address again: about as much CPU per
message as the whole SMTP exchange, which halves the rate of a circular to thousands of
contacts. The SMTP path of the outbox writes the same MIME structure here instead:

* ``multipart/mixed`` (attachments) around ``multipart/alternative`` (text and HTML) or a
  single ``text/plain`` part, text as UTF-8 ``8bit`` (``quoted-printable`` for lines longer
  than SMTP allows), files as ``base64``;
* headers encoded (RFC 2047) only where they are not ASCII, addresses through
  ``email.utils``; both cached, as mass mail repeats sender, subject and headers.

``tests/outbox/test_mime.py`` parses these bytes and Django's message of the same rows with
the ``email`` package and compares them part by part.
"""

from __future__ import annotations

import base64
import binascii
import functools
import uuid
from collections.abc import Iterable
from email.header import Header
from email.utils import encode_rfc2231, formataddr, formatdate, parseaddr

from django.core.files.storage import storages

CRLF = b"\r\n"
LINE_LIMIT = 998  # RFC 5322: octets per line, without CRLF


class HeaderInjection(ValueError):
    """A header value with a line break: refused, never sent."""


def _check(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise HeaderInjection(f"line break in a header value: {value[:60]!r}")
    return value


@functools.lru_cache(maxsize=1024)
def header_value(value: str) -> str:
    """``value`` as it may appear in a header: RFC 2047 encoded unless it is ASCII."""
    _check(value)
    if value.isascii():
        return value
    return Header(value, "utf-8", header_name="Subject").encode(linesep="\r\n")


def _domain(domain: str) -> str:
    return domain if domain.isascii() else domain.encode("idna").decode("ascii")


def _is_plain(value: str) -> bool:
    """A bare ASCII address (what an EmailField holds): nothing to parse or encode."""
    return value.isascii() and value.count("@") == 1 and not any(c in value for c in ' <>"(),;\r\n')


@functools.lru_cache(maxsize=1024)
def _named_address(value: str) -> str:
    name, addr = parseaddr(_check(value))
    if "@" not in addr:
        raise HeaderInjection(f"not an e-mail address: {value[:60]!r}")
    local, _at, domain = addr.rpartition("@")
    addr = f"{local}@{_domain(domain)}"
    return formataddr((name, addr), charset="utf-8") if name else addr


def address(value: str) -> str:
    """``Name <local@domain>`` or ``local@domain`` for a header, the name encoded if needed."""
    return value if _is_plain(value) else _named_address(value)


@functools.lru_cache(maxsize=1024)
def _envelope(value: str) -> str:
    return parseaddr(_named_address(value))[1]


def envelope_address(value: str) -> str:
    """The bare address for MAIL FROM / RCPT TO."""
    return value if _is_plain(value) else _envelope(value)


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", CRLF)


def _text_part(text: str, content_type: str, disposition: str = "") -> bytes:
    data = text.encode("utf-8")
    lines = data.splitlines()
    if any(len(line) > LINE_LIMIT for line in lines):
        body = binascii.b2a_qp(data.replace(b"\r\n", b"\n"), istext=True)
        encoding = "quoted-printable"
    else:
        body = data
        encoding = "7bit" if data.isascii() else "8bit"
    head = (
        f'Content-Type: {content_type}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n"
    )
    return (head + disposition + "\r\n").encode("ascii") + _crlf(body)


def _disposition(filename: str) -> str:
    _check(filename)
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        return f'Content-Disposition: attachment; filename="{filename}"\r\n'
    return f"Content-Disposition: attachment; filename*={encode_rfc2231(filename, 'utf-8')}\r\n"


# Storages an attachment may name: uploads only, never the static files.
ATTACHMENT_STORAGES = ("default", "private")


def attachment_storage(attachment: dict):
    """The storage an attachment's ``storage_path`` is in (``default`` unless it says)."""
    alias = attachment.get("storage") or "default"
    if alias not in ATTACHMENT_STORAGES:
        raise ValueError(f"attachments are not read from the {alias!r} storage")
    return storages[alias]


@functools.lru_cache(maxsize=8)
def _stored_file(alias: str, storage_path: str) -> bytes:
    """base64 of an uploaded file (uploads never change: their names are random)."""
    with attachment_storage({"storage": alias}).open(storage_path, "rb") as handle:
        return _crlf(base64.encodebytes(handle.read()))


def _attachment(attachment: dict) -> bytes:
    mimetype = _check(attachment["mimetype"])
    disposition = _disposition(attachment["filename"])
    if attachment.get("storage_path"):
        head = f"Content-Type: {mimetype}\r\nContent-Transfer-Encoding: base64\r\n{disposition}\r\n"
        alias = attachment.get("storage") or "default"
        return head.encode("ascii") + _stored_file(alias, attachment["storage_path"])
    if mimetype.startswith("text/"):
        return _text_part(attachment.get("text", ""), mimetype, disposition)
    content = attachment.get("text", "").encode("utf-8")
    head = f"Content-Type: {mimetype}\r\nContent-Transfer-Encoding: base64\r\n{disposition}\r\n"
    return head.encode("ascii") + _crlf(base64.encodebytes(content))


def _multipart(subtype: str, parts: Iterable[bytes]) -> bytes:
    boundary = f"=_ikone_{uuid.uuid4().hex}"
    out = [f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'.encode("ascii")]
    delimiter = f"\r\n--{boundary}\r\n".encode("ascii")
    for part in parts:
        out.append(delimiter)
        out.append(part)
    out.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
    return b"".join(out)


def message_bytes(row, *, date: str | None = None) -> bytes:
    """The complete message of an ``OutboundEmail`` row, CRLF line ends, ready for DATA."""
    headers = {
        "From": address(row.from_email),
        "To": address(row.to),
        "Subject": header_value(" ".join(row.subject.split())),
    }
    if row.reply_to:
        headers["Reply-To"] = address(row.reply_to)
    extra = {
        "Message-ID": row.message_id,
        "Date": date or formatdate(localtime=True),
        "Auto-Submitted": "auto-generated",
        **row.headers,
    }
    for name, value in extra.items():
        headers[_check(name)] = header_value(str(value))
    headers["MIME-Version"] = "1.0"

    body = _text_part(row.body_text, "text/plain")
    if row.body_html:
        body = _multipart("alternative", [body, _text_part(row.body_html, "text/html")])
    if row.attachments:
        body = _multipart("mixed", [body, *(_attachment(a) for a in row.attachments)])
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return head.encode("ascii") + body
