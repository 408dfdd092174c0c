"""A meeting's dates: proposing and scheduling, numbering, moving, cancelling, holding it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.text import unique_slug

from ..models import Meeting, MeetingSeries
from ..models.meetings import MAX_CADENCE_WEEKS
from .common import MeetingError
from .invitations import send_update


def _blackout_containing(day: date, blackouts) -> object | None:
    for blackout in blackouts:
        if blackout.start <= day <= blackout.end:
            return blackout
    return None


def propose_next_date(*, series: MeetingSeries, after: date | None = None) -> date:
    """The next meeting day: one cadence after the last meeting, outside blackout periods.

    A proposal inside a blackout moves on by whole weeks (same weekday) until it is past it:
    "the next Stammtisch takes place after the summer holidays".
    """
    weeks = series.cadence_weeks or 6
    if not 1 <= weeks <= MAX_CADENCE_WEEKS:  # an unsaved value the form is about to refuse
        raise MeetingError(
            _("The cadence must be 1 to %(weeks)s weeks.") % {"weeks": MAX_CADENCE_WEEKS}
        )
    step = timedelta(weeks=weeks)
    last = (
        series.meetings.exclude(status=Meeting.Status.CANCELLED)
        .order_by("-start")
        .values_list("start", flat=True)
        .first()
    )
    if after is None:
        if last is not None:
            day = timezone.localtime(last).date() + step
        else:
            day = timezone.localdate() + timedelta(days=7)
    else:
        day = after + step
    today = timezone.localdate()
    while day <= today:
        day += step
    blackouts = list(series.blackouts.all())
    for _guard in range(200):
        blackout = _blackout_containing(day, blackouts)
        if blackout is None:
            return day
        weeks = (blackout.end - day).days // 7 + 1
        day += timedelta(weeks=weeks)
    return day


def renumber_series(*, series: MeetingSeries, year: int) -> None:
    """Number the series' meetings of ``year`` by date: 1., 2., 3. … (cancelled ones: none)."""
    tz = timezone.get_current_timezone()
    first = datetime(year, 1, 1, tzinfo=tz)
    last = datetime(year + 1, 1, 1, tzinfo=tz)
    meetings = list(
        series.meetings.select_for_update()
        .filter(start__gte=first, start__lt=last)
        .order_by("start", "id")
    )
    number = 0
    for meeting in meetings:
        wanted = None
        if meeting.status != Meeting.Status.CANCELLED:
            number += 1
            wanted = number
        if meeting.number != wanted:
            meeting.number = wanted
            meeting.save(update_fields=["number"])


def _slug_for(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.start)
    base = f"{meeting.display_title} {start:%Y-%m-%d}"
    if str(start.year) in meeting.display_title:
        base = f"{meeting.display_title} {start:%m-%d}"
    return unique_slug(Meeting.objects.all(), base, max_length=200, exclude=meeting)


def schedule_meeting(
    *,
    series: MeetingSeries,
    day: date | None = None,
    status: str = Meeting.Status.DRAFT,
    by=None,
) -> Meeting:
    """Create the series' next meeting on ``day`` (default: the proposed date)."""
    with transaction.atomic():
        MeetingSeries.objects.select_for_update().get(pk=series.pk)
        day = day or propose_next_date(series=series)
        start = timezone.make_aware(
            datetime.combine(day, series.default_start_time or time(10)),
            timezone.get_current_timezone(),
        )
        meeting = Meeting(
            series=series,
            kind=series.kind,
            start=start,
            end=start + timedelta(minutes=series.default_duration_minutes or 120),
            format=series.format,
            online_link=series.online_link,
            description=series.description,
            status=status,
        )
        meeting.slug = f"tmp-{timezone.now().timestamp()}"
        meeting.save()
        renumber_series(series=series, year=start.astimezone(start.tzinfo).year)
        meeting.refresh_from_db()
        meeting.slug = _slug_for(meeting)
        meeting.save(update_fields=["slug"])
        return meeting


# Written by their own rules (reschedule_meeting), not copied from an edited meeting.
_NOT_EDITED = {"start", "end", "ical_sequence"}


