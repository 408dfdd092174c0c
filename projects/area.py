"""The catalogue on the member's start page: profiles sent back, profiles to update."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ikone.member_area import Todo, add_card, add_todos

from . import selectors
from .models import ProjectProfile


@add_todos
def profiles_to_revise(contact):
    own = ProjectProfile.objects.filter(municipality_id=contact.municipality_id)
    returned = own.filter(status=ProjectProfile.Status.CHANGES_REQUESTED).only("slug", "title")
    for project in returned[:10]:
        yield Todo(
            text=_("Revise the project profile “%(title)s”") % {"title": project.title},
            detail=_("The coordination team asked for changes."),
            url=reverse("projects:edit", kwargs={"slug": project.slug}),
            action=_("Revise"),
        )
    stale = selectors.stale_projects().filter(municipality_id=contact.municipality_id)
    for project in stale.only("slug", "title")[:10]:
        yield Todo(
            text=_("Bring the project profile “%(title)s” up to date") % {"title": project.title},
            detail=_("It was last updated more than a year ago."),
            url=reverse("projects:edit", kwargs={"slug": project.slug}),
            action=_("Update"),
        )


@add_todos
def reuse_to_confirm(contact):
    for reuse in selectors.reuses_waiting_for(municipality=contact.municipality)[:10]:
        yield Todo(
            text=_("%(municipality)s took up “%(title)s”: please confirm")
            % {"municipality": reuse.municipality.name, "title": reuse.project.title},
            detail=_("Only confirmed reuse counts on the public pages."),
            url=reverse("projects:detail", kwargs={"slug": reuse.project.slug}) + "#reuse",
            action=_("Confirm or decline"),
        )


add_card("projects/_area_card.html", order=55)
