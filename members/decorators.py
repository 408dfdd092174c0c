"""Who gets past a view's door: anonymous visitors go to the login page, logged-in people
without the right get a 403 (the permission functions themselves are in ``permissions``)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from . import permissions


def user_passes(test: Callable[[object], bool]) -> Callable:
    """A view decorator admitting logged-in users for whom ``test(user)`` holds."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def member_required(view):
    """Logged-in members of the network and coordinators."""
    return user_passes(permissions.can_view_directory)(view)


def contact_required(view):
    """Logged-in contact persons of a member municipality (coordinators without a contact
    record are refused: these views act for the member's own contact)."""
    return user_passes(permissions.is_member)(view)
