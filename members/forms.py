from django import forms
from django.contrib.auth import password_validation
from django.db import models
from django.utils.translation import gettext_lazy as _

from ikone.uploads import validate_pdf

from . import services
from .models import Contact, MembershipApplication, Municipality, Topic


def https_urls(field, **kwargs):
    """Web addresses typed without a scheme are taken as https (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class MembershipApplicationForm(forms.ModelForm):
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the data is processed."),
        required=True,
        error_messages={"required": _("Please accept the privacy notice.")},
    )

    class Meta:
        model = MembershipApplication
        formfield_callback = https_urls
        fields = [
            "municipality_name",
            "kind",
            "district",
            "ags",
            "head_of_administration",
            "website",
            "letter",
            "contact_first_name",
            "contact_last_name",
            "contact_email",
            "contact_phone",
            "contact_position",
            "message",
        ]
        widgets = {
            "ags": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "letter": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
            "message": forms.Textarea(attrs={"rows": 4}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "ags": _("The official municipality key: 8 digits, e.g. 07312000 for Kaiserslautern."),
            "letter": _(
                "The application signed by the head of administration, as PDF (max. 10 MB)."
            ),
        }

    def clean_ags(self):
        ags = self.cleaned_data["ags"].replace(" ", "")
        try:
            services.check_ags_available(ags)
        except services.MembershipError as error:
            raise forms.ValidationError(str(error)) from None
        return ags

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        validate_pdf(letter)
        return letter

    def save(self, commit=True):
        data = {k: v for k, v in self.cleaned_data.items() if k != "privacy_consent"}
        return services.submit_application(**data)


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        if p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("My topics of interest"),
    )

    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "position",
            "phone",
            "language",
            "topics",
            "public_speaker",
        ]
        labels = {
            "public_speaker": _(
                "Name me as speaker in the open data interface (OParl) where I speak at a "
                "public meeting"
            )
        }
        help_texts = {
            "public_speaker": _(
                "Only your name, linked to your talks on public agendas, which are public "
                "anyway. Off unless you switch it on; switching it off takes you out again."
            )
        }


class MunicipalityTopicsForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics our municipality is interested in"),
    )

    class Meta:
        model = Municipality
        fields = ["topics"]
