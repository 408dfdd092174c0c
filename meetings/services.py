"""Every write with rules about meetings: scheduling, registration, waiting lists, invitations.

Capacity is protected by row locks: registering locks the meeting row and the chosen
workshop rows (``SELECT … FOR UPDATE`` on PostgreSQL, in id order so two requests never wait
for each other crosswise), then counts and inserts while holding them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.errors import DomainError
from ikone.outbox.models import OutboundEmail
from ikone.outbox.services import Attachment, Message, queue_emails
from ikone.privacy import ANONYMOUS_DOMAIN
from ikone.text import unique_slug
from members.models import Contact

from . import ical
from .models import (
    CalendarToken,
    Invitation,
    Meeting,
    MeetingSeries,
    Registration,
    Workshop,
    WorkshopSeat,
)

ICS_MIMETYPE_REQUEST = "text/calendar; method=REQUEST; charset=utf-8"
ICS_MIMETYPE_CANCEL = "text/calendar; method=CANCEL; charset=utf-8"


class MeetingError(DomainError):
    """A rule about meetings or registrations forbids the change."""


def _record(obj, message: str, *, by=None) -> None:
    """An audit entry for a coordinator's action that is more than a field change."""
    audit.record(action="action", obj=obj, message=message, actor=by)


# --- Scheduling -----------------------------------------------------------------------------


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
    step = timedelta(weeks=series.cadence_weeks or 6)
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


def prepare_new_meeting(*, meeting: Meeting) -> Meeting:
    """Fill what a coordinator leaves empty in the admin (slug, number); saves the meeting."""
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


# --- Mail helpers ---------------------------------------------------------------------------


def _context(meeting: Meeting, **extra) -> dict:
    from django.conf import settings

    return {
        "meeting": meeting,
        "title": meeting.display_title,
        "start": meeting.start,
        "end": meeting.end,
        "url": settings.SITE_URL + meeting.get_absolute_url(),
        **extra,
    }


def _language_of(contact: Contact | None) -> str | None:
    return contact.language if contact is not None else None


def _reachable(email: str) -> bool:
    """False for the placeholder address of a person who was anonymised (GDPR)."""
    return bool(email) and not email.lower().endswith("@" + ANONYMOUS_DOMAIN)


def _ics_attachment(text: str, *, cancel: bool = False) -> Attachment:
    return Attachment(
        filename="einladung.ics",
        mimetype=ICS_MIMETYPE_CANCEL if cancel else ICS_MIMETYPE_REQUEST,
        text=text,
    )


# --- Invitations and updates ----------------------------------------------------------------


def send_invitations(
    *, meeting: Meeting, contacts: Iterable[Contact] | None = None, by=None
) -> int:
    """Invite contacts (default: all active) by e-mail with an ``.ics`` attached.

    A draft meeting is announced by this. Each address is recorded, so later changes and a
    cancellation reach the same people. Returns how many mails were queued.
    """
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("series")
            .get(pk=meeting.pk)
        )
        if meeting.is_cancelled:
            raise MeetingError(_("A cancelled meeting cannot be announced."))
        if meeting.is_past:
            raise MeetingError(_("This meeting is already over."))
        if meeting.status == Meeting.Status.DRAFT:
            meeting.status = Meeting.Status.ANNOUNCED
            meeting.save(update_fields=["status", "updated_at"])
        if contacts is None:
            contacts = Contact.objects.active()
        recipients = {}
        for contact in contacts:
            if contact.is_active and _reachable(contact.email):
                recipients.setdefault(contact.email.lower(), contact)
        ics_text = ical.invitation(meeting)
        attachment = _ics_attachment(ics_text)
        reference = f"meetings.invitation:{meeting.pk}"
        base_context = _context(meeting)
        messages = [
            Message(
                to=email,
                template="meetings/invitation",
                context={**base_context, "name": contact.full_name},
                language=_language_of(contact),
                attachments=[attachment],
                # invitations are essential: they arrive also for "only essential mail"
                category=OutboundEmail.Category.ESSENTIAL,
                reference=reference,
            )
            for email, contact in recipients.items()
        ]
        queue_emails(messages)
        now = timezone.now()
        Invitation.objects.bulk_create(
            [
                Invitation(
                    meeting=meeting,
                    contact=contact,
                    email=email,
                    sequence=meeting.ical_sequence,
                    sent_at=now,
                )
                for email, contact in recipients.items()
            ],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["meeting", "email"],
            update_fields=["sequence", "sent_at"],
        )
        _record(meeting, f"invitation sent to {len(messages)} recipients", by=by)
        return len(messages)


