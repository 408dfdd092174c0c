"""The coordinator's side of the Stammtisch cycle: the minutes' lifecycle and their versions.

Hooked into the meeting admin as a mixin (``MeetingAdmin(MinutesAdminMixin, …)``), so the
meeting's change form stays where it is and only gains the state, the frozen fields and two
pages: *Minutes* (send round, corrections, approve, lock, addenda) and *Versions* (compare).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import minutes
from .models import Meeting, MinutesCorrection, MinutesStatus

DEFAULT_CORRECTION_DAYS = 14


class CirculateForm(forms.Form):
    deadline = forms.DateField(
        label=_("Corrections until"),
        help_text=_("Without an open correction by the end of this day, the minutes are approved."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("The deadline for corrections must be in the future."))
        return day

    def deadline_end(self) -> datetime:
        """The end of the chosen day, local time."""
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["deadline"], time(23, 59)),
            timezone.get_current_timezone(),
        )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown below the minutes with today's date."),
    )


class ResolveForm(forms.Form):
    correction = forms.IntegerField(widget=forms.HiddenInput)
    accepted = forms.TypedChoiceField(
        choices=[("1", _("taken over")), ("0", _("not taken over"))], coerce=lambda v: v == "1"
    )
    reply = forms.CharField(label=_("Reply"), required=False, max_length=2000)


class MinutesAdminMixin:
    """The minutes' state on the meeting's change form; frozen fields; the extra pages."""

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "minutes_lifecycle"]
        if obj is not None and not minutes.can_edit_minutes(obj):
            fields.append("minutes")
        if obj is not None and not minutes.can_edit_summary(obj):
            fields.append("public_summary")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append((_("State of the minutes"), {"fields": ["minutes_lifecycle"]}))
        return fieldsets

    @admin.display(description=_("state of the minutes"))
    def minutes_lifecycle(self, obj):
        if not obj or not obj.pk:
            return "–"
        state = obj.get_minutes_status_display()
        if obj.minutes_status == MinutesStatus.CIRCULATED and obj.minutes_deadline:
            state = _("%(state)s until %(date)s") % {
                "state": state,
                "date": date_format(timezone.localtime(obj.minutes_deadline), "DATETIME_FORMAT"),
            }
        return format_html(
            '<strong data-testid="minutes-state">{}</strong> · <a href="{}">{}</a> · '
            '<a href="{}">{}</a>',
            state,
            reverse("admin:meetings_meeting_minutes", args=[obj.pk]),
            _("Minutes: send round, corrections, approval"),
            reverse("admin:meetings_meeting_minutes_versions", args=[obj.pk]),
            _("Versions"),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if {"minutes", "public_summary"} & set(form.changed_data):
            minutes.record_version(meeting=form.instance, by=request.user)

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/protokoll/",
                self.admin_site.admin_view(self.minutes_view),
                name="meetings_meeting_minutes",
            ),
            path(
                "<int:pk>/protokoll/versionen/",
                self.admin_site.admin_view(self.minutes_versions_view),
                name="meetings_meeting_minutes_versions",
            ),
        ]
        return extra + super().get_urls()

    def _meeting_for_change(self, request, pk) -> Meeting:
        meeting = get_object_or_404(Meeting.objects.select_related("series"), pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        return meeting

    def _cycle_page(self, request, meeting, template, **context):
        return render(
            request,
            f"admin/meetings/meeting/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": Meeting._meta,
                "original": meeting,
                **context,
            },
        )

    def minutes_view(self, request, pk):
        meeting = self._meeting_for_change(request, pk)
        default_deadline = timezone.localdate() + timedelta(days=DEFAULT_CORRECTION_DAYS)
        circulate_form = CirculateForm(initial={"deadline": default_deadline})
        addendum_form = AddendumForm()
        if request.method == "POST":
            action = request.POST.get("action", "")
            try:
                if action == "circulate":
                    circulate_form = CirculateForm(request.POST)
                    if circulate_form.is_valid():
                        count = minutes.circulate_minutes(
                            meeting=meeting, deadline=circulate_form.deadline_end(), by=request.user
                        )
                        self.message_user(
                            request,
                            _("The minutes were sent round to %(count)d participants.")
                            % {"count": count},
                            messages.SUCCESS,
                        )
                        return redirect(request.path)
                elif action == "approve":
                    minutes.approve_minutes(meeting=meeting, by=request.user)
                    self.message_user(request, _("The minutes are approved."), messages.SUCCESS)
                    return redirect(request.path)
                elif action == "lock":
                    minutes.lock_minutes(meeting=meeting, by=request.user)
                    self.message_user(request, _("The minutes are locked."), messages.SUCCESS)
                    return redirect(request.path)
                elif action == "addendum":
                    addendum_form = AddendumForm(request.POST)
                    if addendum_form.is_valid():
                        minutes.add_addendum(
                            meeting=meeting,
                            text=addendum_form.cleaned_data["text"],
                            by=request.user,
                        )
                        self.message_user(request, _("The addendum was added."), messages.SUCCESS)
                        return redirect(request.path)
                elif action == "resolve":
                    form = ResolveForm(request.POST)
                    if form.is_valid():
                        correction = get_object_or_404(
                            MinutesCorrection, pk=form.cleaned_data["correction"], meeting=meeting
                        )
                        minutes.resolve_correction(
                            correction=correction,
                            accepted=form.cleaned_data["accepted"],
                            reply=form.cleaned_data["reply"],
                            by=request.user,
                        )
                        self.message_user(request, _("The correction was dealt with."))
                        return redirect(request.path)
                    self.message_user(
                        request, _("Please choose how to deal with it."), messages.ERROR
                    )
                else:
                    self.message_user(request, _("Unknown action."), messages.ERROR)
            except minutes.MinutesError as error:
                target = {"circulate": circulate_form, "addendum": addendum_form}.get(action)
                if target is not None and target.is_bound:
                    target.add_error(None, error.message)
                else:
                    self.message_user(request, error.message, messages.ERROR)
        meeting.refresh_from_db()
        return self._cycle_page(
            request,
            meeting,
            "minutes.html",
            title=_("Minutes"),
            circulate_form=circulate_form,
            addendum_form=addendum_form,
            corrections=list(meeting.minutes_corrections.select_related("contact__municipality")),
            addenda=list(meeting.minutes_addenda.all()),
            participants=minutes.participants(meeting),
            can_edit_minutes=minutes.can_edit_minutes(meeting),
            statuses=MinutesStatus,
        )

    def minutes_versions_view(self, request, pk):
        meeting = self._meeting_for_change(request, pk)
        versions = list(meeting.minutes_versions.select_related("saved_by"))
        by_number = {version.number: version for version in versions}
        diff = None
        old = new = None
        if len(versions) >= 2:
            try:
                old = by_number.get(int(request.GET.get("a", versions[1].number)))
                new = by_number.get(int(request.GET.get("b", versions[0].number)))
            except ValueError:
                old = new = None
            if old is None or new is None:
                old, new = versions[1], versions[0]
                if "a" in request.GET or "b" in request.GET:
                    self.message_user(
                        request,
                        _("There is no such version; the last two are compared."),
                        messages.WARNING,
                    )
            diff = {
                "minutes": minutes.compare(old.minutes, new.minutes),
                "public_summary": minutes.compare(old.public_summary, new.public_summary),
            }
        return self._cycle_page(
            request,
            meeting,
            "minutes_versions.html",
            title=_("Versions of the minutes"),
            versions=versions,
            old=old,
            new=new,
            diff=diff,
        )
