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
from django.utils.translation import pgettext_lazy

from . import agenda_proposal, minutes
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
    reply = forms.CharField(
        label=pgettext_lazy("answer to a correction", "Reply"), required=False, max_length=2000
    )


_FROZEN_MESSAGES = {
    "minutes": _("Approved minutes cannot be edited any more: add an addendum instead."),
    "public_summary": _("The minutes are locked: the public summary is final."),
}


def _frozen_texts(meeting) -> list[str]:
    """The texts the minutes' state no longer lets anyone change."""
    if meeting is None:
        return []
    frozen = []
    if not minutes.can_edit_minutes(meeting):
        frozen.append("minutes")
    if not minutes.can_edit_summary(meeting):
        frozen.append("public_summary")
    return frozen


def _text(value) -> str:
    """A text as compared for changes: a browser's line ends and outer blanks do not count."""
    return (value or "").replace("\r\n", "\n").strip()


class MinutesAdminMixin:
    """The minutes' state on the meeting's change form; frozen fields; the extra pages."""

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "minutes_lifecycle"]
        for name in _frozen_texts(obj):
            # Shown, not editable. A form posted with the field anyway (an old tab, a script)
            # gets it back as a field so the refusal can show what was typed.
            if not (request.method == "POST" and name in request.POST):
                fields.append(name)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        frozen = _frozen_texts(obj)
        if not frozen:
            return form

        class FrozenTextsForm(form):
            def clean(self):
                data = super().clean()
                for name in frozen:
                    if name not in self.fields:
                        continue
                    stored = getattr(self.instance, name)
                    if _text(data.get(name)) != _text(stored):
                        self.add_error(name, _FROZEN_MESSAGES[name])
                    else:  # the same text: stored exactly as it was
                        data[name] = stored
                return data

        return FrozenTextsForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        fieldsets.append((_("Invitation list"), {"fields": ["invited_municipalities"]}))
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
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            state,
            reverse("admin:meetings_meeting_minutes", args=[obj.pk]),
            _("Minutes: send round, corrections, approval"),
            reverse("admin:meetings_meeting_minutes_versions", args=[obj.pk]),
            _("Versions"),
            reverse("admin:meetings_meeting_agenda_proposal", args=[obj.pk]),
            _("Propose an agenda"),
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
            path(
                "<int:pk>/tagesordnung-vorschlagen/",
                self.admin_site.admin_view(self.agenda_proposal_view),
                name="meetings_meeting_agenda_proposal",
            ),
            path(
                "themen/",
                self.admin_site.admin_view(self.topic_coverage_view),
                name="meetings_meeting_topic_coverage",
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

    # --- Agenda from the ranking ------------------------------------------------------------

    def agenda_proposal_view(self, request, pk):
        meeting = self._meeting_for_change(request, pk)
        try:
            proposal = agenda_proposal.propose(meeting=meeting)
        except agenda_proposal.AgendaProposalError as error:
            return self._cycle_page(
                request,
                meeting,
                "agenda_proposal.html",
                title=_("Propose an agenda"),
                refused=error.message,
            )
        rows = _proposal_rows(proposal)
        if request.method == "POST":
            for row in rows:
                key = row["key"]
                row["checked"] = key in request.POST.getlist("pick")
                row["title"] = request.POST.get(f"title-{key}", row["title"])
                row["speaker"] = request.POST.get(f"speaker-{key}", row["speaker"])
                row["order"] = request.POST.get(f"order-{key}", row["order"])
            chosen = [row for row in rows if row["checked"]]
            chosen.sort(key=lambda row: (_as_number(row["order"]), rows.index(row)))
            try:
                created = agenda_proposal.create_agenda(
                    meeting=meeting,
                    picks=[
                        agenda_proposal.Pick(
                            title=row["title"],
                            speaker=row["speaker"],
                            topic_ids=row["topic_ids"],
                            description=row["description"],
                        )
                        for row in chosen
                    ],
                    by=request.user,
                )
            except agenda_proposal.AgendaProposalError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(count)d agenda items were created.") % {"count": len(created)},
                    messages.SUCCESS,
                )
                return redirect("admin:meetings_meeting_change", meeting.pk)
        return self._cycle_page(
            request,
            meeting,
            "agenda_proposal.html",
            title=_("Propose an agenda"),
            proposal=proposal,
            rows=rows,
        )

    def topic_coverage_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        ranking, rows = agenda_proposal.topic_coverage()
        return render(
            request,
            "admin/meetings/meeting/topic_coverage.html",
            {
                **self.admin_site.each_context(request),
                "opts": Meeting._meta,
                "title": _("Topic coverage"),
                "ranking": ranking,
                "rows": rows,
            },
        )


def _as_number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 999


def _proposal_rows(proposal) -> list[dict]:
    """The candidates of the proposal as form rows: fixed item, open points, topics."""
    rows = []
    order = 1
    if proposal.previous is not None:
        rows.append(
            {
                "key": "approve",
                "kind": "approve",
                "checked": True,
                "title": str(_("Approval of the minutes of the last meeting")),
                "detail": proposal.previous.display_title,
                "speaker": "",
                "order": order,
                "topic_ids": (),
                "description": "",
                "speakers": [],
            }
        )
        order += 1
    if proposal.open_items:
        rows.append(
            {
                "key": "open",
                "kind": "open",
                "checked": True,
                "title": str(_("Open points")),
                "detail": "; ".join(item.what for item in proposal.open_items),
                "speaker": "",
                "order": order,
                "topic_ids": (),
                "description": "\n".join(
                    f"- {item.what} ({item.owner_display or '–'})" for item in proposal.open_items
                ),
                "speakers": [],
            }
        )
        order += 1
    for suggestion in proposal.topics:
        rows.append(
            {
                "key": f"topic-{suggestion.rank}",
                "kind": "topic",
                "checked": False,
                "title": suggestion.topic.name if suggestion.topic else suggestion.label,
                "detail": "",
                "rank": suggestion.rank,
                "points": suggestion.points,
                "speaker": suggestion.speakers[0].name if suggestion.speakers else "",
                "order": order,
                "topic_ids": (suggestion.topic.pk,) if suggestion.topic else (),
                "description": "",
                "speakers": suggestion.speakers,
            }
        )
        order += 1
    return rows


def invitation_list_initial(queryset) -> dict:
    """The invitation form starts with the meeting's invitation list (one meeting chosen)."""
    meetings = list(queryset[:2])
    if len(meetings) != 1:
        return {}
    return {"municipalities": list(meetings[0].invited_municipalities.all())}