def _update_recipients(meeting: Meeting) -> dict[str, Contact | None]:
    """Everybody who got the invitation or holds a place."""
    recipients: dict[str, Contact | None] = {}
    for invitation in meeting.invitations.select_related("contact"):
        recipients.setdefault(invitation.email.lower(), invitation.contact)
    for registration in meeting.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).select_related("contact"):
        recipients.setdefault(registration.email.lower(), registration.contact)
    return {email: contact for email, contact in recipients.items() if _reachable(email)}


def _send_update(meeting: Meeting, *, cancel: bool, previous_start=None) -> int:
    ics_text = ical.invitation(meeting, cancel=cancel)
    attachment = _ics_attachment(ics_text, cancel=cancel)
    template = "meetings/cancellation" if cancel else "meetings/update"
    base_context = _context(meeting, previous_start=previous_start)
    recipients = _update_recipients(meeting)
    queue_emails(
        Message(
            to=email,
            template=template,
            context={**base_context, "name": contact.full_name if contact else ""},
            language=_language_of(contact),
            attachments=[attachment],
            reference=f"meetings.update:{meeting.pk}:{meeting.ical_sequence}",
        )
        for email, contact in recipients.items()
    )
    meeting.invitations.update(sequence=meeting.ical_sequence)
    return len(recipients)


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
            sent = _send_update(meeting, cancel=False, previous_start=previous_start)
            _record(
                meeting,
                f"new time ({timezone.localtime(previous_start):%d.%m.%Y %H:%M} → "
                f"{timezone.localtime(start):%d.%m.%Y %H:%M}) sent to {sent} recipients",
                by=by,
            )
        return meeting


def cancellation_recipient_count(meeting: Meeting) -> int:
    """How many people a cancellation of the meeting would write to (none for a draft)."""
    if meeting.status != Meeting.Status.ANNOUNCED:
        return 0
    return len(_update_recipients(meeting))


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
        if was_announced:
            sent = _send_update(meeting, cancel=True)
            _record(meeting, f"cancellation sent to {sent} recipients", by=by)
        else:
            _record(meeting, "cancelled before it was announced (nobody told)", by=by)
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


# --- Registration ---------------------------------------------------------------------------


def _check_open(meeting: Meeting, *, now=None) -> None:
    now = now or timezone.now()
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting has been cancelled."))
    if meeting.status != Meeting.Status.ANNOUNCED or meeting.end < now:
        raise MeetingError(_("Registration for this meeting is closed."))
    if meeting.start < now:
        raise MeetingError(_("This meeting has already begun."))
    if meeting.registration_deadline and meeting.registration_deadline < now:
        raise MeetingError(_("The registration deadline has passed."))


def _lock_workshops(meeting: Meeting, workshops: Sequence[Workshop]) -> list[Workshop]:
    ids = sorted({w.pk for w in workshops})
    locked = list(Workshop.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids) or any(w.meeting_id != meeting.pk for w in locked):
        raise MeetingError(_("Please choose workshops of this meeting."), field="workshops")
    return locked


def _confirmed_counts(workshop_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        WorkshopSeat.objects.filter(
            workshop_id__in=list(workshop_ids), status=WorkshopSeat.Status.CONFIRMED
        )
        .values("workshop_id")
        .annotate(n=Count("id"))
    )
    return {row["workshop_id"]: row["n"] for row in rows}


def _check_workshop_rules(meeting: Meeting, workshops: Sequence[Workshop]) -> None:
    if len(workshops) > meeting.workshop_limit:
        raise MeetingError(
            _("You can register for at most %(limit)d workshops.")
            % {"limit": meeting.workshop_limit},
            field="workshops",
        )
    rounds: set[int] = set()
    for workshop in workshops:
        if workshop.round in rounds:
            raise MeetingError(
                _("Please choose at most one workshop in round %(round)d.")
                % {"round": workshop.round},
                field="workshops",
            )
        rounds.add(workshop.round)


def _take_seats(
    registration: Registration, workshops: Sequence[Workshop], *, waitlist: bool
) -> list[WorkshopSeat]:
    counts = _confirmed_counts(w.pk for w in workshops)
    # Somebody on the meeting's waiting list waits for the workshops as well.
    on_waiting_list = registration.status == Registration.Status.WAITING
    seats = []
    for workshop in workshops:
        full = on_waiting_list or counts.get(workshop.pk, 0) >= workshop.capacity
        if full and not waitlist:
            raise MeetingError(
                _("The workshop “%(title)s” is full. You can join its waiting list.")
                % {"title": workshop.title},
                field="workshops",
            )
        seats.append(
            WorkshopSeat(
                registration=registration,
                workshop=workshop,
                status=WorkshopSeat.Status.WAITING if full else WorkshopSeat.Status.CONFIRMED,
            )
        )
    WorkshopSeat.objects.bulk_create(seats)
    return seats


