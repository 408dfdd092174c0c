"""Places at a meeting and its workshops, and the waiting lists that move up when one is freed.

Capacity is protected by row locks: registering locks the meeting row and the chosen
workshop rows (``SELECT … FOR UPDATE`` on PostgreSQL, in id order so two requests never wait
for each other crosswise), then counts and inserts while holding them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.outbox.services import Message, queue_emails
from members.models import Contact

from ..models import Meeting, Registration, Workshop, WorkshopSeat
from ..selectors import confirmed_seat_counts, registration_closed_reason
from .common import MeetingError, language_of, mail_context, reachable


def _check_open(meeting: Meeting) -> None:
    reason = registration_closed_reason(meeting)
    if reason is not None:
        raise MeetingError(reason)


def _lock_workshops(meeting: Meeting, workshops: Sequence[Workshop]) -> list[Workshop]:
    ids = sorted({w.pk for w in workshops})
    locked = list(Workshop.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids) or any(w.meeting_id != meeting.pk for w in locked):
        raise MeetingError(_("Please choose workshops of this meeting."), field="workshops")
    return locked


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
    counts = confirmed_seat_counts(w.pk for w in workshops)
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
        # the seats follow the registration (recorded in its field history when a
        # coordinator cancels it); WorkshopSeat has no history of its own
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
            context=mail_context(
                meeting,
                name=registration.name,
                workshop=workshop.title if workshop else "",
            ),
            language=language_of(registration.contact),
            reference=f"meetings.moved_up:{registration.pk}",
        )
        for registration, workshop in places
        if reachable(registration.email)
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
        # update() leaves no field history: MEETING_ATTENDANCE below names who was marked
        active.filter(pk__in=present_ids).update(attended=True)
        active.exclude(pk__in=present_ids).update(attended=False)
        if meeting.status == Meeting.Status.ANNOUNCED:
            meeting.status = Meeting.Status.HELD
            meeting.save(update_fields=["status", "updated_at"])
        attended_ids = sorted(active.filter(attended=True).values_list("pk", flat=True))
        audit.record(
            action=AuditAction.MEETING_ATTENDANCE,
            obj=meeting,
            by=by,
            data={
                "present": len(attended_ids),
                "registered": active.count(),
                "attended_registrations": attended_ids,
            },
        )
        return len(attended_ids)
