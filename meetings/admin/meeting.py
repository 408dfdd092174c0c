"""Meetings: the change page with agenda, workshops, action items and places; invitations,
cancellation and "held" as actions; adding a guest and recording attendance as own pages."""

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ikone.admin_actions import for_each_selected
from ikone.admin_inlines import ModelAdmin, ReadableAutocompleteMixin, TabularInline

from ..admin_cycle import MinutesAdminMixin, invitation_list_initial
from ..forms import AgendaItemAdminForm, GuestForm, InviteForm, MeetingAdminForm
from ..models import ActionItem, AgendaItem, Meeting, Registration
from ..services import common, invitations, scheduling
from ..services import registration as registration_services
from .participation import participation_page
from .registrations import RegistrationInline, WorkshopInline

SERIES_TITLE = re.compile(r"^\s*(?P<number>\d{1,3})\.\s*(?P<name>.*?)\s*(?P<year>\d{4})?\s*$")


def displayed_title_filter(search_term: str) -> Q | None:
    """A filter for "3. Digitaler Stammtisch 2023" (number, series name, year; name and year
    optional), the title a series meeting shows without a title of its own; None if the term
    is not of that shape."""
    match = SERIES_TITLE.match(search_term)
    if not match:
        return None
    condition = Q(title="", series__isnull=False, number=int(match["number"]))
    if match["name"]:
        condition &= Q(series__name__icontains=match["name"])
    if match["year"]:
        condition &= Q(start__year=int(match["year"]))
    return condition


class AgendaItemInline(ReadableAutocompleteMixin, admin.StackedInline):
    model = AgendaItem
    form = AgendaItemAdminForm
    extra = 0
    ordering = ["position", "id"]
    autocomplete_fields = ["speaker_municipality"]
    filter_horizontal = ["topics"]
    fields = [
        ("position", "title", "duration_minutes"),
        "description",
        ("speaker", "speaker_municipality", "speaker_organisation"),
        "topics",
        ("slides", "recording_url"),
        "project",
    ]


class ActionItemInline(TabularInline):
    model = ActionItem
    extra = 0
    fields = ["what", "who", "owner", "owner_municipality", "owner_team", "due", "status"]
    autocomplete_fields = ["owner", "owner_municipality"]


