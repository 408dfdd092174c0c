"""The coordinators' view of the catalogue: the review queue, stale profiles, exports.

Profiles are written by the municipalities; the admin reviews them and changes nothing
itself except through ``projects.services``.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ikone.admin_inlines import TabularInline

from . import export, services
from .forms import CommentForm
from .models import ProjectDocument, ProjectEvent, ProjectProfile, Reuse


class ProjectEventInline(TabularInline):
    model = ProjectEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "actor", "old_status", "new_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


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
class ProjectProfileAdmin(admin.ModelAdmin):
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

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="projects_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        project = self.get_object(request, str(pk))
        if project is None or not self.has_change_permission(request, project):
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        form = CommentForm(request.POST if "return" in request.POST else None)
        if request.method == "POST":
            try:
                if "publish" in request.POST:
                    services.publish_project(project=project, by=request.user)
                    self.message_user(request, _("The profile is public."), messages.SUCCESS)
                    return redirect("admin:projects_projectprofile_changelist")
                if "return" in request.POST and form.is_valid():
                    services.return_project(
                        project=project, by=request.user, comment=form.cleaned_data["comment"]
                    )
                    self.message_user(
                        request, _("The profile has been sent back."), messages.SUCCESS
                    )
                    return redirect("admin:projects_projectprofile_changelist")
            except services.ProjectError as error:
                self.message_user(request, str(error), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": project,
            "project": project,
            "form": form,
            "title": _("Review project profile"),
        }
        return render(request, "admin/projects/projectprofile/review.html", context)

    @admin.action(description=_("Publish (make public)"))
    def publish(self, request, queryset):
        for project in queryset:
            try:
                services.publish_project(project=project, by=request.user)
            except services.ProjectError as error:
                self.message_user(request, f"{project.title}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, _("Published: %(title)s") % {"title": project.title}, messages.SUCCESS
                )

    @admin.action(description=_("Withdraw from the catalogue"))
    def withdraw(self, request, queryset):
        for project in queryset:
            try:
                services.archive_project(project=project, by=request.user)
            except services.ProjectError as error:
                self.message_user(request, f"{project.title}: {error}", messages.ERROR)

    @admin.action(description=_("Export as CSV"))
    def export_csv(self, request, queryset):
        return export.csv_download(queryset)

    @admin.action(description=_("Export as XLSX"))
    def export_xlsx(self, request, queryset):
        return export.xlsx_download(queryset)


@admin.register(Reuse)
class ReuseAdmin(admin.ModelAdmin):
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
        for reuse in queryset:
            try:
                services.confirm_reuse(reuse=reuse, by=request.user)
            except services.ProjectError as error:
                self.message_user(request, f"{reuse}: {error}", messages.ERROR)
