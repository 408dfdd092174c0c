"""The audit trail in the admin: read-only, searchable, filterable.

Two lists: the coordinators' domain actions (``AuditEntry``) and the field history that
django-auditlog keeps (its ``LogEntry``, shown here in German and without its address columns
instead of auditlog's own admin). Each object's "History" page shows both for that object
(``templates/admin/object_history.html`` with :func:`object_audit`).
"""

from auditlog.models import LogEntry as FieldChange
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .admin_inlines import ModelAdmin
from .models import AuditEntry

FIELD_CHANGE_ACTIONS = {
    FieldChange.Action.CREATE: _("created"),
    FieldChange.Action.UPDATE: _("changed"),
    FieldChange.Action.DELETE: _("deleted"),
    FieldChange.Action.ACCESS: _("viewed"),
}


class _ReadOnly(ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(_ReadOnly):
    list_display = ["at", "actor_repr", "action", "content_type", "object_repr", "message"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["actor_repr", "object_repr", "message", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


def describe_changes(entry: FieldChange) -> list[tuple[str, str, str]]:
    """``(field, before, after)`` of an auditlog entry (many-to-many: what was added/removed)."""
    rows = []
    for name, value in (entry.changes or {}).items():
        if isinstance(value, dict):
            objects = ", ".join(str(item) for item in value.get("objects", []))
            added = value.get("operation") == "add"
            rows.append((name, "" if added else objects, objects if added else ""))
        elif isinstance(value, list) and len(value) == 2:
            rows.append((name, str(value[0]), str(value[1])))
    return rows


if admin.site.is_registered(FieldChange):
    admin.site.unregister(FieldChange)  # auditlog's own: English only, with address columns


@admin.register(FieldChange)
class FieldChangeAdmin(_ReadOnly):
    list_display = ["when", "who", "what", "content_type", "object_repr", "changed_fields"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_email", "object_repr", "object_pk"]
    date_hierarchy = "timestamp"
    list_select_related = ["content_type"]
    fields = ["when", "who", "what", "content_type", "object_pk", "object_repr", "change_table"]
    readonly_fields = fields

    @admin.display(description=_("when"), ordering="timestamp")
    def when(self, entry):
        return entry.timestamp

    @admin.display(description=_("who"), ordering="actor_email")
    def who(self, entry):
        return entry.actor_email or "–"

    @admin.display(description=_("action"), ordering="action")
    def what(self, entry):
        return FIELD_CHANGE_ACTIONS.get(entry.action, entry.action)

    @admin.display(description=_("changed fields"))
    def changed_fields(self, entry):
        return ", ".join(name for name, _before, _after in describe_changes(entry))

    @admin.display(description=_("changes"))
    def change_table(self, entry):
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", describe_changes(entry)
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("field"),
            _("before"),
            _("after"),
            rows,
        )


def object_audit(obj) -> dict:
    """The field history and the domain actions of ``obj``, newest first (the History page)."""
    kind = ContentType.objects.get_for_model(type(obj))
    changes = FieldChange.objects.filter(content_type=kind, object_pk=str(obj.pk))
    return {
        "field_changes": [
            {
                "at": entry.timestamp,
                "who": entry.actor_email or "–",
                "action": FIELD_CHANGE_ACTIONS.get(entry.action, entry.action),
                "rows": describe_changes(entry),
            }
            for entry in changes.order_by("-timestamp", "-pk")[:200]
        ],
        # typed domain actions, and the field history written before auditlog took it over
        "actions": list(
            AuditEntry.objects.filter(content_type=kind, object_id=str(obj.pk)).order_by(
                "-at", "-pk"
            )[:200]
        ),
    }
