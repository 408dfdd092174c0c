from . import permissions


def membership(request) -> dict:
    """Expose the member's contact record and role flags to every template (lazily)."""
    user = getattr(request, "user", None)
    return {
        "current_contact": lambda: permissions.contact_of(user),
        "is_member": lambda: permissions.is_member(user),
        "is_coordinator": lambda: permissions.is_coordinator(user),
    }
