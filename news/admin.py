"""The coordinators' moderation queue. Every state change goes through ``news.services``."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ikone.admin_actions import for_each_selected
from ikone.admin_inlines import ModelAdmin
from ikone.moderation_admin import ModerationEventInline, ReviewAdminMixin, ReviewStep
from ikone.uploads import clean_image
from projects.choosers import project_choice_field

from . import services
from .forms import RequestChangesForm, ScheduleForm, post_content
from .models import Post, PostEvent


class PostAdminForm(forms.ModelForm):
    """The image is processed by the service; the model field is not written by the form."""

    new_cover = forms.FileField(label=_("Cover image"), required=False)
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    class Meta:
        model = Post
        fields = [
            "kind",
            "municipality",
            "meeting",
            "title",
            "teaser",
            "body",
            "cover_alt",
            "topics",
            "project",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"] = project_choice_field(
            admin=True, help_text=_("The project profile this post is about, if any.")
        )

    def clean_new_cover(self):
        upload = self.cleaned_data.get("new_cover")
        if upload:
            clean_image(upload)  # refuse early; the service processes it again when saving
            upload.seek(0)
        return upload

    def clean(self):
        data = super().clean()
        has_image = self.cleaned_data.get("new_cover") or (
            self.instance.cover_image and not self.cleaned_data.get("remove_cover")
        )
        if has_image and not (data.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Please describe the image in the alternative text."))
        return data


class PostEventInline(ModerationEventInline):
    model = PostEvent


class WaitingFilter(admin.SimpleListFilter):
    title = _("moderation")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", _("waiting for review")), ("scheduled", _("scheduled"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(status=Post.Status.SUBMITTED, publish_at=None)
        if self.value() == "scheduled":
            return queryset.filter(status=Post.Status.SUBMITTED).exclude(publish_at=None)
        return queryset


@admin.register(Post)
class PostAdmin(ReviewAdminMixin, ModelAdmin):
    form = PostAdminForm
    review_path = "moderate"
    review_url_name = "news_post_moderate"
    review_template = "admin/news/post/moderate.html"
    review_title = _("Moderate post")
    review_object_name = "post"
    list_display = [
        "title",
        "municipality",
        "kind",
        "status",
        "date_display",
        "moderate_link",
    ]
    list_filter = [WaitingFilter, "status", "kind", "municipality", "topics"]
    list_select_related = ["municipality"]
    search_fields = ["title", "teaser", "municipality__name"]

    @admin.display(description=_("date"), ordering="published_at")
    def date_display(self, obj):
        """Published, scheduled or last changed: one column, so the list fits 1280 px."""
        if obj.published_at:
            return _("published %(date)s") % {
                "date": date_format(obj.published_at, "SHORT_DATE_FORMAT")
            }
        if obj.publish_at:
            return _("scheduled for %(date)s") % {
                "date": date_format(timezone.localtime(obj.publish_at), "SHORT_DATETIME_FORMAT")
            }
        changed = timezone.localtime(obj.updated_at)
        return _("changed %(date)s") % {"date": date_format(changed, "SHORT_DATE_FORMAT")}

    date_hierarchy = "created_at"
    readonly_fields = ["slug", "status", "publish_at", "published_at", "author", "preview_link"]
    filter_horizontal = ["topics"]
    raw_id_fields = ["meeting"]
    inlines = [PostEventInline]
    actions = ["publish_now", "archive"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "municipality",
                    "meeting",
                    "project",
                    "title",
                    "slug",
                    "teaser",
                    "body",
                ]
            },
        ),
        (_("Image"), {"fields": ["new_cover", "remove_cover", "cover_alt"]}),
        (_("Topics"), {"fields": ["topics"]}),
        (
            _("Workflow"),
            {"fields": ["status", "publish_at", "published_at", "author", "preview_link"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "body_html")

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("news:my_preview", args=[obj.pk]),
            _("Preview"),
        )

    @admin.display(description=_("moderation"))
    def moderate_link(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("admin:news_post_moderate", args=[obj.pk]),
            _("Moderate"),
            reverse("news:my_preview", args=[obj.pk]),
            _("Preview"),
        )

    def save_model(self, request, obj, form, change):
        try:
            saved = services.save_post(
                by=request.user,
                post=Post.objects.get(pk=obj.pk) if change else None,
                **post_content(form.cleaned_data, cover=form.cleaned_data.get("new_cover")),
            )
        except services.PostError as error:
            self.message_user(request, str(error), messages.ERROR)
            if not change:
                raise
            return
        obj.pk = saved.pk
        obj.slug = saved.slug

    def save_related(self, request, form, formsets, change):
        """Topics were set by the service (no ``save_m2m``); the history inline is read-only."""
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def review_steps(self):
        return [
            ReviewStep(
                button="publish",
                heading=_("Publish now"),
                label=_("Publish now"),
                call=lambda post, user, data: services.publish_post(post=post, by=user),
                done=_("The post is published."),
            ),
            ReviewStep(
                button="schedule",
                heading=_("Schedule"),
                label=_("Schedule publication"),
                form=ScheduleForm,
                call=lambda post, user, data: services.publish_post(
                    post=post, by=user, publish_at=data["publish_at"]
                ),
                done=_("The post is scheduled."),
            ),
            ReviewStep(
                button="request_changes",
                heading=_("Request changes"),
                label=_("Send back to the author"),
                form=RequestChangesForm,
                call=lambda post, user, data: services.request_changes(
                    post=post, by=user, comment=data["comment"]
                ),
                done=_("The post has been sent back to its author."),
            ),
        ]

    @admin.action(description=_("Publish now"))
    def publish_now(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda post: services.publish_post(post=post, by=request.user),
            success=lambda post, _published: _("Published: %(title)s") % {"title": post.title},
            name=lambda post: post.title,
        )

    @admin.action(description=_("Archive (withdraw from the public pages)"))
    def archive(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda post: services.archive_post(post=post, by=request.user),
            name=lambda post: post.title,
        )
