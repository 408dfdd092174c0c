"""Workshop seats by preference in the portal: wishes, preview, confirmation.

Participants rank an event's workshops until the preference deadline (:func:`save_wish`); a
coordinator previews the allocation (:func:`preview_allocation`, reads only), reruns it with
another seed or adjusted capacities, and confirms it once (:func:`confirm_allocation`): the
seats are written, every participant is mailed their workshops with an ``.ics``, unmet
wishes go onto the waiting lists in preference order, and the seats left over are taken
first come, first served through the usual workshop registration.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ikone import audit
from ikone.audit import AuditAction
from ikone.outbox.models import OutboundEmail
from ikone.outbox.services import Attachment, Message, queue_emails
from ikone.privacy import ANONYMOUS_DOMAIN

from . import ical
from .allocation import Allocation, AllocationError, Reason, WorkshopSpec, allocate
from .models import (
    Meeting,
    Registration,
    Workshop,
    WorkshopAllocation,
    WorkshopPreference,
    WorkshopSeat,
    WorkshopWish,
)


@dataclass(frozen=True)
class Preview:
    """What the coordinator sees before confirming: the allocation and its inputs."""

    allocation: Allocation
    workshops: list[Workshop]
    #: workshop id → the capacity used (the stored one or the adjusted one)
    capacities: dict[int, int]
    registrations: dict[int, Registration]


# --- participants ---------------------------------------------------------------------------


def settings_of(meeting: Meeting) -> WorkshopAllocation | None:
    return WorkshopAllocation.objects.filter(meeting=meeting).first()


def holds_workshop_choices(meeting: Meeting) -> bool:
    """True while seats wait for the allocation: no first-come workshop choice until then.

    Reads ``meeting.workshop_allocation``, which Django then caches on the instance (the
    meeting page asks again in its template).
    """
    try:
        return meeting.workshop_allocation.holds_choices
    except WorkshopAllocation.DoesNotExist:
        return False


def save_wish(
    *, registration: Registration, ranking: Sequence[Workshop], wanted: int, by=None
) -> WorkshopWish:
    """Store a participant's ranking (best first) and how many workshops they want."""
    ranking = list(ranking)
    with transaction.atomic():
        setting = (
            WorkshopAllocation.objects.select_for_update()
            .filter(meeting_id=registration.meeting_id)
            .first()
        )
        if setting is None or not setting.by_preference:
            raise AllocationError(_("This event does not allocate its workshops by preference."))
        if setting.is_confirmed:
            raise AllocationError(_("The workshop seats have already been allocated."))
        if not setting.accepts_preferences():
            raise AllocationError(_("The deadline for workshop preferences has passed."))
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            raise AllocationError(_("This registration has been cancelled."))
        meeting = registration.meeting
        if not ranking:
            raise AllocationError(_("Please rank at least one workshop."), field="ranking")
        if len({w.pk for w in ranking}) != len(ranking):
            raise AllocationError(_("Please rank each workshop only once."), field="ranking")
        if any(w.meeting_id != meeting.pk for w in ranking):
            raise AllocationError(_("Please rank workshops of this event."), field="ranking")
        if not 1 <= wanted <= meeting.workshop_limit:
            raise AllocationError(
                _("You can ask for 1 to %(limit)d workshops.") % {"limit": meeting.workshop_limit},
                field="wanted",
            )
        rounds = len({w.round for w in ranking})
        if wanted > rounds:
            raise AllocationError(
                ngettext(
                    "You ask for %(wanted)d workshops, but the ones you ranked are all at the "
                    "same time (%(rounds)d round): rank workshops of another round too, or "
                    "ask for fewer.",
                    "You ask for %(wanted)d workshops, but the ones you ranked are in only "
                    "%(rounds)d rounds: rank workshops of another round too, or ask for fewer.",
                    rounds,
                )
                % {"wanted": wanted, "rounds": rounds},
                field="wanted",
            )
        wish, _created = WorkshopWish.objects.update_or_create(
            registration=registration, defaults={"wanted": wanted}
        )
        wish.ranking.all().delete()
        WorkshopPreference.objects.bulk_create(
            WorkshopPreference(wish=wish, workshop=workshop, rank=position + 1)
            for position, workshop in enumerate(ranking)
        )
        return wish


# --- the coordinator ------------------------------------------------------------------------


def _participants(meeting: Meeting) -> list[Registration]:
    """Active places with a wish, in registration order (the order does not decide)."""
    return list(
        meeting.registrations.filter(status=Registration.Status.REGISTERED)
        .filter(workshop_wish__isnull=False)
        .select_related("contact", "workshop_wish")
        .prefetch_related(
            Prefetch(
                "workshop_wish__ranking",
                queryset=WorkshopPreference.objects.order_by("rank"),
            )
        )
        .order_by("created_at", "pk")
    )


