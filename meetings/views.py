from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ikone.storage import private_file_response
from members.decorators import contact_required
from members.permissions import contact_of, is_coordinator, is_member
from projects.permissions import can_view_project

from . import action_items, ical, minutes, permissions
from .cycle_pages import cycle_context
from .forms import ActionItemDoneForm, MinutesCorrectionForm, RegistrationForm
from .models import (
    ActionItem,
    AgendaItem,
    CalendarToken,
    Meeting,
    Registration,
    WorkshopSeat,
    slides_filename,
)
from .selectors import registration_is_open, workshops_with_free_seats
from .services import common, feeds
from .services import registration as registration_services

PAGE_SIZE = 20


def _listed(request):
    meetings = Meeting.objects.select_related("series")
    if is_coordinator(request.user):
        return meetings.exclude(status=Meeting.Status.DRAFT)
    if is_member(request.user):
        return meetings.exclude(status=Meeting.Status.DRAFT)
    return meetings.visible()


def _my_places(request, meetings) -> dict[int, str]:
    """The member's registration status per listed meeting (one query)."""
    contact = contact_of(request.user)
    if contact is None:
        return {}
    return dict(
        Registration.objects.filter(contact=contact, meeting__in=[m.pk for m in meetings])
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("meeting_id", "status")
    )


@require_GET
def upcoming(request):
    meetings = _listed(request).upcoming()
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "past": False,
            "querystring": "",
            "my_places": _my_places(request, page.object_list),
        },
    )


@require_GET
def past(request):
    meetings = _listed(request).past()
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "meetings/meeting_list.html", {"page": page, "past": True, "querystring": ""}
    )


def _get_meeting(request, slug) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("series", "workshop_allocation"), slug=slug
    )
    if not permissions.can_view_meeting(request.user, meeting):
        # Drafts and members-only meetings do not reveal that they exist.
        raise Http404
    return meeting


def _own_registration(meeting: Meeting, contact) -> Registration | None:
    if contact is None:
        return None
    return (
        meeting.registrations.filter(contact=contact)
        .exclude(status=Registration.Status.CANCELLED)
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=WorkshopSeat.objects.exclude(
                    status=WorkshopSeat.Status.CANCELLED
                ).select_related("workshop"),
            )
        )
        .first()
    )


def _detail_context(
    request, meeting: Meeting, *, form=None, change_form=None, correction_form=None
) -> dict:
    contact = contact_of(request.user)
    registration = _own_registration(meeting, contact)
    workshops = workshops_with_free_seats(meeting)
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("speaker_municipality", "project")
        .prefetch_related("topics")
        .order_by("position", "id")
    )
    for item in agenda:  # the public only sees links to public profiles
        item.shown_project = item.project if can_view_project(request.user, item.project) else None
    counts = meeting.registrations.aggregate(
        registered=Count("id", filter=Q(status=Registration.Status.REGISTERED)),
        waiting=Count("id", filter=Q(status=Registration.Status.WAITING)),
    )
    can_read_minutes = permissions.can_read_minutes(request.user)
    if form is None and contact is not None and registration is None:
        form = RegistrationForm(meeting=meeting, workshops=workshops)
    registration_open = registration_is_open(meeting)
    if change_form is None and registration is not None and workshops and registration_open:
        change_form = RegistrationForm(
            meeting=meeting,
            workshops=workshops,
            initial={"workshops": [seat.workshop_id for seat in registration.seats.all()]},
        )
    return {
        "change_form": change_form,
        "meeting": meeting,
        "agenda": agenda,
        "workshops": workshops,
        "registration": registration,
        "form": form,
        "counts": counts,
        "registration_open": registration_open,
        "is_full": meeting.capacity is not None and counts["registered"] >= meeting.capacity,
        "can_register": permissions.can_register(request.user),
        "show_online_link": permissions.can_see_online_link(request.user, meeting, registration),
        "can_read_minutes": can_read_minutes,
        "action_items": list(meeting.action_items.select_related("owner", "owner_municipality"))
        if can_read_minutes
        else [],
        "open_points": list(action_items.open_items_before(meeting)) if can_read_minutes else [],
        **cycle_context(request, meeting, contact, correction_form=correction_form),
    }