def register(
    *,
    contact: Contact,
    meeting: Meeting,
    workshops: Sequence[Workshop] = (),
    waitlist: bool = False,
    by=None,
) -> Registration:
    """Register a member for a meeting and up to ``workshop_limit`` workshops (one per round).

    A full meeting or workshop raises an error, unless ``waitlist`` is set: then the place is
    on the waiting list and moves up when somebody cancels.
    """
    workshops = list(workshops)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_open(meeting)
        if not contact.is_active:
            raise MeetingError(_("Only active contact persons can register."))
        if (
            meeting.registrations.filter(contact=contact)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            raise MeetingError(_("You are already registered for this meeting."))
        _check_workshop_rules(meeting, workshops)
        locked = _lock_workshops(meeting, workshops)
        status = Registration.Status.REGISTERED
        if meeting.capacity is not None:
            taken = meeting.registrations.filter(status=Registration.Status.REGISTERED).count()
            if taken >= meeting.capacity:
                if not waitlist:
                    raise MeetingError(
                        _("This meeting is fully booked. You can join the waiting list.")
                    )
                status = Registration.Status.WAITING
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    meeting=meeting, contact=contact, status=status, created_by=by
                )
        except IntegrityError:
            raise MeetingError(_("You are already registered for this meeting.")) from None
        _take_seats(registration, locked, waitlist=waitlist)
        return registration


def change_workshops(
    *, registration: Registration, workshops: Sequence[Workshop], waitlist: bool = False, by=None
) -> Registration:
    """Replace a registration's workshop choice; freed seats go to the waiting list."""
    workshops = list(workshops)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        _check_open(meeting)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            raise MeetingError(_("This registration has been cancelled."))
        _check_workshop_rules(meeting, workshops)
        current = {
            seat.workshop_id: seat
            for seat in registration.seats.exclude(status=WorkshopSeat.Status.CANCELLED)
        }
        wanted_ids = {w.pk for w in workshops}
        involved = [*workshops, *[Workshop(pk=pk) for pk in current if pk not in wanted_ids]]
        locked = _lock_workshops(meeting, involved)
        dropped = [w for w in locked if w.pk in current and w.pk not in wanted_ids]
        added = [w for w in locked if w.pk in wanted_ids and w.pk not in current]
        now = timezone.now()
        for workshop in dropped:
            seat = current[workshop.pk]
            seat.status = WorkshopSeat.Status.CANCELLED
            seat.save(update_fields=["status"])
        _take_seats(registration, added, waitlist=waitlist)
        for workshop in dropped:
            _promote_workshop(workshop, now=now)
        return registration


