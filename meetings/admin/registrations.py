"""Workshops and places: the meeting page's workshop and registration lists, the list of all
registrations, and the members' calendar feed addresses."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ikone.admin_actions import for_each_selected
from ikone.admin_inlines import ModelAdmin, TabularInline

from ..models import CalendarToken, Registration, Workshop
from ..selectors import with_seat_counts
from ..services import feeds
from ..services import registration as registration_services


class WorkshopInline(TabularInline):
    model = Workshop
    extra = 0
    fields = ["round", "position", "title", "hosts", "capacity", "description", "seat_counts"]
    readonly_fields = ["seat_counts"]

    def get_queryset(self, request):
        return with_seat_counts(super().get_queryset(request))

    @admin.display(description=_("seats taken / waiting"))
    def seat_counts(self, obj):
        if not obj.pk:
            return "–"
        return f"{obj.confirmed} / {obj.waiting}"


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


@admin.register(Registration)
class RegistrationAdmin(ModelAdmin):
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
        for_each_selected(
            self,
            request,
            queryset,
            lambda registration: registration_services.cancel_registration(
                registration=registration, by=request.user
            ),
        )


@admin.register(CalendarToken)
class CalendarTokenAdmin(ModelAdmin):
    list_display = ["contact", "created_at"]
    fields = ["contact", "created_at"]
    readonly_fields = ["contact", "created_at"]
    actions = ["renew"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Renew (revoke the old feed address)"))
    def renew(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset.select_related("contact"),
            lambda token: feeds.renew_calendar_token(contact=token.contact, by=request.user),
        )
