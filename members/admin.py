"""The coordinator's workplace for the member network."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ikone.admin_inlines import TabularInline
from ikone.privacy_admin import anonymise_contacts
from ikone.storage import private_file_response, private_file_widget
from ikone.uploads import clean_image

from . import selectors, services
from .forms import https_urls
from .models import Contact, MembershipApplication, Municipality, Topic, User, Visit


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active", "municipality_count"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_municipalities=Count("municipalities"))

    @admin.display(description=_("municipalities"), ordering="n_municipalities")
    def municipality_count(self, obj):
        return obj.n_municipalities


class MunicipalityAdminForm(forms.ModelForm):
    class Meta:
        model = Municipality
        formfield_callback = https_urls
        fields = [
            "name",
            "slug",
            "kind",
            "district",
            "ags",
            "head_of_administration",
            "website",
            "logo",
            "description",
            "member_since",
            "status",
            "topics",
        ]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload
            return clean_image(logo, max_width=800)
        return logo


class ContactAdminForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "municipality",
            "first_name",
            "last_name",
            "email",
            "phone",
            "position",
            "is_primary",
            "is_active",
            "topics",
            "language",
        ]

    def clean_email(self):
        """Addresses are unique regardless of case; say so instead of naming the constraint."""
        email = self.cleaned_data["email"].strip()
        if services.email_in_use(email, exclude=self.instance if self.instance.pk else None):
            raise forms.ValidationError(
                _("A contact person with the e-mail address %(email)s already exists.")
                % {"email": email}
            )
        return email


class ContactInline(TabularInline):
    model = Contact
    form = ContactAdminForm
    extra = 0
    fields = ["first_name", "last_name", "email", "position", "is_primary", "is_active"]
    show_change_link = True


class VisitInline(TabularInline):
    model = Visit
    extra = 0
    fields = ["date", "visitors", "notes"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    form = MunicipalityAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "district", "ags", "member_since", "status", "contact_count"]
    list_filter = ["status", "kind", "district", "topics"]
    search_fields = ["name", "district", "ags", "head_of_administration"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["topics"]
    inlines = [ContactInline, VisitInline]
    date_hierarchy = "member_since"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_contacts=Count("contacts"))

    @admin.display(description=_("contacts"), ordering="n_contacts")
    def contact_count(self, obj):
        return obj.n_contacts


class LoginStatusFilter(admin.SimpleListFilter):
    title = _("login")
    parameter_name = "login"

    def lookups(self, request, model_admin):
        return [
            ("none", _("not invited")),
            ("invited", _("invited, password not set")),
            ("active", _("has a login")),
            ("never", _("never logged in")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(user__isnull=True)
        if self.value() == "invited":
            return queryset.filter(user__isnull=False, user__password__startswith="!")  # noqa: S106 (unusable password)
        if self.value() == "active":
            return queryset.filter(user__isnull=False).exclude(user__password__startswith="!")  # noqa: S106 (unusable password)
        if self.value() == "never":
            return queryset.filter(user__isnull=False, user__last_login__isnull=True)
        return queryset


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    form = ContactAdminForm
    list_display = ["name_display", "municipality", "email", "is_active", "login_status"]
    list_filter = [
        "is_active",
        "is_primary",
        LoginStatusFilter,
        "municipality__kind",
        "municipality__district",
        "topics",
    ]
    list_select_related = ["municipality", "user"]
    search_fields = ["first_name", "last_name", "email", "municipality__name", "position"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["topics"]
    readonly_fields = ["user", "invited_at", "created_at", "updated_at"]
    actions = ["invite", anonymise_contacts]

    @admin.display(description=_("name"), ordering="last_name")
    def name_display(self, obj):
        """Name, position and primary contact in one column (the list fits 1280 px)."""
        primary = format_html(" <strong>({})</strong>", _("primary")) if obj.is_primary else ""
        position = format_html("<br><small>{}</small>", obj.position) if obj.position else ""
        return format_html("{}{}{}", obj.full_name, primary, position)

    @admin.display(description=_("login"))
    def login_status(self, obj):
        if obj.user_id is None:
            return _("not invited")
        if not obj.user.has_usable_password():
            return format_html(
                "{} {}", _("invited"), obj.invited_at.strftime("%d.%m.%Y") if obj.invited_at else ""
            )
        return _("active")

    @admin.action(description=_("Invite to the portal (e-mail with a link to set a password)"))
    def invite(self, request, queryset):
        invited, problems = services.invite_contacts(contacts=queryset.select_related("user"))
        if invited:
            self.message_user(
                request,
                ngettext("%(count)d contact invited.", "%(count)d contacts invited.", invited)
                % {"count": invited},
                messages.SUCCESS,
            )
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["municipality", "date", "visitors"]
    list_filter = ["date", "municipality__district"]
    search_fields = ["municipality__name", "notes", "visitors"]
    autocomplete_fields = ["municipality"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


def _letter_link(application):
    url = reverse("admin:members_membershipapplication_letter", args=[application.pk])
    return url, f"antrag-{application.ags}.pdf"


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "municipality_name",
        "kind",
        "district",
        "ags",
        "contact_name",
        "created_at",
        "status",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["municipality_name", "ags", "contact_last_name", "contact_email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "decided_at",
        "decided_by",
        "municipality",
        "rejection_reason",
        "privacy_consent_at",
        "created_at",
        "letter_link",
    ]
    actions = ["approve"]
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # a private file: shown as a link to letter_view, which checks the permission
        models.FileField: {"widget": private_file_widget(link=_letter_link)},
    }
    change_form_template = "admin/members/membershipapplication/change_form.html"

    @admin.display(description=_("contact person"))
    def contact_name(self, obj):
        return f"{obj.contact_first_name} {obj.contact_last_name}"

    @admin.display(description=_("application letter"))
    def letter_link(self, obj):
        if not obj.letter:
            return "–"
        url = reverse("admin:members_membershipapplication_letter", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open PDF"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="members_membershipapplication_reject",
            ),
            path(
                "<int:pk>/letter/",
                self.admin_site.admin_view(self.letter_view),
                name="members_membershipapplication_letter",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Approve: create municipality and invite its contact"))
    def approve(self, request, queryset):
        for application in queryset:
            try:
                municipality = services.approve_application(
                    application=application, by=request.user
                )
            except services.MembershipError as error:
                self.message_user(
                    request, f"{application.municipality_name}: {error}", messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    _("%(name)s is now a member; the contact person has been invited.")
                    % {"name": municipality.name},
                    messages.SUCCESS,
                )

    def reject_view(self, request, pk):
        application = self.get_object(request, str(pk))
        if application is None or not self.has_change_permission(request, application):
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.reject_application(
                    application=application, by=request.user, reason=form.cleaned_data["reason"]
                )
            except services.MembershipError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request, _("The application has been rejected and the applicant informed.")
                )
                return redirect("admin:members_membershipapplication_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": application,
            "form": form,
            "title": _("Reject application"),
        }
        return render(request, "admin/members/membershipapplication/reject.html", context)

    def letter_view(self, request, pk):
        """The signed letter: only for coordinators who may view applications."""
        from django.http import Http404

        application = self.get_object(request, str(pk))
        if application is None or not application.letter:
            raise Http404
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        return private_file_response(application.letter, filename=f"antrag-{application.ags}.pdf")


# --- Circular letters -----------------------------------------------------------------------

from django.core.exceptions import PermissionDenied  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.http import HttpResponseRedirect, JsonResponse  # noqa: E402

from ikone.outbox import services as outbox_services  # noqa: E402
from ikone.outbox.models import OutboundEmail  # noqa: E402
from ikone.spreadsheet import csv_response, safe_text_cell  # noqa: E402
from ikone.uploads import validate_pdf  # noqa: E402

from .models import Circular, CircularAttachment, CircularRecipient  # noqa: E402


def _attachment_link(attachment):
    url = reverse("admin:members_circular_attachment", args=[attachment.circular_id, attachment.pk])
    return url, attachment.filename


class CircularAttachmentForm(forms.ModelForm):
    class Meta:
        model = CircularAttachment
        fields = ["file", "title"]
        widgets = {"file": private_file_widget(link=_attachment_link)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_pdf(upload)
        return upload


class CircularAttachmentInline(TabularInline):
    model = CircularAttachment
    form = CircularAttachmentForm
    extra = 1


class CircularAdminForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("kinds of municipality"),
        choices=Municipality.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    districts = forms.MultipleChoiceField(
        label=_("districts"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Circular
        fields = [
            "subject",
            "body",
            "audience",
            "kinds",
            "districts",
            "topics",
            "contacts",
            "question",
            "answer_choices",
            "custom_answers",
            "allow_comment",
            "closes_at",
            "scheduled_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "districts" not in self.fields:  # read-only once sent
            return
        districts = (
            Municipality.objects.members()
            .exclude(district="")
            .order_by("district")
            .values_list("district", flat=True)
            .distinct()
        )
        self.fields["districts"].choices = [(d, d) for d in districts]

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        required = {
            Circular.Audience.KIND: ("kinds", _("Please choose at least one kind.")),
            Circular.Audience.DISTRICT: ("districts", _("Please choose at least one district.")),
            Circular.Audience.TOPIC: ("topics", _("Please choose at least one topic.")),
            Circular.Audience.HANDPICKED: ("contacts", _("Please choose at least one contact.")),
        }
        if audience in required:
            name, message = required[audience]
            if not data.get(name):
                self.add_error(name, message)
        if data.get("question") and not data.get("answer_choices"):
            self.add_error("answer_choices", _("Please choose the answers to the question."))
        if data.get("answer_choices") and not data.get("question"):
            self.add_error("question", _("Please write the question."))
        if data.get("answer_choices") == Circular.Choices.CUSTOM:
            lines = [line for line in (data.get("custom_answers") or "").splitlines() if line]
            if len(lines) < 2:
                self.add_error("custom_answers", _("Please give at least two answers."))
        return data


@admin.register(Circular)
class CircularAdmin(admin.ModelAdmin):
    form = CircularAdminForm
    inlines = [CircularAttachmentInline]
    list_display = ["subject", "status", "audience", "scheduled_at", "sent_at", "progress_link"]
    list_filter = ["status", "audience"]
    search_fields = ["subject", "body"]
    date_hierarchy = "created_at"
    filter_horizontal = ["topics", "contacts"]
    autocomplete_fields = []
    readonly_fields = ["status", "sent_at"]
    change_form_template = "admin/members/circular/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Circular.Status.DRAFT:
            return [*CircularAdminForm.Meta.fields, "status", "sent_at"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status in (Circular.Status.SENDING, Circular.Status.SENT):
            return False
        return super().has_delete_permission(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is None or obj.status == Circular.Status.DRAFT else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("delivery"))
    def progress_link(self, obj):
        if obj.status in (Circular.Status.SENDING, Circular.Status.SENT):
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:members_circular_progress", args=[obj.pk]),
                _("progress"),
            )
        return "–"

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        urls = [
            path("<int:pk>/preview/", wrap(self.preview_view), name="members_circular_preview"),
            path("<int:pk>/test/", wrap(self.test_view), name="members_circular_test"),
            path("<int:pk>/send/", wrap(self.send_view), name="members_circular_send"),
            path(
                "<int:pk>/unschedule/",
                wrap(self.unschedule_view),
                name="members_circular_unschedule",
            ),
            path("<int:pk>/progress/", wrap(self.progress_view), name="members_circular_progress"),
            path(
                "<int:pk>/progress.json",
                wrap(self.progress_json_view),
                name="members_circular_progress_json",
            ),
            path("<int:pk>/retry/", wrap(self.retry_view), name="members_circular_retry"),
            path("<int:pk>/answers/", wrap(self.answers_view), name="members_circular_answers"),
            path(
                "<int:pk>/attachment/<int:attachment_pk>/",
                wrap(self.attachment_view),
                name="members_circular_attachment",
            ),
            path(
                "<int:pk>/answers.csv",
                wrap(self.answers_csv_view),
                name="members_circular_answers_csv",
            ),
        ]
        return urls + super().get_urls()

    def _circular(self, request, pk, *, change=False) -> Circular:
        circular = self.get_object(request, str(pk))
        if circular is None:
            from django.http import Http404

            raise Http404
        allowed = (
            self.has_change_permission(request, None)
            if change
            else self.has_view_permission(request, circular)
        )
        if not allowed:
            raise PermissionDenied
        return circular

    def _context(self, request, circular, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": circular,
            "circular": circular,
            "title": title,
            **extra,
        }

    def preview_view(self, request, pk):
        circular = self._circular(request, pk)
        context = services.circular_context(
            circular,
            name=request.user.get_full_name() or request.user.email,
            link="",
            attachments=list(circular.attachments.all()),
            is_test=True,
        )
        rendered = outbox_services.render_email(template="members/circular", context=context)
        return render(
            request,
            "admin/members/circular/preview.html",
            self._context(
                request,
                circular,
                _("Preview: %(subject)s") % {"subject": circular.subject},
                rendered=rendered,
                body_html=context["body_html"],
                recipients=services.circular_audience(circular).count(),
            ),
        )

    @staticmethod
    def _back(circular):
        return HttpResponseRedirect(reverse("admin:members_circular_change", args=[circular.pk]))

    def test_view(self, request, pk):
        if request.method != "POST":
            return self._back(self._circular(request, pk))
        circular = self._circular(request, pk, change=True)
        try:
            services.send_test_copy(circular=circular, by=request.user)
        except services.CircularError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("A test copy is on its way to %(email)s.") % {"email": request.user.email},
            )
        return self._back(circular)

    def send_view(self, request, pk):
        circular = self._circular(request, pk, change=True)
        if request.method != "POST":
            return self._back(circular)
        try:
            circular = services.send_circular(circular=circular, by=request.user)
        except services.CircularError as error:
            self.message_user(request, str(error), messages.ERROR)
            return self._back(circular)
        if circular.status == Circular.Status.SCHEDULED:
            self.message_user(request, _("The circular letter is scheduled."))
            return self._back(circular)
        self.message_user(request, _("The circular letter is being sent."))
        return HttpResponseRedirect(reverse("admin:members_circular_progress", args=[pk]))

    def unschedule_view(self, request, pk):
        circular = self._circular(request, pk, change=True)
        if request.method == "POST":
            try:
                services.unschedule_circular(circular=circular, by=request.user)
            except services.CircularError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("The circular letter is a draft again."))
        return self._back(circular)

    def progress_view(self, request, pk):
        circular = self._circular(request, pk)
        services.refresh_circular_status(circular=circular)
        recipients = (
            CircularRecipient.objects.filter(circular=circular)
            .select_related("contact__municipality", "email")
            .order_by("contact__last_name", "contact__first_name", "pk")
        )
        status = request.GET.get("status", "")
        if status in OutboundEmail.Status.values:
            recipients = recipients.filter(email__status=status)
        page = Paginator(recipients, 100).get_page(request.GET.get("page"))
        return render(
            request,
            "admin/members/circular/progress.html",
            self._context(
                request,
                circular,
                _("Delivery: %(subject)s") % {"subject": circular.subject},
                progress=services.circular_progress(circular=circular),
                page=page,
                querystring=f"status={status}" if status else "",
                status_filter=status,
                statuses=OutboundEmail.Status.choices,
            ),
        )

    def progress_json_view(self, request, pk):
        circular = self._circular(request, pk)
        services.refresh_circular_status(circular=circular)
        progress = services.circular_progress(circular=circular)
        progress["status_label"] = circular.get_status_display()
        return JsonResponse(progress)

    def retry_view(self, request, pk):
        circular = self._circular(request, pk, change=True)
        if request.method == "POST":
            count = services.retry_failed_recipients(circular=circular)
            self.message_user(
                request,
                ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
                % {"count": count},
            )
        return HttpResponseRedirect(reverse("admin:members_circular_progress", args=[pk]))

    def answers_view(self, request, pk):
        circular = self._circular(request, pk)
        recipients = (
            circular.recipients.exclude(answer="")
            .select_related("contact__municipality")
            .order_by("contact__municipality__name", "contact__last_name")
        )
        page = Paginator(recipients, 100).get_page(request.GET.get("page"))
        for recipient in page:
            recipient.answer_text = circular.answer_label(recipient.answer)
        return render(
            request,
            "admin/members/circular/answers.html",
            self._context(
                request,
                circular,
                _("Answers: %(subject)s") % {"subject": circular.subject},
                counts=services.answer_counts(circular=circular),
                by_municipality=selectors.answers_by_municipality(circular=circular),
                page=page,
                querystring="",
            ),
        )

    def attachment_view(self, request, pk, attachment_pk):
        """An attachment as stored, also of drafts (members get theirs in the archive)."""
        from django.shortcuts import get_object_or_404

        circular = self._circular(request, pk)
        attachment = get_object_or_404(CircularAttachment, pk=attachment_pk, circular=circular)
        return private_file_response(attachment.file, filename=attachment.filename)

    def answers_csv_view(self, request, pk):
        circular = self._circular(request, pk)
        response, writer = csv_response(f"antworten-{circular.pk}.csv")
        writer.writerow(
            [
                _("municipality"),
                _("first name"),
                _("last name"),
                _("e-mail address"),
                _("answer"),
                _("comment"),
                _("answered"),
            ]
        )
        recipients = circular.recipients.select_related("contact__municipality").order_by(
            "contact__municipality__name", "contact__last_name", "pk"
        )
        for recipient in recipients:
            contact = recipient.contact
            writer.writerow(
                [
                    safe_text_cell(value)
                    for value in (
                        contact.municipality.name,
                        contact.first_name,
                        contact.last_name,
                        contact.email,
                        circular.answer_label(recipient.answer) if recipient.answer else "",
                        recipient.comment,
                        recipient.answered_at.isoformat() if recipient.answered_at else "",
                    )
                ]
            )
        return response
