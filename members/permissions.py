"""Who may do what in the member network. Plain functions, tested in one matrix."""

from __future__ import annotations

from .models import Contact, Municipality


def is_coordinator(user) -> bool:
    """The network's coordination team: active staff users."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def contact_of(user) -> Contact | None:
    """The active contact record of a logged-in member, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    cached = getattr(user, "_ikone_contact", False)
    if cached is not False:
        return cached
    contact = Contact.objects.active().select_related("municipality").filter(user=user).first()
    user._ikone_contact = contact
    return contact


def is_member(user) -> bool:
    """A contact person of a current member municipality with a login."""
    return contact_of(user) is not None


def can_view_directory(user) -> bool:
    return is_member(user) or is_coordinator(user)


def can_edit_municipality(user, municipality: Municipality) -> bool:
    if is_coordinator(user):
        return True
    contact = contact_of(user)
    return contact is not None and contact.municipality_id == municipality.pk


def can_edit_contact(user, contact: Contact) -> bool:
    """Members edit only their own profile; coordinators use the admin."""
    own = contact_of(user)
    return own is not None and own.pk == contact.pk
