"""The next meeting on the member's start page: register, or "you are registered"."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ikone.member_area import Todo, add_card, add_todos

from .models import ActionItem, Meeting, Registration
from .selectors import registration_is_open


@add_todos
def next_meeting(contact):
    meeting = (
        Meeting.objects.filter(status=Meeting.Status.ANNOUNCED, start__gt=timezone.now())
        .select_related("series")
        .order_by("start")
        .first()
    )
    if meeting is None:
        return []
    when = date_format(timezone.localtime(meeting.start), "DATETIME_FORMAT")
    registration = (
        Registration.objects.filter(meeting=meeting, contact=contact)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if registration is not None:
        waiting = registration.status == Registration.Status.WAITING
        text = (
            _("You are on the waiting list for %(meeting)s")
            if waiting
            else _("You are registered for %(meeting)s")
        )
        return [
            Todo(
                text=text % {"meeting": meeting.display_title},
                detail=when,
                url=reverse("meetings:ics", kwargs={"slug": meeting.slug}),
                action=_("Add to calendar"),
                due=meeting.start,
                done=True,
            )
        ]
    if not registration_is_open(meeting):
        return []
    return [
        Todo(
            text=_("Register for %(meeting)s") % {"meeting": meeting.display_title},
            detail=when,
            url=meeting.get_absolute_url(),
            action=_("Register"),
            due=meeting.registration_deadline or meeting.start,
        )
    ]


@add_todos
def own_action_items(contact):
    items = (
        ActionItem.objects.owned_by(contact)
        .filter(status=ActionItem.Status.OPEN)
        .select_related("meeting__series")
        .order_by("due", "pk")
    )
    for item in items[:10]:
        detail = _("agreed at %(meeting)s") % {"meeting": item.meeting.display_title}
        if item.is_overdue:
            detail = _("%(detail)s · overdue") % {"detail": detail}
        yield Todo(
            text=_("Task: %(what)s") % {"what": item.what},
            detail=detail,
            url=reverse("meetings:my_action_items"),
            action=_("Show"),
            due=timezone.make_aware(datetime.combine(item.due, time(23, 59))) if item.due else None,
        )


add_card("meetings/_area_card.html", order=30)
