"""Who may do what with project profiles. Plain functions, tested in one matrix."""

from django.db.models import Q

from members.permissions import contact_of, is_coordinator, is_member

from .models import ProjectProfile, members_condition, public_condition


def can_read_catalogue(user) -> bool:
    """Members and coordinators read every profile; the public only published ones."""
    return is_member(user) or is_coordinator(user)


def can_write_profiles(user) -> bool:
    return is_member(user) or is_coordinator(user)


def visible_projects(user):
    """The profiles ``user`` may open."""
    if can_read_catalogue(user):
        return ProjectProfile.objects.for_members()
    return ProjectProfile.objects.public()


def visible_project_condition(user, prefix: str = "") -> Q:
    """The condition of :func:`visible_projects` on a profile reached through ``prefix``
    (e.g. ``"project__"``): a join condition instead of a subquery of every profile."""
    if can_read_catalogue(user):
        return members_condition(prefix)
    return public_condition(prefix)


def can_view_project(user, project: ProjectProfile | None) -> bool:
    """Whether a page shown to ``user`` may link to ``project`` (no query: the profile is
    at hand). Members see every profile but the withdrawn ones, the public only public ones."""
    if project is None:
        return False
    if can_read_catalogue(user):
        return project.status != ProjectProfile.Status.ARCHIVED
    return project.is_public


def can_edit_profile(user, project: ProjectProfile) -> bool:
    """Coordinators edit every profile; members only their own municipality's."""
    if is_coordinator(user):
        return True
    contact = contact_of(user)
    return (
        contact is not None
        and project.municipality_id == contact.municipality_id
        and project.status != ProjectProfile.Status.ARCHIVED
    )


def can_moderate(user) -> bool:
    return is_coordinator(user)
