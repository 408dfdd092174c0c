"""The participant ranks an event's workshops and later sees why they got what they got."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from members.permissions import contact_of

from . import permissions
from .allocation import AllocationError
from .allocation_services import explanation, save_wish
from .models import Meeting, Registration, WorkshopAllocation, WorkshopSeat
from .preference_forms import WishForm


@login_required
def wish(request, slug):
    contact = contact_of(request.user)
    if contact is None:
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("series"), slug=slug)
    if not permissions.can_view_meeting(request.user, meeting):
        raise Http404
    setting = WorkshopAllocation.objects.filter(meeting=meeting).first()
    if setting is None or not setting.by_preference:
        raise Http404
    registration = (
        meeting.registrations.filter(contact=contact)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if registration is None:
        messages.info(request, _("Please register for the meeting first."))
        return redirect(meeting)
    workshops = list(meeting.workshops.order_by("round", "position", "pk"))
    current = registration.workshop_wish if _has_wish(registration) else None
    open_ = setting.accepts_preferences()
    initial = {"wanted": min(2, meeting.workshop_limit)}
    if current is not None:
        initial["wanted"] = current.wanted
        initial.update({f"rank_{p.workshop_id}": p.rank for p in current.ranking.all()})
    form = WishForm(
        request.POST if request.method == "POST" else None,
        workshops=workshops,
        limit=meeting.workshop_limit,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if not open_:
            form.add_error(None, _("The deadline for workshop preferences has passed."))
            status = 400
        elif form.is_valid():
            try:
                save_wish(
                    registration=registration,
                    ranking=form.cleaned_data["ranking"],
                    wanted=form.cleaned_data["wanted"],
                    by=request.user,
                )
            except AllocationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = 400
            else:
                messages.success(request, _("Your workshop preferences have been saved."))
                return redirect("meetings:preferences", slug=meeting.slug)
        else:
            status = 400
    seats = list(
        registration.seats.exclude(status=WorkshopSeat.Status.CANCELLED).select_related("workshop")
    )
    return render(
        request,
        "meetings/workshop_wish.html",
        {
            "meeting": meeting,
            "setting": setting,
            "form": form,
            "open": open_,
            "wish": current,
            "seats": seats,
            "lines": explanation(current.outcome) if current and setting.is_confirmed else [],
        },
        status=status,
    )


def _has_wish(registration) -> bool:
    try:
        registration.workshop_wish  # noqa: B018 (loads the one-to-one)
    except Registration.workshop_wish.RelatedObjectDoesNotExist:
        return False
    return True
