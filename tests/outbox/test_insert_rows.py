"""Mass mail is inserted with COPY on PostgreSQL: the rows must be what bulk_create stores."""

import pytest
from django.db import IntegrityError, transaction

from ikone.outbox import services
from ikone.outbox.models import OutboundEmail

SAME_AS_BULK_CREATE = [
    f.name for f in OutboundEmail._meta.concrete_fields if f.name not in {"id", "message_id"}
]


def _messages():
    rendered = services.RenderedEmail(
        subject="Einladung – Rundschreiben",
        text="Hallo\tMüller,\n\\N ist kein NULL\r\nZeile 3\n",
        html="<p>Hallo „Müller“</p>",
    )
    return [
        services.Message(
            to=f"empfaenger{n}@example.org",
            template="circulars/circular",
            rendered=rendered,
            attachments=[services.Attachment(filename="a.pdf", mimetype="application/pdf")],
            reference="circular:7",
            headers={"X-Zähler": str(n)},
            reply_to="antwort@example.org" if n else "",
        )
        for n in range(3)
    ]


def _stored(rows):
    stored = [OutboundEmail.objects.get(pk=row.pk) for row in rows]
    return [{name: getattr(row, name) for name in SAME_AS_BULK_CREATE} for row in stored]


def test_copy_stores_the_same_rows_as_bulk_create(postgres):
    copied = services.queue_emails(_messages())
    reference = OutboundEmail.objects.bulk_create(
        [services._build_row(message) for message in _messages()]
    )

    assert all(row.pk and not row._state.adding for row in copied)
    assert [row.pk for row in copied] == sorted(row.pk for row in copied)
    copied_rows, reference_rows = _stored(copied), _stored(reference)
    for row in copied_rows + reference_rows:
        # Set at creation, a few milliseconds apart.
        assert row.pop("created_at") is not None
        assert row.pop("not_before") is not None
    assert copied_rows == reference_rows
    assert copied_rows[0]["body_text"] == "Hallo\tMüller,\n\\N ist kein NULL\r\nZeile 3\n"
    assert copied_rows[0]["reply_to"] != ""  # the outbox default, as with bulk_create


def test_a_duplicate_in_a_copy_is_djangos_integrity_error(postgres):
    rows = [services._build_row(message) for message in _messages()]
    rows[1].message_id = rows[0].message_id

    with pytest.raises(IntegrityError), transaction.atomic():
        services.insert_rows(OutboundEmail, rows)
    assert not OutboundEmail.objects.exists()
