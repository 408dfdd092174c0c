"""The catalogue's part of a municipality's page: its projects and reuse in both directions."""

from ikone.municipality_page import Section, add_section
from members.permissions import contact_of

from . import selectors


@add_section
def projects_section(request, municipality):
    projects = selectors.projects_of_municipality(user=request.user, municipality=municipality)
    reuses = selectors.reuses_of_municipality(user=request.user, municipality=municipality)
    contact = contact_of(request.user)
    own = contact is not None and contact.municipality_id == municipality.pk
    shown = len(projects["own"]) + len(projects["partner"])
    every = projects["own_count"] + projects["partner_count"]
    return Section(
        template="projects/_municipality_section.html",
        context={
            **projects,
            **reuses,
            "slug": municipality.slug,
            "all_projects": every,
            "more_projects": every > shown,
            "more_taken": reuses["taken_count"] - len(reuses["taken"]),
            "more_given": reuses["given_count"] - len(reuses["given"]),
            "can_write": own,
        },
        order=20,
    )