def preview_allocation(
    *, meeting: Meeting, seed: int | None = None, capacities: Mapping[int, int] | None = None
) -> Preview:
    """Compute the allocation without writing anything."""
    setting = settings_of(meeting)
    if setting is None or not setting.by_preference:
        raise AllocationError(_("This event does not allocate its workshops by preference."))
    return _compute(meeting, seed=seed, capacities=capacities)


def _compute(meeting, *, seed, capacities) -> Preview:
    capacities = dict(capacities or {})
    workshops = list(
        meeting.workshops.annotate(
            taken=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.CONFIRMED))
        ).order_by("round", "position", "pk")
    )
    used = {w.pk: capacities.get(w.pk, w.capacity) for w in workshops}
    for workshop in workshops:
        if used[workshop.pk] < 1:
            raise AllocationError(
                _("The workshop “%(workshop)s” needs a capacity of at least 1.")
                % {"workshop": workshop.title}
            )
    # seats given before (e.g. by a coordinator) count against the capacity
    left = {w.pk: used[w.pk] - w.taken for w in workshops}
    registrations = _participants(meeting)
    if not registrations:
        raise AllocationError(_("Nobody has ranked the workshops yet."))
    specs = [WorkshopSpec(id=w.pk, round=w.round, capacity=left[w.pk]) for w in workshops]
    open_ids = {spec.id for spec in specs if spec.capacity > 0}
    preferences, wanted = {}, {}
    for registration in registrations:
        wish = registration.workshop_wish
        ranking = [p.workshop_id for p in wish.ranking.all() if p.workshop_id in open_ids]
        if ranking:
            preferences[registration.pk] = ranking
            wanted[registration.pk] = min(wish.wanted, meeting.workshop_limit)
    if not preferences:
        raise AllocationError(_("Every workshop someone ranked is already full."))
    allocation = allocate(
        workshops=[spec for spec in specs if spec.id in open_ids],
        preferences=preferences,
        wanted=wanted,
        max_per_person=meeting.workshop_limit,
        seed=seed,
    )
    return Preview(
        allocation=allocation,
        workshops=workshops,
        capacities=used,
        registrations={r.pk: r for r in registrations},
    )


def confirm_allocation(
    *, meeting: Meeting, seed: int, capacities: Mapping[int, int] | None = None, by
) -> Preview:
    """Write the seats of the allocation with ``seed``, queue the mails, fill waiting lists."""
    with transaction.atomic():
        setting = WorkshopAllocation.objects.select_for_update().filter(meeting=meeting).first()
        if setting is None or not setting.by_preference:
            raise AllocationError(_("This event does not allocate its workshops by preference."))
        if setting.is_confirmed:
            raise AllocationError(
                _(
                    "The allocation was already confirmed on %(date)s and cannot be run again; "
                    "changes now go through the waiting lists."
                )
                % {"date": timezone.localtime(setting.confirmed_at).strftime("%d.%m.%Y %H:%M")}
            )
        now = timezone.now()
        if setting.preference_deadline and setting.preference_deadline > now:
            raise AllocationError(
                _("Participants can still rank the workshops until the preference deadline.")
            )
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        locked = list(Workshop.objects.select_for_update().filter(meeting=meeting).order_by("pk"))
        changed = []
        for workshop in locked:
            capacity = (capacities or {}).get(workshop.pk, workshop.capacity)
            if capacity != workshop.capacity and capacity >= 1:
                changed.append(f"{workshop.title}: {workshop.capacity} → {capacity}")
                workshop.capacity = capacity
                workshop.save(update_fields=["capacity"])
        preview = _compute(meeting, seed=seed, capacities=None)
        allocation = preview.allocation
        seats = [
            WorkshopSeat(
                registration_id=registration_id,
                workshop_id=workshop_id,
                status=WorkshopSeat.Status.CONFIRMED,
                created_at=now,
            )
            for registration_id, workshops in allocation.assignments.items()
            for workshop_id in workshops
        ]
        seats += _waiting_seats(allocation, seed=seed, now=now)
        WorkshopSeat.objects.bulk_create(seats)
        titles = {w.pk: w.title for w in preview.workshops}
        for registration_id, outcome in allocation.outcomes.items():
            wish = preview.registrations[registration_id].workshop_wish
            # the ranks as the participant gave them (workshops full before are left out of
            # the allocation and count as full here)
            rank = {p.workshop_id: p.rank for p in wish.ranking.all()}
            missed = [[rank[m.workshop], titles[m.workshop], str(m.reason)] for m in outcome.missed]
            missed += [
                [rank[w], titles[w], str(Reason.FULL)] for w in rank if w not in outcome.ranking
            ]
            wish.outcome = {
                "got": [[rank[w], titles[w]] for w in outcome.assigned],
                "missed": sorted(missed),
                "wanted": outcome.wanted,
            }
            wish.save(update_fields=["outcome", "updated_at"])
        for registration_id, registration in preview.registrations.items():
            if registration_id not in allocation.outcomes:  # ranked only workshops full before
                wish = registration.workshop_wish
                wish.outcome = {
                    "got": [],
                    "missed": [
                        [p.rank, titles[p.workshop_id], str(Reason.FULL)]
                        for p in wish.ranking.all()
                    ],
                    "wanted": wish.wanted,
                }
                wish.save(update_fields=["outcome", "updated_at"])
        setting.seed = seed
        setting.confirmed_at = now
        setting.confirmed_by = by
        setting.save(update_fields=["seed", "confirmed_at", "confirmed_by"])
        _mail_results(meeting, preview)
        audit.record(
            action=AuditAction.ALLOCATION_CONFIRMED,
            obj=setting,
            by=by,
            data={
                "seed": seed,
                "participants": len(allocation.assignments),
                "seats": allocation.statistics.seats_assigned,
                "capacities_changed": list(changed),
            },
        )
        return preview


