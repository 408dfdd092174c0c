"""The coordinator's workplace for meetings: series, agendas, workshops, invitations, minutes."""

import re
from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ikone.admin_inlines import TabularInline
from ikone.spreadsheet import csv_response, safe_text_cell
from members.models import Contact, Municipality, Topic

from . import services
from .admin_cycle import MinutesAdminMixin, invitation_list_initial
from .forms import AgendaItemAdminForm, GuestForm
from .models import (
    ActionItem,
    AgendaItem,
    BlackoutPeriod,
    CalendarToken,
    Meeting,
    MeetingSeries,
    Registration,
    Workshop,
    WorkshopSeat,
)

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


# --- Series ---------------------------------------------------------------------------------


class BlackoutInline(TabularInline):
    model = BlackoutPeriod
    extra = 1


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cadence_weeks", "next_date", "is_active"]
    list_filter = ["kind", "is_active"]
    inlines = [BlackoutInline]
    actions = ["schedule_next"]
    readonly_fields = ["next_date"]

    @admin.display(description=_("proposed next date"))
    def next_date(self, obj):
        if not obj.pk:
            return "–"
        return services.propose_next_date(series=obj).strftime("%d.%m.%Y")

    @admin.action(description=_("Schedule the next meeting (as a draft)"))
    def schedule_next(self, request, queryset):
        for series in queryset:
            meeting = services.schedule_meeting(series=series, by=request.user)
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Scheduled:"),
                    reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                    f"{meeting.display_title} ({timezone.localtime(meeting.start):%d.%m.%Y %H:%M})",
                ),
                messages.SUCCESS,
            )


# --- Meetings -------------------------------------------------------------------------------


class AgendaItemInline(admin.StackedInline):
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
    ]


class WorkshopInline(TabularInline):
    model = Workshop
    extra = 0
    fields = ["round", "position", "title", "hosts", "capacity", "description", "seat_counts"]
    readonly_fields = ["seat_counts"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_confirmed=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.CONFIRMED)),
                n_waiting=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.WAITING)),
            )
        )

    @admin.display(description=_("seats taken / waiting"))
    def seat_counts(self, obj):
        if not obj.pk:
            return "–"
        return f"{obj.n_confirmed} / {obj.n_waiting}"


class RegistrationInline(TabularInline):
    """Read-only list of places; guests and attendance have their own pages (services)."""

    model = Registration
    extra = 0
    can_delete = False
    fields = ["person", "organisation_name", "status", "attended", "created_at"]
    readonly_fields = fields
    ordering = ["status", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact__municipality")

    @admin.display(description=_("person"))
    def person(self, obj):
        return f"{obj.name} <{obj.email}>"

    @admin.display(description=_("organisation"))
    def organisation_name(self, obj):
        return obj.organisation


class ActionItemInline(TabularInline):
    model = ActionItem
    extra = 0
    fields = ["what", "who", "owner", "owner_municipality", "owner_team", "due", "status"]
    autocomplete_fields = ["owner", "owner_municipality"]


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "series",
            "kind",
            "title",
            "slug",
            "start",
            "end",
            "format",
            "location",
            "online_link",
            "description",
            "status",
            "is_public",
            "capacity",
            "registration_deadline",
            "workshop_limit",
            "public_summary",
            "minutes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Left empty: made from the title and date.")
        if self.instance.pk:
            # Status changes go through the actions (invite, cancel, held), not the form.
            self.fields["status"].disabled = True
        else:
            self.fields["status"].choices = [
                c for c in Meeting.Status.choices if c[0] in ("draft", "announced")
            ]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if not slug and self.instance.pk:
            return self.instance.slug
        return slug

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start")
        if not cleaned.get("title") and not cleaned.get("series"):
            self.add_error("title", _("Please give a title or choose a series."))
        deadline = cleaned.get("registration_deadline")
        if deadline and start and deadline > start:
            self.add_error(
                "registration_deadline", _("The registration deadline must be before the start.")
            )
        return cleaned


class InviteForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.members(),
        required=False,
        label=_("Only contacts of these municipalities"),
        help_text=_("Empty: all active contact persons."),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        label=_("Only contacts interested in these topics"),
    )

    def contacts(self):
        contacts = Contact.objects.active()
        if self.cleaned_data.get("municipalities"):
            contacts = contacts.filter(municipality__in=self.cleaned_data["municipalities"])
        if self.cleaned_data.get("topics"):
            contacts = contacts.filter(topics__in=self.cleaned_data["topics"]).distinct()
        return contacts


@admin.register(Meeting)
class MeetingAdmin(MinutesAdminMixin, admin.ModelAdmin):
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
        if not change:
            services.prepare_new_meeting(meeting=obj)
            return
        if "start" in form.changed_data or "end" in form.changed_data:
            new_start, new_end = obj.start, obj.end
            old = Meeting.objects.get(pk=obj.pk)
            obj.start, obj.end = old.start, old.end
            super().save_model(request, obj, form, change)
            services.reschedule_meeting(meeting=obj, start=new_start, end=new_end, by=request.user)
            obj.refresh_from_db()
            if obj.status != Meeting.Status.DRAFT:
                self.message_user(
                    request, _("The new date was sent to everybody invited or registered.")
                )
            return
        super().save_model(request, obj, form, change)

    # --- actions ----------------------------------------------------------------------------

    @admin.action(description=_("Send invitations (with calendar entry)"))
    def invite(self, request, queryset):
        if "apply" in request.POST:
            form = InviteForm(request.POST)
            if form.is_valid():
                total = 0
                for meeting in queryset:
                    try:
                        total += services.send_invitations(
                            meeting=meeting, contacts=form.contacts(), by=request.user
                        )
                    except services.MeetingError as error:
                        self.message_user(request, f"{meeting}: {error}", messages.ERROR)
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
            for meeting in queryset:
                try:
                    services.cancel_meeting(meeting=meeting, by=request.user)
                except services.MeetingError as error:
                    self.message_user(request, f"{meeting}: {error}", messages.ERROR)
                else:
                    self.message_user(request, _("Cancelled: %(m)s") % {"m": meeting})
            return None
        rows = [(meeting, services.cancellation_recipient_count(meeting)) for meeting in queryset]
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
        for meeting in queryset:
            try:
                services.mark_held(meeting=meeting, by=request.user)
            except services.MeetingError as error:
                self.message_user(request, f"{meeting}: {error}", messages.ERROR)

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
                services.add_guest(
                    meeting=meeting,
                    name=form.cleaned_data["guest_name"],
                    email=form.cleaned_data["guest_email"],
                    organisation=form.cleaned_data["guest_organisation"],
                    by=request.user,
                )
            except services.MeetingError as error:
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
                count = services.record_attendance(
                    meeting=meeting, present=present, by=request.user
                )
            except services.MeetingError as error:
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
        """Each member municipality's participation in the meetings of one year."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        this_year = timezone.localdate().year
        held_years = sorted(
            {
                start.year
                for start in Meeting.objects.filter(status=Meeting.Status.HELD).dates(
                    "start", "year"
                )
            },
            reverse=True,
        )
        # Opens on the latest year in which meetings were held, not on an empty new year.
        latest = held_years[0] if held_years else this_year
        try:
            year = int(request.GET.get("year", latest))
        except ValueError:
            year = latest
        if not 1900 <= year <= this_year + 1:
            year = latest
        tz = timezone.get_current_timezone()
        first = datetime(year, 1, 1, tzinfo=tz)
        last = datetime(year + 1, 1, 1, tzinfo=tz)
        in_year = Q(
            contacts__meeting_registrations__meeting__start__gte=first,
            contacts__meeting_registrations__meeting__start__lt=last,
        )
        held = Meeting.objects.filter(
            start__gte=first, start__lt=last, status=Meeting.Status.HELD
        ).count()
        rows = (
            Municipality.objects.members()
            .annotate(
                attended=Count(
                    "contacts__meeting_registrations__meeting",
                    filter=in_year & Q(contacts__meeting_registrations__attended=True),
                    distinct=True,
                ),
                registered=Count(
                    "contacts__meeting_registrations__meeting",
                    filter=in_year
                    & ~Q(contacts__meeting_registrations__status=Registration.Status.CANCELLED),
                    distinct=True,
                ),
            )
            .order_by("-attended", "name")
        )
        if request.GET.get("export") == "csv":
            return participation_csv(rows, year=year, held=held)
        return render(
            request,
            "admin/meetings/meeting/participation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Participation per municipality in %(year)d") % {"year": year},
                "rows": rows,
                "year": year,
                "held": held,
                "years": sorted({this_year, year, *held_years}, reverse=True),
            },
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "participation_url": reverse("admin:meetings_meeting_participation"),
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    """All agenda items; the position is edited in the list to reorder a meeting's agenda."""

    form = AgendaItemAdminForm
    list_display = ["title", "meeting", "position", "speaker", "speaker_municipality"]
    list_editable = ["position"]
    list_filter = ["meeting"]
    list_select_related = ["meeting__series", "speaker_municipality"]
    search_fields = ["title", "speaker", "speaker_organisation"]
    autocomplete_fields = ["speaker_municipality"]
    ordering = ["-meeting__start", "position", "id"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "attended", "created_at"]
    list_filter = ["status", "attended", "meeting"]
    list_select_related = ["meeting__series", "contact__municipality"]
    search_fields = ["contact__last_name", "contact__email", "guest_name", "guest_email"]
    actions = ["cancel_registrations"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Registration._meta.fields]

    @admin.action(description=_("Cancel (the waiting list moves up)"))
    def cancel_registrations(self, request, queryset):
        for registration in queryset:
            try:
                services.cancel_registration(registration=registration, by=request.user)
            except services.MeetingError as error:
                self.message_user(request, f"{registration}: {error}", messages.ERROR)


