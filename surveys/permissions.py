"""Who may answer a survey and who may see its results. Plain functions, tested in a matrix."""

from __future__ import annotations

from members.permissions import contact_of, is_coordinator, is_member

from .models import Survey


def can_answer(user, survey: Survey) -> bool:
    contact = contact_of(user)
    return contact is not None and survey.is_addressed_to(contact.municipality)


def can_view_results(user, survey: Survey) -> bool:
    """Coordinators always; members and the public only aggregated and when published."""
    if is_coordinator(user):
        return True
    if survey.opened_at is None:
        return False
    if survey.results_visibility == Survey.Visibility.PUBLIC:
        return True
    return survey.results_visibility == Survey.Visibility.MEMBERS and is_member(user)


def can_view_free_texts(user, survey: Survey) -> bool:
    """Free-text answers are not aggregated: outside the coordination team only when anonymous.

    A text of a named survey can identify its municipality or author even without a name
    beside it, so members and the public see only how many answered.
    """
    return is_coordinator(user) or survey.anonymous


def can_view_respondents(user, survey: Survey) -> bool:
    """Per-response exports name municipalities: coordinators only, never when anonymous."""
    return is_coordinator(user)
