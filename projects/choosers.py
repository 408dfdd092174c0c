"""The project chooser of other apps' forms (a talk or a post names the project it is about).

Only profiles the writer may see are offered: members and coordinators every profile but the
withdrawn ones. A choice outside them (a withdrawn profile, a forged id) is a form error.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import ProjectProfile


class ProjectChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "This project profile cannot be chosen: it was withdrawn or you cannot see it."
        ),
    }

    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.municipality.name})"


def project_choice_field(
    *, user=None, admin: bool = False, required: bool = False, **kwargs
) -> ProjectChoiceField:
    """A chooser of the profiles ``user`` may see (one query, when it is rendered); in the
    admin (``admin=True``, the coordinators') every profile but the withdrawn ones."""
    visible = ProjectProfile.objects.for_members() if admin else permissions.visible_projects(user)
    queryset = visible.select_related("municipality").order_by("title", "pk")
    return ProjectChoiceField(
        queryset,
        required=required,
        label=kwargs.pop("label", _("Project")),
        help_text=kwargs.pop("help_text", _("The project profile this is about, if any.")),
        **kwargs,
    )
