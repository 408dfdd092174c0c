"""The SMTP path writes message bytes itself: parsed, they equal Django's message of the row."""

import email
import email.policy

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.mail import get_connection

from ikone.outbox import mime, services
from ikone.outbox.models import OutboundEmail

HEADERS = ("From", "To", "Reply-To", "Subject", "Message-ID", "Auto-Submitted", "List-Unsubscribe")


def _row(**fields) -> OutboundEmail:
    values = {
        "to": "erika@example.org",
        "from_email": "IKONE DS <koordination@ikone-ds.de>",
        "subject": "Einladung",
        "body_text": "Hallo Erika,\n\nbis bald.\n",
        "message_id": "<20261201.1@ikone-ds.de>",
        **fields,
    }
    return OutboundEmail(**values)


def _summary(raw: bytes):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    # Django folds a non-ASCII subject onto a second line: compare without the leading space
    headers = {name: str(message[name]).strip() for name in HEADERS if message[name] is not None}
    parts = []
    for part in message.walk():
        if part.is_multipart():
            parts.append(("multipart", part.get_content_subtype()))
            continue
        content = part.get_content()
        if isinstance(content, str):
            content = content.replace("\r\n", "\n").rstrip("\n")
        parts.append((part.get_content_type(), part.get_filename(), content))
    assert message["Date"] is not None
    assert message["MIME-Version"] == "1.0"
    return headers, parts


def _django_bytes(row) -> bytes:
    connection = get_connection("django.core.mail.backends.locmem.EmailBackend")
    message = services.to_django_message(row, connection=connection).message()
    return message.as_bytes(linesep="\r\n")


def _same_as_django(row):
    ours = mime.message_bytes(row)
    assert b"\r\n" in ours and b"\n" not in ours.replace(b"\r\n", b"")
    assert _summary(ours) == _summary(_django_bytes(row))
    return email.message_from_bytes(ours, policy=email.policy.default)


def test_plain_text_mail():
    message = _same_as_django(_row())

    assert message.get_content_type() == "text/plain"
    assert message["Auto-Submitted"] == "auto-generated"


def test_text_and_html_with_umlauts_a_named_reply_to_and_list_unsubscribe():
    row = _row(
        subject="Einladung zum Straßenfest – Rückmeldung bis Freitag",
        body_text="Liebe Jörg Müller,\n\nÄnderungen folgen.\n",
        body_html="<p>Liebe Jörg Müller,</p><p>Änderungen folgen.</p>",
        reply_to="Koordination Süd <sued@ikone-ds.de>",
        headers={"List-Unsubscribe": "<https://portal.example/bereich/mail-einstellungen/>"},
    )

    message = _same_as_django(row)

    assert message["Subject"] == "Einladung zum Straßenfest – Rückmeldung bis Freitag"
    assert message.get_content_type() == "multipart/alternative"


def test_calendar_invitation_and_a_stored_pdf_as_attachments(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mime._stored_file.cache_clear()
    path = default_storage.save("circulars/x/programm.pdf", ContentFile(b"%PDF-1.4 " * 500))
    row = _row(
        body_html="<p>Hallo</p>",
        attachments=[
            {
                "filename": "einladung.ics",
                "mimetype": "text/calendar; method=REQUEST",
                "text": "BEGIN:VCALENDAR\nSUMMARY:Stammtisch für alle\nEND:VCALENDAR\n",
            },
            {
                "filename": "Programm Übersicht.pdf",
                "mimetype": "application/pdf",
                "storage_path": path,
            },
        ],
    )

    message = _same_as_django(row)

    assert message.get_content_type() == "multipart/mixed"
    pdf = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert pdf[0].get_content() == b"%PDF-1.4 " * 500
    assert pdf[0].get_filename() == "Programm Übersicht.pdf"


def test_a_pdf_from_the_private_storage_is_attached_by_both_paths():
    """Circular attachments are private uploads: the row names the storage they are in."""
    mime._stored_file.cache_clear()
    path = storages["private"].save("circulars/programm.pdf", ContentFile(b"%PDF-1.7 " * 300))
    row = _row(
        attachments=[
            {
                "filename": "Programm.pdf",
                "mimetype": "application/pdf",
                "storage_path": path,
                "storage": "private",
            }
        ],
    )

    message = _same_as_django(row)

    pdf = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert pdf[0].get_content() == b"%PDF-1.7 " * 300
    assert not default_storage.exists(path)  # not found in the public storage by accident


def test_an_attachment_cannot_name_the_static_files_storage():
    row = _row(
        attachments=[
            {
                "filename": "settings.py",
                "mimetype": "text/plain",
                "storage_path": "ikone/settings.py",
                "storage": "staticfiles",
            }
        ],
    )

    with pytest.raises(ValueError):
        mime.message_bytes(row)


def test_lines_longer_than_smtp_allows_are_quoted_printable():
    row = _row(body_text="ä" * 800 + "\nkurz\n")

    ours = mime.message_bytes(row)

    assert b"Content-Transfer-Encoding: quoted-printable" in ours
    assert max(len(line) for line in ours.split(b"\r\n")) <= mime.LINE_LIMIT
    assert _summary(ours) == _summary(_django_bytes(row))


@pytest.mark.parametrize(
    "fields",
    [
        {"to": "erika@example.org\r\nBcc: alle@example.org"},
        {"headers": {"List-Unsubscribe": "<https://x/>\r\nBcc: alle@example.org"}},
        {"from_email": "kein-absender"},
    ],
)
def test_header_injection_and_broken_addresses_are_refused(fields):
    with pytest.raises(mime.HeaderInjection):
        mime.message_bytes(_row(**fields))


def test_a_refused_row_fails_permanently_and_the_batch_goes_on(db, settings, smtp_server):
    recorder, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    bad = _row(headers={"X-Note": "a\nBcc: alle@example.org"}, message_id="<bad@ikone-ds.de>")
    good = _row(to="gut@example.org", message_id="<good@ikone-ds.de>")
    for row in (bad, good):
        row.status = OutboundEmail.Status.SENDING
        row.save()

    assert services.deliver([bad, good]) == 1

    bad.refresh_from_db()
    assert bad.status == OutboundEmail.Status.FAILED
    assert "line break" in bad.last_error
    assert recorder.recipients() == ["gut@example.org"]


def test_addresses_plain_named_and_with_an_umlaut_domain():
    assert mime.address("erika@example.org") == "erika@example.org"
    assert (
        mime.address("Jörg Müller <jm@example.org>")
        == "=?utf-8?b?SsO2cmcgTcO8bGxlcg==?= <jm@example.org>"
    )
    assert mime.envelope_address("IKONE DS <k@ikone-ds.de>") == "k@ikone-ds.de"
    assert mime.envelope_address("max@müller.de") == "max@xn--mller-kva.de"
