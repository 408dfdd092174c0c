"""The coordinator's side of moderation (:mod:`ikone.moderation`) in the admin.

:class:`ModerationEventInline` shows an object's history read-only; :class:`ReviewAdminMixin`
adds the review page: one box per :class:`ReviewStep` (a button, perhaps a small form), each
calling a service. The page template is ``admin/moderation/review.html``; an app's own
template extends it and fills the ``summary`` block (status, links).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from .admin_inlines import TabularInline
from .errors import DomainError


class ModerationEventInline(TabularInline):
    """The history of an object (a :class:`~ikone.moderation.ModerationEvent` subclass as
    ``model``), read-only: entries are written by the services only."""

    extra = 0
    can_delete = False
    fields = ["created_at", "action", "actor", "old_status", "new_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@dataclass(frozen=True)
class ReviewStep:
    """One box of the review page.

    ``button`` is the name of its submit button in the POST data; ``call(obj, user, data)``
    takes the step through a service (``data``: the cleaned ``form``, or ``{}``) and raises a
    :class:`~ikone.errors.DomainError` when a rule forbids it; ``done`` is the message after
    it succeeded.
    """

    button: str
    heading: str
    label: str
    call: Callable[[Any, Any, dict], Any]
    done: str
    form: type[forms.Form] | None = None


class ReviewAdminMixin:
    """The review page of a ``ModelAdmin`` at ``<pk>/<review_path>/``, named
    ``admin:<review_url_name>``. After a step succeeds it returns to the list."""

    review_path: str = "review"
    review_url_name: str
    review_template: str
    review_title: str
    review_object_name: str  # the object's name in the template's context

    def review_steps(self) -> list[ReviewStep]:
        raise NotImplementedError

    def get_urls(self):
        return [
            path(
                f"<int:pk>/{self.review_path}/",
                self.admin_site.admin_view(self.review_view),
                name=self.review_url_name,
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        obj = self.get_object(request, str(pk))
        if obj is None or not self.has_change_permission(request, obj):
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        boxes = [
            (step, step.form(request.POST if step.button in request.POST else None))
            if step.form is not None
            else (step, None)
            for step in self.review_steps()
        ]
        if request.method == "POST":
            for step, form in boxes:
                if step.button not in request.POST:
                    continue
                if form is not None and not form.is_valid():
                    break
                try:
                    step.call(obj, request.user, form.cleaned_data if form is not None else {})
                except DomainError as error:
                    self.message_user(request, str(error), messages.ERROR)
                    break
                self.message_user(request, str(step.done), messages.SUCCESS)
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            self.review_object_name: obj,
            "boxes": boxes,
            "title": self.review_title,
        }
        return render(request, self.review_template, context)
