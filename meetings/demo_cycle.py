"""Demo of the Stammtisch cycle (idempotent): minutes in every state, action items owned by a
contact, a municipality and the coordination team (one overdue, one done), and a recent
Stammtisch whose minutes are out for corrections. The agenda proposal has something to
propose for the second upcoming Stammtisch: the first one covers the top-ranked topics.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from members.models import Contact, Municipality

from . import minutes
from .models import ActionItem, Meeting, MeetingSeries, MinutesAddendum, MinutesStatus, Registration

RECENT_SLUG = "digitaler-stammtisch-rueckblick"
RECENT_MINUTES = (
    "## Erfahrungsaustausch Verwaltungsdigitalisierung\n\n"
    "Mehrere Kommunen berichten von Hemmnissen durch offene Datenschutzfragen. Ingelheim "
    "bietet an, einen Workshop zu den Erfahrungen auszurichten.\n\n"
    "## Neues aus dem Netzwerk\n\n"
    "Nachrichten und Blogeinträge der Mitglieder erscheinen nach Freigabe auf der Homepage."
)
CONGRESS_DRAFT = (
    "## Rückblick Kommunalkongress\n\n"
    "Zwölf Workshops in zwei Runden; die Aufzeichnungen werden noch geschnitten."
)


def _set_state(meeting: Meeting, state: str, *, by=None, days_ago: int = 0) -> None:
    """Bring old demo minutes into ``state`` (they predate the lifecycle; no mail is sent)."""
    if meeting.minutes_status == state:
        return
    when = timezone.now() - timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_status=state,
        minutes_circulated_at=when - timedelta(days=14),
        minutes_deadline=when,
        minutes_approved_at=when,
        minutes_approved_by=by,
        minutes_locked_at=when if state == MinutesStatus.LOCKED else None,
    )
    meeting.refresh_from_db()


def _recent_stammtisch(series: MeetingSeries, contacts: list[Contact], member) -> Meeting:
    meeting = Meeting.objects.filter(slug=RECENT_SLUG).first()
    if meeting is None:
        day = timezone.localdate() - timedelta(days=9)
        start = timezone.make_aware(datetime.combine(day, time(10)))
        meeting = Meeting.objects.create(
            slug=RECENT_SLUG,
            series=series,
            kind=Meeting.Kind.STAMMTISCH,
            title="Digitaler Stammtisch (Rückblick)",
            start=start,
            end=start + timedelta(hours=2),
            format=Meeting.Format.ONLINE,
            status=Meeting.Status.HELD,
            minutes=RECENT_MINUTES,
            public_summary="Erfahrungsaustausch zur Verwaltungsdigitalisierung; ein Workshop "
            "in Ingelheim ist in Planung.",
        )
    people = [c for c in [member, *contacts[:6]] if c is not None]
    for contact in people:
        Registration.objects.get_or_create(
            meeting=meeting,
            contact=contact,
            defaults={"attended": True, "created_at": meeting.start - timedelta(days=7)},
        )
    minutes.record_version(meeting=meeting)
    if meeting.minutes_status == MinutesStatus.DRAFT:
        minutes.circulate_minutes(meeting=meeting, deadline=timezone.now() + timedelta(days=5))
    if member is not None and not meeting.minutes_corrections.exists():
        minutes.add_correction(
            meeting=meeting,
            contact=member,
            text="Kaiserslautern hat ebenfalls angeboten, beim Workshop mitzuwirken.",
        )
    return meeting


def _action_items(recent: Meeting, third: Meeting | None, coordinator) -> None:
    ingelheim = Municipality.objects.filter(name__startswith="Ingelheim").first()
    if ingelheim is not None:
        ActionItem.objects.update_or_create(
            meeting=recent,
            what="Terminvorschläge für den Workshop in Ingelheim schicken",
            defaults={
                "owner_municipality": ingelheim,
                "due": timezone.localtime(recent.start).date() + timedelta(days=5),  # overdue
                "status": ActionItem.Status.OPEN,
            },
        )
    ActionItem.objects.update_or_create(
        meeting=recent,
        what="Rundschreiben zur Teilnahmebereitschaft am Workshop versenden",
        defaults={
            "owner_team": True,
            "due": timezone.localdate() + timedelta(days=2),
            "status": ActionItem.Status.OPEN,
        },
    )
    if third is not None:
        ActionItem.objects.update_or_create(
            meeting=third,
            what="Leitfaden Veröffentlichung auf der Homepage an alle Mitglieder senden",
            defaults={
                "owner_team": True,
                "status": ActionItem.Status.DONE,
                "closed_note": "Mit dem Rundschreiben vom August verschickt.",
                "closed_at": third.start + timedelta(days=20),
                "closed_by": coordinator,
            },
        )


def load(*, series: MeetingSeries, contacts: list[Contact], base) -> None:
    base = base or {}
    coordinator = base.get("coordinator")
    member = Contact.objects.filter(user=base.get("member")).first() if base.get("member") else None
    by_slug = {m.slug: m for m in Meeting.objects.filter(slug__endswith="-2023")}
    first = by_slug.get("1-digitaler-stammtisch-2023")
    second = by_slug.get("2-digitaler-stammtisch-2023")
    third = by_slug.get("3-digitaler-stammtisch-2023")
    # Minutes in every state: locked (with an addendum), approved automatically, approved by
    # the coordinator, sent round (recent Stammtisch), and a draft (the congress of 2020).
    if first is not None:
        _set_state(first, MinutesStatus.LOCKED, by=coordinator, days_ago=900)
        MinutesAddendum.objects.get_or_create(
            meeting=first,
            text="Nachtrag: Die Kurzumfrage lief bis Ende April, nicht bis Mitte April.",
            defaults={"created_by": coordinator},
        )
    if second is not None:
        _set_state(second, MinutesStatus.APPROVED, by=None, days_ago=850)
    if third is not None:
        _set_state(third, MinutesStatus.APPROVED, by=coordinator, days_ago=800)
    for meeting in Meeting.objects.filter(minutes_status=MinutesStatus.DRAFT).exclude(
        public_summary=""
    ):
        if meeting.is_past and meeting.slug != RECENT_SLUG:
            _set_state(meeting, MinutesStatus.APPROVED, by=coordinator, days_ago=700)
    congress = Meeting.objects.filter(slug="kommunalkongress-2020").first()
    if congress is not None and not congress.minutes:
        Meeting.objects.filter(pk=congress.pk).update(minutes=CONGRESS_DRAFT)
    for meeting in Meeting.objects.exclude(minutes="", public_summary=""):
        minutes.record_version(meeting=meeting)
    recent = _recent_stammtisch(series, contacts, member)
    _action_items(recent, third, coordinator)
