"""Who may read which circular letters. Plain functions, tested in one matrix."""

from __future__ import annotations

from members.permissions import contact_of, is_coordinator


def sees_every_circular(user) -> bool:
    """Coordinators read every circular that went out, not only those sent to them."""
    return is_coordinator(user)


def can_read_archive(user) -> bool:
    """The archive: coordinators, and contacts of member municipalities (their letters)."""
    return sees_every_circular(user) or contact_of(user) is not None
