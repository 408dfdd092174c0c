"""Circular letters waiting for the contact's reply, and the archive's card (Mein Bereich)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ikone.member_area import Todo, add_card, add_todos

from .selectors import waiting_for_reply


@add_todos
def circulars_to_answer(contact):
    for recipient in waiting_for_reply(contact)[:10]:
        circular = recipient.circular
        yield Todo(
            text=_("Reply to the circular “%(subject)s”") % {"subject": circular.subject},
            detail=circular.question,
            url=reverse("circulars:detail", kwargs={"pk": circular.pk}),
            action=_("Reply"),
            due=circular.closes_at,
        )


add_card("circulars/_area_card.html", order=20)
