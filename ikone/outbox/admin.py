from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ikone.admin_inlines import ModelAdmin

from . import services
from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ModelAdmin):
    list_display = [
        "to",
        "subject",
        "status",
        "attempts",
        "error",
        "not_before",
        "sent_at",
        "reference",
    ]
    list_filter = ["status", "category", "created_at"]
    search_fields = ["to", "subject", "reference", "message_id"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["retry"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    @admin.display(description=_("last error"))
    def error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send failed e-mails again"), permissions=["view"])
    def retry(self, request, queryset):
        count = services.retry_failed(emails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
