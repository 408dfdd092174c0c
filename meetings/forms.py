from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikone.storage import private_file_widget
from ikone.uploads import validate_pdf
from members.models import Municipality, Topic
from members.selectors import contact_audience
from projects.choosers import project_choice_field

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
            "project",
        ]
        widgets = {"slides": private_file_widget(link=_slides_link)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"] = project_choice_field(
            admin=True, help_text=_("The project profile the talk is about, if any.")
        )

    def clean_slides(self):
        slides = self.cleaned_data.get("slides")
        if slides and hasattr(slides, "content_type"):
            validate_pdf(slides)
        return slides


class AgendaItemListAdminForm(AgendaItemAdminForm):
    """The same on the admin's list of all agenda items, where no meeting's page sets the
    meeting (without it every new item failed on the database's NOT NULL)."""

    class Meta(AgendaItemAdminForm.Meta):
        fields = ["meeting", *AgendaItemAdminForm.Meta.fields]


class GuestForm(forms.Form):
    guest_name = forms.CharField(label=_("Name"), max_length=150)
    guest_email = forms.EmailField(label=_("E-mail address"))
    guest_organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "series",
            "kind",
            "title",
            "slug",
            "start",
            "end",
            "format",
            "location",
            "online_link",
            "description",
            "status",
            "is_public",
            "capacity",
            "registration_deadline",
            "workshop_limit",
            "public_summary",
            "minutes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Left empty: made from the title and date.")
        if self.instance.pk:
            # Status changes go through the actions (invite, cancel, held), not the form.
            self.fields["status"].disabled = True
        else:
            self.fields["status"].choices = [
                c for c in Meeting.Status.choices if c[0] in ("draft", "announced")
            ]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if not slug and self.instance.pk:
            return self.instance.slug
        return slug

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start")
        if not cleaned.get("title") and not cleaned.get("series"):
            self.add_error("title", _("Please give a title or choose a series."))
        if self.instance.is_cancelled and {"start", "end"} & set(self.changed_data):
            self.add_error("start", _("A cancelled meeting cannot be moved."))
        deadline = cleaned.get("registration_deadline")
        if deadline and start and deadline > start:
            self.add_error(
                "registration_deadline", _("The registration deadline must be before the start.")
            )
        return cleaned


class InviteForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.members(),
        required=False,
        label=_("Only contacts of these municipalities"),
        help_text=_("Empty: all active contact persons."),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        label=_("Only contacts interested in these topics"),
    )

    def contacts(self):
        """Nothing chosen in a field: that field does not narrow the audience."""
        return contact_audience(
            municipalities=self.cleaned_data.get("municipalities") or None,
            topics=self.cleaned_data.get("topics") or None,
        )


class MinutesCorrectionForm(forms.Form):
    """A participant's correction of the minutes sent round."""

    text = forms.CharField(
        label=_("Your correction"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Which passage is wrong or missing, and how it should read."),
    )


class ActionItemDoneForm(forms.Form):
    """The owner marks an action item done, optionally saying how."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. where the result can be found."),
    )
