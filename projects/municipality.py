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
    return Section(
        template="projects/_municipality_section.html",
        context={**projects, **reuses, "can_write": own},
        order=20,
    )
