"""Posts as evidence for *Wen fragen?* (registered in ``apps.py``): a published
post a contact person wrote on one of the question's topics. Summed in the database
(``projects.expertise.evidence_tally``)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import TruncDate

from projects.expertise import POST, Evidence, evidence_tally, post_reason
from projects.tally import Lookup, Tally

from .models import Post


def posts(*, question, contacts) -> Tally:
    by_user = {contact.user_id: contact.pk for contact in contacts.values() if contact.user_id}
    if not question.topic_ids or not by_user:
        return Tally()
    on_topic = Post.topics.through.objects.filter(
        post_id=OuterRef("pk"), topic_id__in=question.topic_ids
    )
    found = Post.objects.published().filter(Exists(on_topic), author_id__in=list(by_user))
    author = Lookup(F("author_id"), mapping=by_user)

    def word(row: dict) -> Evidence:
        reason = post_reason(title=row["title"])
        return Evidence(row["ask_contact"], row["ask_weight"], reason, row["ask_when"])

    return evidence_tally(
        question,
        found,
        contact=author,
        weight=Value(POST),
        when=TruncDate("published_at"),
        fields=("title",),
        word=word,
    )