def participation_csv(rows, *, year: int, held: int) -> HttpResponse:
    """The participation report as CSV (semicolons, UTF-8 with BOM for Excel)."""
    response, writer = csv_response(f"teilnahme-{year}.csv")
    writer.writerow(
        [
            _("municipality"),
            _("meetings attended"),
            _("meetings registered for"),
            _("meetings held in %(year)d") % {"year": year},
        ]
    )
    for row in rows:
        writer.writerow([safe_text_cell(row.name), row.attended, row.registered, held])
    return response


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("not overdue"))]

    def queryset(self, request, queryset):
        overdue = ActionItem.objects.overdue()
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue.values("pk"))
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue.values("pk"))
        return queryset


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["what", "owner_display", "due_display", "status", "meeting"]
    list_editable = ["status"]
    list_filter = ["status", OverdueFilter, "owner_team"]
    list_select_related = ["meeting__series", "owner", "owner_municipality"]
    search_fields = ["what", "who", "owner__last_name", "owner_municipality__name"]
    autocomplete_fields = ["owner", "owner_municipality"]
    readonly_fields = ["closed_at", "closed_by", "reminder_sent_at"]

    @admin.display(description=_("responsible"))
    def owner_display(self, obj):
        return obj.owner_display or "–"

    @admin.display(description=_("due"), ordering="due")
    def due_display(self, obj):
        if obj.due is None:
            return "–"
        due = date_format(obj.due, "SHORT_DATE_FORMAT")
        if obj.is_overdue:
            return format_html('{} <strong class="overdue">({})</strong>', due, _("overdue"))
        return due


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["contact", "created_at"]
    fields = ["contact", "created_at"]
    readonly_fields = ["contact", "created_at"]
    actions = ["renew"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Renew (revoke the old feed address)"))
    def renew(self, request, queryset):
        for token in queryset.select_related("contact"):
            services.renew_calendar_token(contact=token.contact)
