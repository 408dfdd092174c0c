from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikone.storage import private_file_widget
from ikone.uploads import validate_pdf

from .allocation_services import holds_workshop_choices
from .models import AgendaItem, Meeting, Workshop, slides_filename


class WorkshopChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = _("Round %(round)d: %(title)s") % {"round": obj.round, "title": obj.title}
        free = getattr(obj, "free_seats", None)
        if free is not None and free <= 0:
            label = _("%(label)s (full – waiting list)") % {"label": label}
        elif free is not None:
            label = _("%(label)s (%(free)d seats free)") % {"label": label, "free": free}
        return label


class RegistrationForm(forms.Form):
    """A member's registration, with the workshop choice when the event has workshops."""

    workshops = WorkshopChoiceField(
        queryset=Workshop.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Workshops"),
    )
    waitlist = forms.BooleanField(
        required=False,
        label=_("Put me on the waiting list if a place is full"),
    )

    def __init__(self, *args, meeting: Meeting, workshops=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if workshops is None:
            workshops = list(meeting.workshops.all())
        self.fields["workshops"].queryset = Workshop.objects.filter(meeting=meeting)
        if not workshops or holds_workshop_choices(meeting):
            del self.fields["workshops"]  # none, or allocated by preference later
        else:
            self.fields["workshops"].help_text = _(
                "At most %(limit)d workshops, one per round."
            ) % {"limit": meeting.workshop_limit}
            self.fields["workshops"].choices = [
                (w.pk, self.fields["workshops"].label_from_instance(w)) for w in workshops
            ]


def _slides_link(item):
    url = reverse("meetings:slides", args=[item.meeting.slug, item.pk])
    return url, slides_filename(item)


class AgendaItemAdminForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "position",
            "title",
            "description",
            "speaker",
            "speaker_municipality",
            "speaker_organisation",
            "duration_minutes",
            "topics",
            "slides",
            "recording_url",
        ]
        widgets = {"slides": private_file_widget(link=_slides_link)}

    def clean_slides(self):
        slides = self.cleaned_data.get("slides")
        if slides and hasattr(slides, "content_type"):
            validate_pdf(slides)
        return slides


class GuestForm(forms.Form):
    guest_name = forms.CharField(label=_("Name"), max_length=150)
    guest_email = forms.EmailField(label=_("E-mail address"))
    guest_organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
