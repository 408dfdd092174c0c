"""Surveys still to answer, on the member's start page."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ikone.member_area import Todo, add_card, add_todos

from .selectors import running_surveys_for


@add_todos
def surveys_to_answer(contact):
    for survey in running_surveys_for(contact):
        response = survey.own_response
        if response is not None and response.is_submitted:
            continue
        if response is not None and response.edited_by_id:
            detail = _("Draft saved by %(name)s") % {"name": response.edited_by.full_name}
        elif response is not None:
            detail = _("Draft saved")
        else:
            detail = _("Not started yet")
        yield Todo(
            text=_("Answer the survey “%(title)s”") % {"title": survey.title},
            detail=detail,
            url=survey.get_absolute_url(),
            action=pgettext("button", "Continue")
            if response is not None
            else pgettext("button", "Answer"),
            due=survey.closes_at,
        )


add_card("surveys/_area_card.html", order=40)
