"""The loop of an admin action: call a service for each selected object, report each refusal.

A refusal (a :class:`~ikone.errors.DomainError`) names its object in an error message and
the loop goes on with the next one, so one cancelled meeting does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages

from .errors import DomainError


def for_each_selected(
    model_admin,
    request,
    objects: Iterable,
    call: Callable[[Any], Any],
    *,
    success: Callable[[Any, Any], str] | None = None,
    success_level: int = messages.SUCCESS,
    name: Callable[[Any], str] = str,
) -> list:
    """``call(obj)`` for each object; the results of those that succeeded, in order.

    ``success(obj, result)`` gives the message for each success (none without it); a
    refusal reads "<name(obj)>: <reason>".
    """
    results = []
    for obj in objects:
        try:
            result = call(obj)
        except DomainError as error:
            model_admin.message_user(request, f"{name(obj)}: {error}", messages.ERROR)
            continue
        results.append(result)
        if success is not None:
            model_admin.message_user(request, success(obj, result), success_level)
    return results
