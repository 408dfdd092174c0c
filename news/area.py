"""Posts of the member's municipality sent back for changes, on the member's start page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ikone.member_area import Todo, add_card, add_todos

from .models import Post


@add_todos
def posts_sent_back(contact):
    posts = (
        Post.objects.filter(
            municipality_id=contact.municipality_id, status=Post.Status.CHANGES_REQUESTED
        )
        .only("pk", "title", "updated_at")
        .order_by("-updated_at")
    )
    for post in posts[:10]:
        yield Todo(
            text=_("Revise the post “%(title)s”") % {"title": post.title},
            detail=_("The coordination team asked for changes."),
            url=reverse("news:edit", kwargs={"pk": post.pk}),
            action=_("Revise"),
        )


add_card("news/_area_card.html", order=50)
