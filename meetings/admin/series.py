"""Series with their blackout periods; agenda items and action items across all meetings."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ikone.admin_actions import for_each_selected
from ikone.admin_inlines import ModelAdmin, TabularInline

from ..forms import AgendaItemListAdminForm
from ..models import ActionItem, AgendaItem, BlackoutPeriod, MeetingSeries
from ..services import scheduling
from ..services.common import MeetingError


class BlackoutInline(TabularInline):
    model = BlackoutPeriod
    extra = 1


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ModelAdmin):
    list_display = ["name", "kind", "cadence_weeks", "next_date", "is_active"]
    list_filter = ["kind", "is_active"]
    inlines = [BlackoutInline]
    actions = ["schedule_next"]
    readonly_fields = ["next_date"]

    @admin.display(description=_("proposed next date"))
    def next_date(self, obj):
        if not obj.pk:
            return "–"
        try:
            return scheduling.propose_next_date(series=obj).strftime("%d.%m.%Y")
        except MeetingError:  # the cadence the form refuses: the form says why
            return "–"

    @admin.action(description=_("Schedule the next meeting (as a draft)"))
    def schedule_next(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda series: scheduling.schedule_meeting(series=series, by=request.user),
            success=lambda _series, meeting: format_html(
                '{} <a href="{}">{}</a>',
                _("Scheduled:"),
                reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                f"{meeting.display_title} ({timezone.localtime(meeting.start):%d.%m.%Y %H:%M})",
            ),
        )


@admin.register(AgendaItem)
class AgendaItemAdmin(ModelAdmin):
    """All agenda items; the position is edited in the list to reorder a meeting's agenda."""

    form = AgendaItemListAdminForm
    list_display = ["title", "meeting", "position", "speaker", "speaker_municipality", "project"]
    list_editable = ["position"]
    list_filter = ["meeting"]
    list_select_related = ["meeting__series", "speaker_municipality", "project"]
    search_fields = ["title", "speaker", "speaker_organisation"]
    autocomplete_fields = ["meeting", "speaker_municipality"]
    filter_horizontal = ["topics"]  # as in the meeting's own agenda
    ordering = ["-meeting__start", "position", "id"]


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
class ActionItemAdmin(ModelAdmin):
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