def save_meeting(*, meeting: Meeting, by=None) -> Meeting:
    """Save a meeting as a coordinator edited it in the admin (new or changed).

    A new meeting gets what was left empty (slug, number). A changed one is saved as it is,
    except a new start or end: that goes through :func:`reschedule_meeting`, so everybody
    invited or registered gets the updated calendar entry. ``meeting`` ends up as stored.
    """
    if meeting.pk is None:
        return _save_new_meeting(meeting)
    with transaction.atomic():
        stored = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        edited = [
            field.attname
            for field in Meeting._meta.concrete_fields
            if not field.primary_key and field.name not in _NOT_EDITED
        ]
        for name in edited:
            setattr(stored, name, getattr(meeting, name))
        stored.save(update_fields=edited)
        if (meeting.start, meeting.end) != (stored.start, stored.end):
            reschedule_meeting(meeting=stored, start=meeting.start, end=meeting.end, by=by)
        meeting.refresh_from_db()
        return meeting


def _save_new_meeting(meeting: Meeting) -> Meeting:
    with transaction.atomic():
        if meeting.end and meeting.start and meeting.end <= meeting.start:
            raise MeetingError(_("The end must be after the start."), field="end")
        if not meeting.slug:
            meeting.slug = f"tmp-{timezone.now().timestamp()}"
        meeting.save()
        if meeting.series_id:
            renumber_series(series=meeting.series, year=timezone.localtime(meeting.start).year)
            meeting.refresh_from_db()
        if meeting.slug.startswith("tmp-"):
            meeting.slug = _slug_for(meeting)
            meeting.save(update_fields=["slug"])
        return meeting


def reschedule_meeting(*, meeting: Meeting, start: datetime, end: datetime, by=None) -> Meeting:
    """Move a meeting; everybody invited or registered gets an updated calendar entry."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("series")
            .get(pk=meeting.pk)
        )
        if meeting.is_cancelled:
            raise MeetingError(_("A cancelled meeting cannot be moved."))
        if end <= start:
            raise MeetingError(_("The end must be after the start."), field="end")
        if start == meeting.start and end == meeting.end:
            return meeting
        previous_start = meeting.start
        old_year = timezone.localtime(meeting.start).year
        meeting.start, meeting.end = start, end
        meeting.ical_sequence += 1
        meeting.save(update_fields=["start", "end", "ical_sequence", "updated_at"])
        if meeting.series_id:
            renumber_series(series=meeting.series, year=old_year)
            renumber_series(series=meeting.series, year=timezone.localtime(start).year)
            meeting.refresh_from_db()
        if meeting.status != Meeting.Status.DRAFT:
            sent = send_update(meeting, cancel=False, previous_start=previous_start)
            audit.record(
                action=AuditAction.MEETING_RESCHEDULED,
                obj=meeting,
                by=by,
                data={
                    "start": [previous_start.isoformat(), start.isoformat()],
                    "recipients": sent,
                },
            )
        return meeting


def cancel_meeting(*, meeting: Meeting, by=None) -> Meeting:
    """Cancel: METHOD:CANCEL with a higher SEQUENCE to everybody invited or registered."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("series")
            .get(pk=meeting.pk)
        )
        if meeting.is_cancelled:
            raise MeetingError(_("This meeting is already cancelled."))
        if meeting.status == Meeting.Status.HELD:
            raise MeetingError(_("A meeting that was held cannot be cancelled."))
        was_announced = meeting.status == Meeting.Status.ANNOUNCED
        meeting.status = Meeting.Status.CANCELLED
        meeting.ical_sequence += 1
        meeting.save(update_fields=["status", "ical_sequence", "updated_at"])
        sent = send_update(meeting, cancel=True) if was_announced else 0
        audit.record(
            action=AuditAction.MEETING_CANCELLED,
            obj=meeting,
            by=by,
            data={"was_announced": was_announced, "recipients": sent},
        )
        if meeting.series_id:
            renumber_series(series=meeting.series, year=timezone.localtime(meeting.start).year)
        return meeting


def mark_held(*, meeting: Meeting, by=None) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise MeetingError(_("A cancelled meeting cannot have been held."))
        if meeting.start > timezone.now():
            raise MeetingError(_("This meeting has not started yet."))
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
        return meeting