@require_GET
def detail(request, slug):
    meeting = _get_meeting(request, slug)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


@contact_required
@require_POST
def register(request, slug):
    contact = contact_of(request.user)
    meeting = _get_meeting(request, slug)
    workshops = workshops_with_free_seats(meeting)
    form = RegistrationForm(request.POST, meeting=meeting, workshops=workshops)
    if form.is_valid():
        try:
            registration = registration_services.register(
                contact=contact,
                meeting=meeting,
                workshops=list(form.cleaned_data.get("workshops") or []),
                waitlist=form.cleaned_data["waitlist"],
                by=request.user,
            )
        except common.MeetingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if registration.status == Registration.Status.WAITING:
                messages.info(request, _("The meeting is full: you are on the waiting list."))
            else:
                messages.success(request, _("You are registered."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        _detail_context(request, meeting, form=form),
        status=400,
    )


@contact_required
@require_POST
def change_workshops(request, slug):
    contact = contact_of(request.user)
    meeting = _get_meeting(request, slug)
    registration = _own_registration(meeting, contact)
    if registration is None:
        messages.info(request, _("You were not registered for this meeting."))
        return redirect(meeting)
    workshops = workshops_with_free_seats(meeting)
    form = RegistrationForm(request.POST, meeting=meeting, workshops=workshops)
    if form.is_valid():
        try:
            registration_services.change_workshops(
                registration=registration,
                workshops=list(form.cleaned_data.get("workshops") or []),
                waitlist=form.cleaned_data["waitlist"],
                by=request.user,
            )
        except common.MeetingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your workshops have been changed."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        _detail_context(request, meeting, change_form=form),
        status=400,
    )


@contact_required
@require_POST
def correct_minutes(request, slug):
    """A participant leaves a correction of the minutes sent round."""
    contact = contact_of(request.user)
    meeting = _get_meeting(request, slug)
    if not meeting.corrections_are_open():
        messages.error(request, _("These minutes are not open for corrections."))
        return redirect(meeting)
    if not minutes.is_participant(meeting, contact):
        messages.error(request, _("Only participants of the meeting can correct its minutes."))
        return redirect(meeting)
    form = MinutesCorrectionForm(request.POST)
    if form.is_valid():
        try:
            minutes.add_correction(
                meeting=meeting, contact=contact, text=form.cleaned_data["text"], by=request.user
            )
        except minutes.MinutesError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Thank you: the coordination team has your correction."))
            return redirect(meeting.get_absolute_url() + "#minutes-heading")
    return render(
        request,
        "meetings/meeting_detail.html",
        _detail_context(request, meeting, correction_form=form),
        status=400,
    )


@contact_required
@require_POST
def unregister(request, slug):
    contact = contact_of(request.user)
    meeting = _get_meeting(request, slug)
    registration = _own_registration(meeting, contact)
    if registration is None:
        messages.info(request, _("You were not registered for this meeting."))
        return redirect(meeting)
    try:
        registration_services.cancel_registration(registration=registration, by=request.user)
    except common.MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(meeting)


@contact_required
def my_registrations(request):
    contact = contact_of(request.user)
    registrations = (
        Registration.objects.filter(contact=contact)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("meeting__series")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=WorkshopSeat.objects.exclude(
                    status=WorkshopSeat.Status.CANCELLED
                ).select_related("workshop"),
            )
        )
        .order_by("-meeting__start")
    )
    registrations = list(registrations)
    now = timezone.now()
    # The next meeting first; past ones from the most recent back.
    upcoming_list = [r for r in reversed(registrations) if r.meeting.end >= now]
    past_list = [r for r in registrations if r.meeting.end < now]
    # Reading only: the secret address is made by a POST (set_up_feed), never by a visit.
    token = CalendarToken.objects.filter(contact=contact).first()
    feed_url = (
        request.build_absolute_uri(reverse("meetings:personal_feed", kwargs={"token": token.token}))
        if token is not None
        else None
    )
    return render(
        request,
        "meetings/my_registrations.html",
        {"upcoming": upcoming_list, "past": past_list, "feed_url": feed_url},
    )


