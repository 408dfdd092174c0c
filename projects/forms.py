from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from members.forms import https_urls
from members.models import Contact, Municipality, Topic

from .models import FieldOfAction, Funding, ProjectDocument, ProjectProfile, Reuse, Stage
from .services.profiles import NewDocument, ProjectData


class ProjectForm(forms.ModelForm):
    """What a member writes. The rules are checked in ``services.save_project``."""

    funding = forms.MultipleChoiceField(
        label=_("Funding"),
        choices=Funding.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    document = forms.FileField(
        label=_("Add a PDF"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
        help_text=_("A concept, an evaluation, slides: PDF, at most 10 MB."),
    )
    document_title = forms.CharField(label=_("Title of the PDF"), required=False, max_length=150)
    remove_documents = forms.ModelMultipleChoiceField(
        label=_("Remove these PDFs"),
        queryset=ProjectDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProjectProfile
        formfield_callback = https_urls
        fields = [
            "title",
            "summary",
            "description",
            "topics",
            "field_of_action",
            "stage",
            "stage_reason",
            "start",
            "end",
            "budget_band",
            "funding",
            "partner_municipalities",
            "outside_partners",
            "contacts",
            "links",
            "lessons_learned",
            "obstacles",
            "cover_image",
            "cover_alt",
            "is_software",
            "repository_url",
            "software_license",
            "software_version",
            "visibility",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "stage_reason": forms.Textarea(attrs={"rows": 3}),
            "outside_partners": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 3}),
            "lessons_learned": forms.Textarea(attrs={"rows": 6}),
            "obstacles": forms.Textarea(attrs={"rows": 4}),
            "topics": forms.CheckboxSelectMultiple,
            "partner_municipalities": forms.CheckboxSelectMultiple,
            "contacts": forms.CheckboxSelectMultiple,
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, municipality=None, coordinator=False, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.instance.municipality if self.instance.pk else municipality
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)
        self.fields["topics"].required = False  # the service says what is missing
        self.fields["field_of_action"].required = False
        self.fields["stage"].required = False
        self.fields["summary"].required = False
        self.fields["title"].required = False
        partners = Municipality.objects.members()
        contacts = Contact.objects.active().select_related("municipality")
        if owner is not None:
            partners = partners.exclude(pk=owner.pk)
            contacts = contacts.filter(municipality=owner)
        self.fields["partner_municipalities"].queryset = partners
        self.fields["contacts"].queryset = contacts
        self.fields["contacts"].label_from_instance = lambda contact: contact.full_name
        self.fields["budget_band"].choices = list(
            ProjectProfile._meta.get_field("budget_band").choices
        )
        # The service checks the upload (type, size, pixels): no Pillow in the form.
        self.fields["cover_image"] = forms.FileField(
            label=_("Cover image"),
            required=False,
            widget=forms.FileInput(attrs={"accept": "image/*"}),
            help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB."),
        )
        if self.instance.pk:
            self.fields["remove_documents"].queryset = self.instance.documents.all()
            self.initial.setdefault("funding", self.instance.funding)
        if not self.instance.pk or not self.instance.documents.exists():
            del self.fields["remove_documents"]
        if not self.instance.cover_image:
            del self.fields["remove_cover"]
        if coordinator and not self.instance.pk:
            self.fields["municipality"] = forms.ModelChoiceField(
                Municipality.objects.members(), label=_("Municipality")
            )
        for name in ("field_of_action", "stage"):
            self.fields[name].choices = [("", _("– please choose –"))] + list(
                (FieldOfAction if name == "field_of_action" else Stage).choices
            )

    def clean_cover_image(self):
        return self.files.get(self.add_prefix("cover_image"))

    def project_data(self) -> ProjectData:
        data = self.cleaned_data
        return ProjectData(
            title=data.get("title") or "",
            summary=data.get("summary") or "",
            description=data.get("description") or "",
            topics=list(data.get("topics") or []),
            field_of_action=data.get("field_of_action") or "",
            stage=data.get("stage") or "",
            stage_reason=data.get("stage_reason") or "",
            start=data.get("start"),
            end=data.get("end"),
            budget_band=data.get("budget_band") or "",
            funding=data.get("funding") or [],
            partner_municipalities=list(data.get("partner_municipalities") or []),
            outside_partners=data.get("outside_partners") or "",
            contacts=list(data.get("contacts") or []),
            links=data.get("links") or "",
            lessons_learned=data.get("lessons_learned") or "",
            obstacles=data.get("obstacles") or "",
            visibility=data.get("visibility") or "",
            cover_alt=data.get("cover_alt") or "",
            is_software=bool(data.get("is_software")),
            repository_url=data.get("repository_url") or "",
            software_license=data.get("software_license") or "",
            software_version=data.get("software_version") or "",
        )

    def new_documents(self) -> list[NewDocument]:
        upload = self.cleaned_data.get("document")
        if not upload:
            return []
        return [NewDocument(title=self.cleaned_data.get("document_title") or "", upload=upload)]


class QuickSelect(forms.Select):
    """A single select written in Python: Django's template-based widget renders one
    template per option, which was most of the project list's time."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = next(iter(self.format_value(value)), "")
        found = False
        options = []
        for option, label in self.choices:
            option = "" if option is None else str(option)
            selected = not found and option == chosen
            found = found or selected
            options.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option,
                    mark_safe(" selected") if selected else "",  # noqa: S308 - a constant
                    label,
                )
            )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(options)))  # noqa: S308 - escaped above


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    topic = forms.ModelChoiceField(
        Topic.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        label=_("Topic"),
        empty_label=_("All topics"),
        widget=QuickSelect,
    )
    stage = forms.ChoiceField(
        choices=[("", _("All stages")), *Stage.choices],
        required=False,
        label=_("Stage"),
        widget=QuickSelect,
    )
    municipality = forms.ModelChoiceField(
        Municipality.objects.members(),
        to_field_name="slug",
        required=False,
        label=_("Municipality"),
        empty_label=_("All municipalities"),
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name != "q" else "form-control"
        # The selects show slug and name only: one plain query each instead of model
        # instances read through a server-side cursor (three round trips on PostgreSQL).
        for name in ("topic", "municipality"):
            field = self.fields[name]
            field.widget.choices = [
                ("", field.empty_label),
                *field.queryset.values_list("slug", "name"),
            ]

    def clean_q(self):
        return (self.cleaned_data.get("q") or "").replace("\x00", "")


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the municipality change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReuseForm(forms.ModelForm):
    class Meta:
        model = Reuse
        fields = ["stage", "date", "effort", "lessons"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lessons": forms.Textarea(attrs={"rows": 3}),
        }


class AskForm(forms.Form):
    topic = forms.ModelChoiceField(
        Topic.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        label=_("Topic"),
        empty_label=_("– any topic –"),
    )
    text = forms.CharField(
        label=_("Or in your own words"),
        required=False,
        max_length=200,
        help_text=_("E.g. “Sensornetz LoRaWAN” or “Bürgerbeteiligung online”."),
    )


class AskConsentForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("I may be suggested on these topics"),
        help_text=_("Nothing ticked: you are not suggested at all."),
    )
    monthly_cap = forms.IntegerField(
        label=_("At most suggested to this many members a month"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Empty: no limit."),
    )


class PublicCodeForm(forms.Form):
    file = forms.FileField(
        label=_("publiccode.yml file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".yml,.yaml,text/yaml"}),
    )
    text = forms.CharField(
        label=_("… or paste its content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    def raw(self):
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(settings.IKONE_PUBLICCODE_MAX_BYTES + 1)
        return self.cleaned_data.get("text") or ""
