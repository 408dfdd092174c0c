"""The coordinator's workplace for surveys: design, open, copy, results."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from ikone.admin_actions import for_each_selected
from ikone.admin_inlines import ModelAdmin, TabularInline

from . import services
from .models import Option, Question, Reminder, Response, Survey


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("position", "kind", "required"),
        "text",
        "help_text",
        ("min_value", "max_value"),
        ("min_label", "max_label"),
        "topics_as_options",
        "options_link",
    ]
    readonly_fields = ["options_link"]

    @admin.display(description=_("options"))
    def options_link(self, obj):
        if not obj.pk or not obj.has_options:
            return "–"
        url = reverse("admin:surveys_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit options"))


@admin.register(Survey)
class SurveyAdmin(ModelAdmin):
    list_display = [
        "title",
        "period",
        "response_count",
        "results_visibility",
        "results_link",
    ]
    list_filter = ["results_visibility", "respondent", "audience"]
    search_fields = ["title"]
    filter_horizontal = ["municipalities"]

    @admin.display(description=_("period"), ordering="opens_at")
    def period(self, obj):
        """Opens – closes, and whether the invitations went out: one column for 1280 px."""
        span = "{} – {}".format(
            date_format(timezone.localtime(obj.opens_at), "SHORT_DATE_FORMAT"),
            date_format(timezone.localtime(obj.closes_at), "SHORT_DATE_FORMAT"),
        )
        if obj.opened_at is None:
            return format_html("{}<br><small>{}</small>", span, _("not opened yet"))
        return span

    inlines = [QuestionInline]
    actions = [
        "open_surveys",
        "remind_surveys",
        "copy_surveys",
        "publish_for_members",
        "publish_for_everybody",
    ]
    readonly_fields = ["opened_at", "copied_from"]
    fieldsets = (
        (None, {"fields": ("title", "intro", ("opens_at", "closes_at"), "reminder_days")}),
        (_("Audience"), {"fields": ("audience", "municipalities", "respondent")}),
        (_("Results"), {"fields": ("anonymous", "results_visibility")}),
        (pgettext_lazy("record of changes", "History"), {"fields": ("opened_at", "copied_from")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_submitted=Count("responses", filter=Q(responses__status="submitted")))
        )

    @admin.display(description=_("submitted"), ordering="n_submitted")
    def response_count(self, obj):
        return obj.n_submitted

    @admin.display(description=_("results"))
    def results_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_results_url(), _("Show"))

    def save_model(self, request, obj, form, change):
        services.save_survey(survey=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Question:
            for question in form.instance.questions.filter(kind=Question.Kind.RANKING):
                services.fill_topic_options(question=question)

    @admin.action(description=_("Open: send the invitations"))
    def open_surveys(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda survey: services.open_survey(survey=survey, by=request.user),
            success=lambda survey, _opened: _("%(survey)s has been opened.") % {"survey": survey},
        )

    @admin.action(description=_("Remind the municipalities that have not answered"))
    def remind_surveys(self, request, queryset):
        total = sum(
            for_each_selected(
                self,
                request,
                queryset.filter(opened_at__isnull=False),
                lambda survey: services.remind(survey=survey, by=request.user),
            )
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d municipality reminded (each is reminded once per survey).",
                "%(count)d municipalities reminded (each is reminded once per survey).",
                total,
            )
            % {"count": total},
            messages.SUCCESS,
        )

    @admin.action(description=_("Copy to run again"))
    def copy_surveys(self, request, queryset):
        for_each_selected(
            self,
            request,
            queryset,
            lambda survey: services.copy_survey(survey=survey, by=request.user),
            success=lambda _survey, copy: _("Copied as “%(copy)s”.") % {"copy": copy.title},
        )

    def _publish(self, request, queryset, visibility):
        for_each_selected(
            self,
            request,
            queryset,
            lambda survey: services.set_results_visibility(
                survey=survey, visibility=visibility, by=request.user
            ),
        )
        self.message_user(
            request,
            _("Results published for %(count)s survey(s).") % {"count": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish the results for members"))
    def publish_for_members(self, request, queryset):
        self._publish(request, queryset, Survey.Visibility.MEMBERS)

    @admin.action(description=_("Publish the results for everybody"))
    def publish_for_everybody(self, request, queryset):
        self._publish(request, queryset, Survey.Visibility.PUBLIC)


class OptionInline(TabularInline):
    model = Option
    extra = 1
    fields = ["position", "text", "topic"]


@admin.register(Question)
class QuestionAdmin(ModelAdmin):
    list_display = ["text", "survey", "kind", "position", "required"]
    list_filter = ["kind"]
    list_select_related = ["survey"]
    search_fields = ["text", "survey__title"]
    inlines = [OptionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.fill_topic_options(question=form.instance)


@admin.register(Response)
class ResponseAdmin(ModelAdmin):
    list_display = ["survey", "municipality", "contact", "status", "updated_at", "submitted_at"]
    list_filter = ["status", "survey"]
    list_select_related = ["survey", "municipality", "contact"]
    readonly_fields = [
        "survey",
        "municipality",
        "contact",
        "status",
        "version",
        "edited_by",
        "submitted_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Reminder)
class ReminderAdmin(ModelAdmin):
    list_display = ["survey", "municipality", "sent_at"]
    list_select_related = ["survey", "municipality"]

    def has_add_permission(self, request):
        return False
