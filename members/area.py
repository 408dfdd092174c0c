"""Circular letters waiting for the contact's reply, and the network's own cards."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone.member_area import Todo, add_card, add_todos

from .models import Circular, CircularRecipient


@add_todos
def circulars_to_answer(contact):
    waiting = (
        CircularRecipient.objects.filter(
            contact=contact,
            answer="",
            circular__status__in=[Circular.Status.SENDING, Circular.Status.SENT],
        )
        .exclude(circular__question="")
        .exclude(circular__answer_choices="")
        .filter(Q(circular__closes_at__isnull=True) | Q(circular__closes_at__gt=timezone.now()))
        .select_related("circular")
        .order_by("circular__closes_at", "-circular__sent_at")
    )
    for recipient in waiting[:10]:
        circular = recipient.circular
        yield Todo(
            text=_("Reply to the circular “%(subject)s”") % {"subject": circular.subject},
            detail=circular.question,
            url=reverse("members:circular_detail", kwargs={"pk": circular.pk}),
            action=_("Reply"),
            due=circular.closes_at,
        )


add_card("members/_network_area_cards.html", order=10)
add_card("members/_circular_area_card.html", order=20)
add_card("members/_account_area_card.html", order=90)