def _action_items_page(request, contact, *, forms=None, status=200):
    items = list(
        ActionItem.objects.owned_by(contact)
        .select_related("meeting__series", "owner", "owner_municipality")
        .order_by("status", "due", "pk")
    )
    forms = forms or {}
    open_items = [
        (item, forms.get(item.pk) or ActionItemDoneForm(prefix=f"item-{item.pk}"))
        for item in items
        if item.status == ActionItem.Status.OPEN
    ]
    closed = [item for item in items if item.status != ActionItem.Status.OPEN][:20]
    return render(
        request,
        "meetings/my_action_items.html",
        {"open_items": open_items, "closed_items": closed},
        status=status,
    )


@contact_required
@require_GET
def my_action_items(request):
    """The tasks the member or their municipality took on, to mark them done."""
    return _action_items_page(request, contact_of(request.user))


@contact_required
@require_POST
def close_action_item(request, pk):
    contact = contact_of(request.user)
    item = get_object_or_404(ActionItem.objects.owned_by(contact), pk=pk)
    form = ActionItemDoneForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            action_items.close_action_item(
                item=item, note=form.cleaned_data["note"], by=request.user
            )
        except action_items.ActionItemError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The task is marked done. Thank you!"))
        return redirect("meetings:my_action_items")
    return _action_items_page(request, contact, forms={item.pk: form}, status=400)


@contact_required
@require_POST
def set_up_feed(request):
    contact = contact_of(request.user)
    feeds.calendar_token_for(contact=contact)
    messages.success(
        request, _("Your personal calendar address is ready. Subscribe to it in your calendar.")
    )
    return redirect("meetings:mine")


@contact_required
@require_POST
def renew_feed(request):
    contact = contact_of(request.user)
    feeds.renew_calendar_token(contact=contact, by=request.user)
    messages.success(
        request, _("Your calendar address has been renewed. The old address no longer works.")
    )
    return redirect("meetings:mine")


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def public_feed(request):
    meetings = (
        Meeting.objects.filter(
            is_public=True,
            status__in=[Meeting.Status.ANNOUNCED, Meeting.Status.HELD],
            start__gte=timezone.now() - timedelta(days=365),
        )
        .select_related("series")
        .order_by("start")
    )
    return _ics_response(ical.feed(meetings, name=_("IKONE DS meetings")), "ikone-ds.ics")


@require_GET
def personal_feed(request, token):
    token_row = get_object_or_404(
        CalendarToken.objects.select_related("contact__municipality"), token=token
    )
    contact = token_row.contact
    if not contact.is_active or not contact.municipality.is_member:
        raise Http404
    registered = set(
        Registration.objects.filter(
            contact=contact, status=Registration.Status.REGISTERED
        ).values_list("meeting_id", flat=True)
    )
    meetings = (
        Meeting.objects.filter(
            status__in=[Meeting.Status.ANNOUNCED, Meeting.Status.HELD],
            start__gte=timezone.now() - timedelta(days=365),
        )
        .select_related("series")
        .order_by("start")
    )
    text = ical.feed(meetings, name=_("My IKONE DS meetings"), links_for=registered)
    return _ics_response(text, "meine-treffen.ics")


@require_GET
def slides(request, slug, item_pk):
    """The slides of an agenda item, for whoever may see the meeting (private storage)."""
    meeting = _get_meeting(request, slug)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    return private_file_response(item.slides, filename=slides_filename(item), inline=True)


@require_GET
def meeting_ics(request, slug):
    meeting = _get_meeting(request, slug)
    registration = _own_registration(meeting, contact_of(request.user))
    include_link = permissions.can_see_online_link(request.user, meeting, registration)
    return _ics_response(
        ical.feed(
            [meeting], name=meeting.display_title, links_for={meeting.pk} if include_link else set()
        ),
        f"{meeting.slug}.ics",
    )
