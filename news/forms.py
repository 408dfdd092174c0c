from collections.abc import Mapping

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from members.models import Municipality, Topic
from projects.choosers import project_choice_field

from .models import Post


def post_content(data: Mapping, *, cover) -> dict:
    """The keyword arguments of ``services.save_post`` from a cleaned post form (the
    members' editor or the admin): what was written, and the uploaded ``cover`` if any.

    The municipality counts only for coordinators; the service ignores it for members.
    """
    return {
        "municipality": data.get("municipality"),
        "kind": data["kind"],
        "title": data["title"],
        "teaser": data["teaser"],
        "body": data.get("body", ""),
        "topics": data.get("topics", []),
        "cover": cover,
        "remove_cover": data.get("remove_cover", False),
        "cover_alt": data.get("cover_alt", ""),
        "meeting": data.get("meeting"),
        "project": data.get("project"),
    }


class PostForm(forms.ModelForm):
    """What a member writes. Validation of the rules happens in ``services.save_post``."""

    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    class Meta:
        model = Post
        fields = [
            "kind",
            "title",
            "teaser",
            "body",
            "cover_image",
            "cover_alt",
            "topics",
            "meeting",
            "project",
        ]
        widgets = {
            "teaser": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16, "data-news-preview-source": "true"}),
            "topics": forms.CheckboxSelectMultiple,
            "cover_image": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }

    def __init__(self, *args, coordinator=False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)
        # Only the profiles the writer may see; the service checks the choice again.
        self.fields["project"] = project_choice_field(
            user=user, help_text=_("The project profile this post is about, if any.")
        )
        self.fields["meeting"].queryset = (
            Meeting.objects.visible().select_related("series").order_by("-start")
        )
        self.fields["body"].required = False
        # A plain file field: the service checks the upload (type, size, pixels) and gives
        # the messages, so the form must not open the image with Pillow first.
        self.fields["cover_image"] = forms.FileField(
            label=self.fields["cover_image"].label,
            required=False,
            widget=forms.FileInput(attrs={"accept": "image/*"}),
            help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB."),
        )
        if not self.instance.cover_image:
            del self.fields["remove_cover"]
        if coordinator:
            self.fields["municipality"] = forms.ModelChoiceField(
                Municipality.objects.members(),
                required=False,
                label=_("Municipality"),
                initial=self.instance.municipality_id,
                help_text=_("Empty for posts of the coordination team."),
            )

    def clean_cover_image(self):
        """The service processes the upload; the model field must not validate it again."""
        return self.files.get(self.add_prefix("cover_image"))


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=200_000)


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the author change?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_publish_at(self):
        when = self.cleaned_data["publish_at"]
        if when <= timezone.now():
            raise forms.ValidationError(_("Please choose a future time."))
        return when
