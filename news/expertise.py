"""Posts as evidence for *Wen fragen?* (registered in ``apps.py``): a published
post a contact person wrote on one of the question's topics."""

from __future__ import annotations

from django.utils import timezone

from projects.expertise import POST, Evidence, post_reason

from .models import Post


def posts(*, question, contacts) -> list[Evidence]:
    by_user = {contact.user_id: contact.pk for contact in contacts.values() if contact.user_id}
    if not question.topic_ids or not by_user:
        return []
    found = (
        Post.objects.published()
        .filter(author_id__in=by_user, topics__in=question.topic_ids)
        .only("title", "author_id", "published_at")
        .distinct()
    )
    return [
        Evidence(
            by_user[post.author_id],
            POST,
            post_reason(title=post.title),
            timezone.localtime(post.published_at).date(),
        )
        for post in found
    ]
