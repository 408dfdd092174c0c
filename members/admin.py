"""The coordinator's workplace for the member network."""

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from ikone.admin_actions import for_each_selected
from ikone.admin_inlines import ModelAdmin, ReadableActionsMixin, TabularInline
from ikone.privacy_admin import anonymise_contacts
from ikone.storage import private_file_response, private_file_widget
from ikone.uploads import clean_image

from . import services
from .forms import https_urls
from .models import Contact, MembershipApplication, Municipality, Topic, User, Visit

# The lists of accounts that Django and allauth register, with actions that answer a selection
# which is no key with a message (ikone.admin_inlines.ReadableActionsMixin).
for _model, _admin_class in (
    (Group, DjangoGroupAdmin),
    (EmailAddress, AllauthEmailAddressAdmin),
    (Authenticator, AllauthAuthenticatorAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(
            _model, type(_admin_class.__name__, (ReadableActionsMixin, _admin_class), {})
        )


@admin.register(User)
class UserAdmin(ReadableActionsMixin, DjangoUserAdmin):
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
class TopicAdmin(ModelAdmin):
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
            "public_speaker",
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
class MunicipalityAdmin(ModelAdmin):
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
class ContactAdmin(ModelAdmin):
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
        primary = (
            format_html(" <strong>({})</strong>", pgettext_lazy("contact person", "primary"))
            if obj.is_primary
            else ""
        )
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
class VisitAdmin(ModelAdmin):
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
class MembershipApplicationAdmin(ModelAdmin):
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
        for_each_selected(
            self,
            request,
            queryset,
            lambda application: services.approve_application(
                application=application, by=request.user
            ),
            success=lambda _application, municipality: (
                _("%(name)s is now a member; the contact person has been invited.")
                % {"name": municipality.name}
            ),
            name=lambda application: application.municipality_name,
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
        application = self.get_object(request, str(pk))
        if application is None or not application.letter:
            raise Http404
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        return private_file_response(application.letter, filename=f"antrag-{application.ags}.pdf")
