"""Reads shared by views and the member's start page."""

from django.db.models import Q
from django.utils import timezone

from .models import Response, Survey


def running_surveys_for(contact, *, now=None) -> list[Survey]:
    """Running surveys addressed to the contact's municipality, each with ``own_response``:
    the response this contact works on (the municipality's, or their own), or None."""
    if contact is None:
        return []
    running = list(
        Survey.objects.running(now=now or timezone.now())
        .for_municipality(contact.municipality)
        .order_by("closes_at")
    )
    responses = Response.objects.filter(
        Q(contact__isnull=True) | Q(contact=contact),
        survey__in=running,
        municipality=contact.municipality,
    ).select_related("edited_by")
    by_pk = {survey.pk: survey for survey in running}
    own = {}
    for response in responses:
        if by_pk[response.survey_id].per_contact == (response.contact_id is not None):
            own[response.survey_id] = response
    for survey in running:
        survey.own_response = own.get(survey.pk)
    return running
