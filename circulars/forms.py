"""Input of circular letters: the coordinator's form and the PDF attachments."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikone.storage import private_file_widget
from ikone.uploads import validate_pdf
from members.models import Municipality

from .models import Circular, CircularAttachment


def _attachment_link(attachment):
    """The admin's download of a stored attachment (also of drafts)."""
    url = reverse(
        "admin:circulars_circular_attachment", args=[attachment.circular_id, attachment.pk]
    )
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