@admin.register(Meeting)
class MeetingAdmin(MinutesAdminMixin, ModelAdmin):
    form = MeetingAdminForm
    list_display = [
        "title_display",
        "start",
        "kind",
        "format",
        "status",
        "is_public",
        "participants",
    ]
    list_filter = ["status", "kind", "format", "series", "is_public"]
    search_fields = ["title", "series__name", "description", "agenda_items__title"]
    search_help_text = _("Title, series (“2. Digitaler Stammtisch 2027”), description or agenda.")
    date_hierarchy = "start"
    inlines = [AgendaItemInline, WorkshopInline, ActionItemInline, RegistrationInline]
    actions = ["invite", "cancel", "mark_held"]
    readonly_fields = ["number", "tools"]
    fieldsets = [
        (None, {"fields": ["series", "number", "kind", "title", "slug", "status", "tools"]}),
        (
            _("Time and place"),
            {"fields": ["start", "end", "format", "location", "online_link", "description"]},
        ),
        (
            _("Registration"),
            {"fields": ["is_public", "capacity", "registration_deadline", "workshop_limit"]},
        ),
        (_("After the meeting"), {"fields": ["public_summary", "minutes"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("series")
            .annotate(
                n_registered=Count(
                    "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
                ),
                n_attended=Count("registrations", filter=Q(registrations__attended=True)),
            )
        )

    @admin.display(description=_("title"), ordering="start")
    def title_display(self, obj):
        return obj.display_title

    def get_search_results(self, request, queryset, search_term):
        """Series meetings have no title of their own: find them by the title they display."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        displayed = displayed_title_filter(search_term)
        if displayed is not None:
            results = results | queryset.filter(displayed)
            may_have_duplicates = True
        return results, may_have_duplicates

    @admin.display(description=_("participants (attended)"), ordering="n_registered")
    def participants(self, obj):
        if obj.n_attended:
            return f"{obj.n_registered} ({obj.n_attended})"
        return obj.n_registered

    @admin.display(description=_("tools"))
    def tools(self, obj):
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:meetings_meeting_guest", args=[obj.pk]),
            _("Add an outside guest"),
            reverse("admin:meetings_meeting_attendance", args=[obj.pk]),
            _("Record attendance"),
            obj.get_absolute_url(),
            _("View on site"),
        )

    def save_model(self, request, obj, form, change):
        """One service call: a changed time is a reschedule, which tells everybody."""
        scheduling.save_meeting(meeting=obj, by=request.user)
        moved = change and {"start", "end"} & set(form.changed_data)
        if moved and obj.status != Meeting.Status.DRAFT:
            self.message_user(
                request, _("The new date was sent to everybody invited or registered.")
            )

    # --- actions ----------------------------------------------------------------------------

    @admin.action(description=_("Send invitations (with calendar entry)"))
    def invite(self, request, queryset):
        if "apply" in request.POST:
            form = InviteForm(request.POST)
            if form.is_valid():
                total = sum(
                    for_each_selected(
                        self,
                        request,
                        queryset,
                        lambda meeting: invitations.send_invitations(
                            meeting=meeting, contacts=form.contacts(), by=request.user
                        ),
                    )
                )
                self.message_user(
                    request,
                    ngettext("%(count)d invitation queued.", "%(count)d invitations queued.", total)
                    % {"count": total},
                    messages.SUCCESS,
                )
                return None
        else:
            form = InviteForm(initial=invitation_list_initial(queryset))
        return render(
            request,
            "admin/meetings/meeting/invite.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "form": form,
                "meetings": queryset,
                "action": "invite",
                "title": _("Send invitations"),
            },
        )

    @admin.action(description=_("Cancel (sends a cancellation to everybody invited)"))
    def cancel(self, request, queryset):
        """Ask first, saying how many people will be told; only the confirmation cancels."""
        if "apply" in request.POST:
            for_each_selected(
                self,
                request,
                queryset,
                lambda meeting: scheduling.cancel_meeting(meeting=meeting, by=request.user),
                success=lambda meeting, _result: _("Cancelled: %(m)s") % {"m": meeting},
                success_level=messages.INFO,
            )
            return None
        rows = [
            (meeting, invitations.cancellation_recipient_count(meeting=meeting))
            for meeting in queryset
        ]
        return render(
            request,
            "admin/meetings/meeting/cancel.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "rows": rows,
                "total": sum(count for _meeting, count in rows),
                "action": "cancel",
                "title": _("Cancel meetings"),
            },
        )

    @admin.action(description=_("Mark as held"))
    def mark_held(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda meeting: scheduling.mark_held(meeting=meeting, by=request.user),
        )

    # --- extra pages ------------------------------------------------------------------------

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/gast/",
                self.admin_site.admin_view(self.guest_view),
                name="meetings_meeting_guest",
            ),
            path(
                "<int:pk>/anwesenheit/",
                self.admin_site.admin_view(self.attendance_view),
                name="meetings_meeting_attendance",
            ),
            path(
                "teilnahme/",
                self.admin_site.admin_view(self.participation_view),
                name="meetings_meeting_participation",
            ),
        ]
        return extra + super().get_urls()

    def _page(self, request, meeting, template, **context):
        return render(
            request,
            f"admin/meetings/meeting/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": meeting,
                **context,
            },
        )

    def guest_view(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        form = GuestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                registration_services.add_guest(
                    meeting=meeting,
                    name=form.cleaned_data["guest_name"],
                    email=form.cleaned_data["guest_email"],
                    organisation=form.cleaned_data["guest_organisation"],
                    by=request.user,
                )
            except common.MeetingError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                self.message_user(request, _("The guest has been added."), messages.SUCCESS)
                return redirect("admin:meetings_meeting_change", meeting.pk)
        return self._page(
            request, meeting, "guest.html", form=form, title=_("Add an outside guest")
        )

    def attendance_view(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        registrations = list(
            meeting.registrations.filter(status=Registration.Status.REGISTERED).select_related(
                "contact__municipality"
            )
        )
        if request.method == "POST":
            present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
            try:
                count = registration_services.record_attendance(
                    meeting=meeting, present=present, by=request.user
                )
            except common.MeetingError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Attendance recorded: %(count)d present.") % {"count": count},
                    messages.SUCCESS,
                )
                return redirect("admin:meetings_meeting_change", meeting.pk)
        return self._page(
            request,
            meeting,
            "attendance.html",
            registrations=registrations,
            title=_("Record attendance"),
        )

    def participation_view(self, request):
        return participation_page(self, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "participation_url": reverse("admin:meetings_meeting_participation"),
        }
        return super().changelist_view(request, extra_context=extra_context)