def cancel_registration(*, registration: Registration, by=None) -> Registration:
    """Give up a place; the first on each waiting list moves up and is told by e-mail."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            raise MeetingError(_("This registration has already been cancelled."))
        if meeting.end < timezone.now():
            raise MeetingError(_("This meeting is already over."))
        seats = list(registration.seats.exclude(status=WorkshopSeat.Status.CANCELLED))
        workshops = _lock_workshops(meeting, [seat.workshop for seat in seats]) if seats else []
        was_registered = registration.status == Registration.Status.REGISTERED
        now = timezone.now()
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        registration.seats.filter(pk__in=[s.pk for s in seats]).update(
            status=WorkshopSeat.Status.CANCELLED
        )
        if was_registered:
            _promote_meeting(meeting, now=now)
        for workshop in workshops:
            _promote_workshop(workshop, now=now)
        return registration


def _promote_meeting(meeting: Meeting, *, now) -> list[Registration]:
    if meeting.capacity is None or meeting.is_past:
        return []
    taken = meeting.registrations.filter(status=Registration.Status.REGISTERED).count()
    free = meeting.capacity - taken
    if free <= 0:
        return []
    promoted = list(
        meeting.registrations.select_for_update(of=("self",))
        .filter(status=Registration.Status.WAITING)
        .select_related("contact")
        .order_by("created_at", "id")[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status"])
    _mail_moved_up(meeting, [(r, None) for r in promoted])
    # Their workshop places were waiting too: they now queue like everybody else.
    waiting_workshops = (
        WorkshopSeat.objects.filter(registration__in=promoted, status=WorkshopSeat.Status.WAITING)
        .values_list("workshop_id", flat=True)
        .distinct()
    )
    for workshop in _lock_workshops(meeting, [Workshop(pk=pk) for pk in waiting_workshops]):
        _promote_workshop(workshop, now=now)
    return promoted


def _promote_workshop(workshop: Workshop, *, now) -> list[WorkshopSeat]:
    meeting = workshop.meeting
    if meeting.is_past:
        return []
    taken = workshop.seats.filter(status=WorkshopSeat.Status.CONFIRMED).count()
    free = workshop.capacity - taken
    if free <= 0:
        return []
    promoted = list(
        workshop.seats.select_for_update(of=("self",))
        .filter(
            status=WorkshopSeat.Status.WAITING,
            registration__status=Registration.Status.REGISTERED,
        )
        .select_related("registration__contact")
        .order_by("created_at", "id")[:free]
    )
    for seat in promoted:
        seat.status = WorkshopSeat.Status.CONFIRMED
        seat.save(update_fields=["status"])
    _mail_moved_up(meeting, [(seat.registration, workshop) for seat in promoted])
    return promoted


def _mail_moved_up(meeting: Meeting, places) -> None:
    queue_emails(
        Message(
            to=registration.email,
            template="meetings/moved_up",
            context=_context(
                meeting,
                name=registration.name,
                workshop=workshop.title if workshop else "",
            ),
            language=_language_of(registration.contact),
            reference=f"meetings.moved_up:{registration.pk}",
        )
        for registration, workshop in places
        if _reachable(registration.email)
    )


def add_guest(
    *, meeting: Meeting, name: str, email: str, organisation: str = "", by=None
) -> Registration:
    """A coordinator adds an outside guest (not bound by deadline or capacity)."""
    name, email = (name or "").strip(), (email or "").strip().lower()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise MeetingError(_("This meeting has been cancelled."))
        if not name:
            raise MeetingError(_("Please enter the guest's name."), field="guest_name")
        if not email:
            raise MeetingError(_("Please enter the guest's e-mail address."), field="guest_email")
        if (
            meeting.registrations.filter(
                Q(guest_email__iexact=email) | Q(contact__email__iexact=email)
            )
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            raise MeetingError(
                _("This person is already registered for this meeting."), field="guest_email"
            )
        return Registration.objects.create(
            meeting=meeting,
            guest_name=name,
            guest_email=email,
            guest_organisation=(organisation or "").strip(),
            created_by=by,
        )


def record_attendance(*, meeting: Meeting, present: Iterable[int], by=None) -> int:
    """Mark the registrations with ids in ``present`` as attended, the other places as absent."""
    present_ids = set(present)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.start > timezone.now():
            raise MeetingError(_("Attendance can be recorded once the meeting has started."))
        active = meeting.registrations.filter(status=Registration.Status.REGISTERED)
        active.filter(pk__in=present_ids).update(attended=True)
        active.exclude(pk__in=present_ids).update(attended=False)
        if meeting.status == Meeting.Status.ANNOUNCED:
            meeting.status = Meeting.Status.HELD
            meeting.save(update_fields=["status", "updated_at"])
        attended = active.filter(attended=True).count()
        _record(meeting, f"attendance recorded: {attended} of {active.count()} present", by=by)
        return attended


# --- Reminders ------------------------------------------------------------------------------


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind those registered for tomorrow's meetings; each registration at most once."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    tz = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.combine(tomorrow, time.min), tz)
    last = first + timedelta(days=1)
    sent = 0
    with transaction.atomic():
        registrations = list(
            Registration.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=Registration.Status.REGISTERED,
                reminder_sent_at__isnull=True,
                meeting__status=Meeting.Status.ANNOUNCED,
                meeting__start__gte=first,
                meeting__start__lt=last,
            )
            .select_related("meeting__series", "contact__municipality")
            .order_by("meeting_id", "id")
        )
        messages = []
        for registration in registrations:
            meeting = registration.meeting
            if not _reachable(registration.email):
                continue
            messages.append(
                Message(
                    to=registration.email,
                    template="meetings/reminder",
                    context=_context(
                        meeting, name=registration.name, online_link=meeting.online_link
                    ),
                    language=_language_of(registration.contact),
                    reference=f"meetings.reminder:{registration.pk}",
                )
            )
        queue_emails(messages)
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            reminder_sent_at=now
        )
        sent = len(messages)
    return sent


# --- Calendar feed tokens -------------------------------------------------------------------


def calendar_token_for(*, contact: Contact) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(contact=contact)
    return token


def renew_calendar_token(*, contact: Contact) -> CalendarToken:
    """Replace the secret: the old feed address stops working at once."""
    from .models import new_feed_token

    with transaction.atomic():
        token, created = CalendarToken.objects.select_for_update().get_or_create(contact=contact)
        if not created:
            token.token = new_feed_token()
            token.save(update_fields=["token", "created_at"])
            _record(token, "calendar address renewed (the old one revoked)")
        return token
