"""Personal data in circular letters (collected by ``ikone.privacy``)."""

from __future__ import annotations

from django.db.models import Q

from .models import Circular, CircularRecipient

COVERS = {
    "circulars.Circular": "circular letters a coordinator wrote or sent: listed; the FKs keep "
    "pointing to the anonymised login",
    "circulars.CircularRecipient": "circulars received with answer and comment: exported; the "
    "comment is deleted, the answer stays (without a name) for the counts",
}


def export(subject) -> dict:
    data: dict = {}
    if subject.contact is not None:
        data["circulars_received"] = [
            {
                "subject": r.circular.subject,
                "sent": r.circular.sent_at.isoformat() if r.circular.sent_at else None,
                "question": r.circular.question,
                "answer": str(r.circular.answer_label(r.answer)) if r.answer else "",
                "comment": r.comment,
                "answered": r.answered_at.isoformat() if r.answered_at else None,
            }
            for r in CircularRecipient.objects.filter(contact=subject.contact).select_related(
                "circular"
            )
        ]
    if subject.user is not None:
        data["circulars_written"] = [
            {"subject": c.subject, "status": c.status, "created": c.created_at.isoformat()}
            for c in Circular.objects.filter(
                Q(created_by=subject.user) | Q(sent_by=subject.user)
            ).distinct()
        ]
    return data


def anonymise(subject, *, by) -> None:
    if subject.contact is not None:
        CircularRecipient.objects.filter(contact=subject.contact).exclude(comment="").update(
            comment=""
        )
