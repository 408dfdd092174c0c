"""The coordinators' view of the catalogue: the review queue, stale profiles, exports.

Profiles are written by the municipalities; the admin reviews them and changes nothing
itself except through ``projects.services``.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ikone.admin_actions import for_each_selected
from ikone.admin_inlines import ModelAdmin, TabularInline
from ikone.moderation_admin import ModerationEventInline, ReviewAdminMixin, ReviewStep

from . import export
from .forms import CommentForm
from .models import ProjectDocument, ProjectEvent, ProjectProfile, Reuse
from .services import profiles as profile_services
from .services import reuse as reuse_services


class ProjectEventInline(ModerationEventInline):
    model = ProjectEvent


class ProjectDocumentInline(TabularInline):
    model = ProjectDocument
    extra = 0
    can_delete = False
    fields = ["title", "original_name", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class QueueFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("review", _("waiting for review")),
            ("stale", _("not updated for a year")),
            ("changed", _("changed since publication")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status=ProjectProfile.Status.SUBMITTED)
        if self.value() == "stale":
            limit = timezone.now() - timedelta(days=settings.IKONE_PROJECT_STALE_DAYS)
            return queryset.filter(updated_at__lt=limit).exclude(
                status=ProjectProfile.Status.ARCHIVED
            )
        if self.value() == "changed":
            from django.db.models import F

            return queryset.filter(
                status=ProjectProfile.Status.PUBLISHED, updated_at__gt=F("published_at")
            )
        return queryset


@admin.register(ProjectProfile)
class ProjectProfileAdmin(ReviewAdminMixin, ModelAdmin):
    review_url_name = "projects_review"
    review_template = "admin/projects/projectprofile/review.html"
    review_title = _("Review project profile")
    review_object_name = "project"
    list_display = [
        "title",
        "municipality",
        "stage",
        "visibility",
        "status",
        "updated_at",
        "review",
    ]
    list_filter = [QueueFilter, "status", "visibility", "stage", "field_of_action", "topics"]
    list_select_related = ["municipality"]
    search_fields = ["title", "summary", "municipality__name"]
    date_hierarchy = "updated_at"
    inlines = [ProjectDocumentInline, ProjectEventInline]
    actions = ["publish", "withdraw", "export_csv", "export_xlsx"]
    readonly_fields = [
        "municipality",
        "title",
        "slug",
        "summary",
        "description",
        "field_of_action",
        "stage",
        "stage_reason",
        "start",
        "end",
        "budget_band",
        "funding",
        "outside_partners",
        "links",
        "lessons_learned",
        "obstacles",
        "visibility",
        "status",
        "published_at",
        "created_by",
        "created_at",
        "updated_at",
        "last_reminded_at",
        "topics_display",
        "partners_display",
        "public_link",
    ]
    fieldsets = [
        (None, {"fields": ["municipality", "title", "slug", "summary", "description"]}),
        (
            _("Facts"),
            {
                "fields": [
                    "topics_display",
                    "field_of_action",
                    "stage",
                    "stage_reason",
                    "start",
                    "end",
                    "budget_band",
                    "funding",
                    "partners_display",
                    "outside_partners",
                    "links",
                ]
            },
        ),
        (_("Experience"), {"fields": ["lessons_learned", "obstacles"]}),
        (
            _("Workflow"),
            {
                "fields": [
                    "visibility",
                    "status",
                    "published_at",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "last_reminded_at",
                    "public_link",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # profiles are written on the portal, by or for a municipality

    def get_queryset(self, request):
        return super().get_queryset(request).defer("description_html")

    @admin.display(description=_("topics"))
    def topics_display(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all())

    @admin.display(description=_("partner municipalities"))
    def partners_display(self, obj):
        return ", ".join(m.name for m in obj.partner_municipalities.all())

    @admin.display(description=_("profile"))
    def public_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.get_absolute_url(),
            _("Open the profile"),
        )

    @admin.display(description=_("review"))
    def review(self, obj):
        if obj.status != ProjectProfile.Status.SUBMITTED:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:projects_review", args=[obj.pk]), _("Review")
        )

    def review_steps(self):
        return [
            ReviewStep(
                button="publish",
                heading=_("Publish"),
                label=_("Publish now"),
                call=lambda project, user, data: profile_services.publish_project(
                    project=project, by=user
                ),
                done=_("The profile is public."),
            ),
            ReviewStep(
                button="return",
                heading=_("Send back"),
                label=_("Send back to the municipality"),
                form=CommentForm,
                call=lambda project, user, data: profile_services.return_project(
                    project=project, by=user, comment=data["comment"]
                ),
                done=_("The profile has been sent back."),
            ),
        ]

    @admin.action(description=_("Publish (make public)"))
    def publish(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda project: profile_services.publish_project(project=project, by=request.user),
            success=lambda project, _published: (
                _("Published: %(title)s") % {"title": project.title}
            ),
            name=lambda project: project.title,
        )

    @admin.action(description=_("Withdraw from the catalogue"))
    def withdraw(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda project: profile_services.archive_project(project=project, by=request.user),
            name=lambda project: project.title,
        )

    @admin.action(description=_("Export as CSV"))
    def export_csv(self, request, queryset):
        return export.csv_download(queryset)

    @admin.action(description=_("Export as XLSX"))
    def export_xlsx(self, request, queryset):
        return export.xlsx_download(queryset)


@admin.register(Reuse)
class ReuseAdmin(ModelAdmin):
    """Who took what from whom; answered by the source municipality on the portal."""

    list_display = ["project", "project_owner", "municipality", "stage", "date", "confirmation"]
    list_filter = ["confirmation", "stage"]
    list_select_related = ["project__municipality", "municipality"]
    search_fields = ["project__title", "municipality__name", "project__municipality__name"]
    readonly_fields = [
        "project",
        "municipality",
        "contact",
        "stage",
        "date",
        "effort",
        "lessons",
        "confirmation",
        "confirmed_by",
        "confirmed_at",
        "created_at",
    ]
    actions = ["confirm"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("source municipality"), ordering="project__municipality__name")
    def project_owner(self, obj):
        return obj.project.municipality

    @admin.action(description=_("Confirm (for the source municipality)"))
    def confirm(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda reuse: reuse_services.confirm_reuse(reuse=reuse, by=request.user),
        )