def _waiting_seats(allocation: Allocation, *, seed: int, now) -> list[WorkshopSeat]:
    """Unmet wishes onto each workshop's waiting list, ordered by the rank given.

    Only wishes the participant could still take: a workshop that was full, in a round
    where they hold no seat, while they hold fewer than they asked for (moving up adds a
    seat, it never swaps one). Equal ranks are ordered by the seed.
    """
    rng = random.Random(seed)  # noqa: S311 (a published, reproducible tie-break)
    entries = []
    for registration_id, outcome in allocation.outcomes.items():
        if len(outcome.assigned) >= outcome.attainable:
            continue
        for missed in outcome.missed:
            if missed.reason == Reason.FULL:
                entries.append((missed.workshop, missed.rank, rng.random(), registration_id))
    entries.sort()
    # created_at orders a waiting list: one microsecond apart keeps the order above
    return [
        WorkshopSeat(
            registration_id=registration_id,
            workshop_id=workshop_id,
            status=WorkshopSeat.Status.WAITING,
            created_at=now + timedelta(microseconds=index + 1),
        )
        for index, (workshop_id, _rank, _tie, registration_id) in enumerate(entries)
    ]


def explanation(outcome: dict) -> list[str]:
    """Sentences telling a participant why they got what they got (``WorkshopWish.outcome``)."""
    lines = []
    got = outcome.get("got", [])
    for rank, title in got:
        lines.append(
            _("You got your choice no. %(rank)s: “%(title)s”.") % {"rank": rank, "title": title}
        )
    for rank, title, reason in outcome.get("missed", []):
        if reason == Reason.FULL:
            text = _(
                "Your choice no. %(rank)s, “%(title)s”, was full after the allocation had given "
                "every participant at least one seat and as many as possible the number of "
                "workshops they asked for; you are on its waiting list if you could still take it."
            )
        elif reason == Reason.SAME_ROUND:
            text = _(
                "Your choice no. %(rank)s, “%(title)s”, is at the same time as a workshop you "
                "ranked higher and got."
            )
        else:
            text = _(
                "Your choice no. %(rank)s, “%(title)s”, was not needed: you got as many "
                "workshops as you asked for, all ranked higher."
            )
        lines.append(text % {"rank": rank, "title": title})
    if not got:
        lines.insert(0, _("Every workshop you ranked was full: you got no seat."))
    return lines


def _mail_results(meeting: Meeting, preview: Preview) -> None:
    attachment = Attachment(
        filename="einladung.ics",
        mimetype="text/calendar; method=REQUEST; charset=utf-8",
        text=ical.invitation(meeting, include_link=True),
    )
    titles = {w.pk: w for w in preview.workshops}
    messages = []
    for registration_id, registration in preview.registrations.items():
        workshops = preview.allocation.assignments.get(registration_id, [])
        email = registration.email
        if not email or email.lower().endswith("@" + ANONYMOUS_DOMAIN):
            continue
        language = registration.contact.language if registration.contact_id else None
        with translation.override(language or settings.LANGUAGE_CODE):
            lines = explanation(registration.workshop_wish.outcome)
        messages.append(
            Message(
                to=email,
                template="meetings/allocation_result",
                context={
                    "name": registration.name,
                    "title": meeting.display_title,
                    "start": meeting.start,
                    "url": settings.SITE_URL + meeting.get_absolute_url(),
                    "workshops": [
                        {"title": titles[pk].title, "round": titles[pk].round} for pk in workshops
                    ],
                    "lines": lines,
                },
                language=language,
                attachments=[attachment],
                category=OutboundEmail.Category.ESSENTIAL,
                reference=f"meetings.allocation:{registration.pk}",
            )
        )
    queue_emails(messages)
