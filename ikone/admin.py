"""The audit trail in the admin: read-only, searchable, filterable."""

from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_repr", "action", "content_type", "object_repr", "message"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["actor_repr", "object_repr", "message", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
