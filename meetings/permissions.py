"""Who may see what of a meeting. Plain functions, tested in one matrix."""

from members.permissions import contact_of, is_coordinator, is_member


def can_view_meeting(user, meeting) -> bool:
    """Drafts only for coordinators; members-only meetings for members and coordinators."""
    if is_coordinator(user):
        return True
    if meeting.status == meeting.Status.DRAFT:
        return False
    return meeting.is_public or is_member(user)


def can_register(user) -> bool:
    return is_member(user)


def can_read_minutes(user) -> bool:
    return is_member(user) or is_coordinator(user)


def can_see_online_link(user, meeting, registration=None) -> bool:
    """Only members with an active place (and coordinators) see the online link."""
    if is_coordinator(user):
        return True
    contact = contact_of(user)
    if contact is None or registration is None:
        return False
    return registration.contact_id == contact.pk and registration.status == "registered"
