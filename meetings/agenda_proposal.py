"""*Tagesordnung vorschlagen*: the agenda follows the members' wishes.

The proposal for a planned meeting holds the top-ranked topics of the latest ranking survey
(through ``ikone.rankings``: meetings do not import surveys) that no agenda item of the last
meetings covered, each with suggested speakers (people who spoke on the topic before — never
who asked for it in a survey), the open action items of earlier meetings, and the approval of
the last meeting's minutes as a fixed item. The coordinator picks and orders; the agenda
items are created with the topics they cover, so the next proposal knows what was covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _

from ikone import audit, rankings
from ikone.audit import AuditAction
from ikone.errors import DomainError
from members.models import Topic

from . import action_items
from .models import ActionItem, AgendaItem, Meeting

RECENT_MEETINGS = 3
TOPICS_SHOWN = 8


class AgendaProposalError(DomainError):
    """The proposal cannot be made or the chosen items cannot be created."""


@dataclass
class Speaker:
    name: str
    affiliation: str
    meeting: str


@dataclass
class TopicSuggestion:
    topic: Topic | None
    label: str
    rank: int
    points: int
    speakers: list[Speaker] = field(default_factory=list)


@dataclass
class Proposal:
    meeting: Meeting
    ranking: rankings.Ranking
    topics: list[TopicSuggestion]
    covered: list[TopicSuggestion]  # ranked high, but covered by one of the last meetings
    open_items: list[ActionItem]
    previous: Meeting | None  # whose minutes are to be approved
    recent: list[Meeting]


def _earlier(meeting: Meeting):
    earlier = Meeting.objects.filter(start__lt=meeting.start).exclude(
        status__in=[Meeting.Status.CANCELLED, Meeting.Status.DRAFT]
    )
    if meeting.series_id:
        earlier = earlier.filter(series_id=meeting.series_id)
    return earlier.select_related("series").order_by("-start")


def _check_plannable(meeting: Meeting) -> None:
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED) or meeting.is_past:
        raise AgendaProposalError(_("An agenda is proposed for a planned meeting only."))


def propose(
    *, meeting: Meeting, recent: int = RECENT_MEETINGS, limit: int = TOPICS_SHOWN
) -> Proposal:
    """The proposal for ``meeting`` (a read: nothing is written)."""
    _check_plannable(meeting)
    ranking = rankings.latest_topic_ranking()
    if ranking is None:
        raise AgendaProposalError(
            _("There is no opened survey with a topic ranking yet: the proposal needs one.")
        )
    recent_meetings = list(_earlier(meeting)[:recent])
    covered_ids = set(
        AgendaItem.topics.through.objects.filter(
            agendaitem__meeting__in=recent_meetings
        ).values_list("topic_id", flat=True)
    )
    topic_ids = [row.topic_id for row in ranking.topics if row.topic_id]
    topics = Topic.objects.in_bulk(topic_ids)
    speakers = _speakers(topic_ids, before=meeting)
    suggestions, covered = [], []
    for row in ranking.topics:
        if not row.rankings:
            continue
        suggestion = TopicSuggestion(
            topic=topics.get(row.topic_id),
            label=row.label,
            rank=row.rank,
            points=row.points,
            speakers=speakers.get(row.topic_id, []),
        )
        if row.topic_id in covered_ids:
            covered.append(suggestion)
        elif len(suggestions) < limit:
            suggestions.append(suggestion)
    return Proposal(
        meeting=meeting,
        ranking=ranking,
        topics=suggestions,
        covered=covered,
        open_items=list(action_items.open_items_before(meeting)),
        previous=recent_meetings[0] if recent_meetings else None,
        recent=recent_meetings,
    )


def _speakers(topic_ids: list[int], *, before: Meeting) -> dict[int, list[Speaker]]:
    """People who presented on each topic at earlier meetings (newest first, three each)."""
    items = (
        AgendaItem.objects.filter(
            topics__in=topic_ids,
            meeting__start__lt=before.start,
            meeting__status=Meeting.Status.HELD,
        )
        .exclude(speaker="")
        .select_related("meeting__series", "speaker_municipality")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.filter(pk__in=topic_ids)))
        .order_by("-meeting__start", "position")
        .distinct()
    )
    found: dict[int, list[Speaker]] = {}
    for item in items:
        for topic in item.topics.all():
            people = found.setdefault(topic.pk, [])
            if len(people) < 3 and all(p.name != item.speaker for p in people):
                people.append(Speaker(item.speaker, item.affiliation, item.meeting.display_title))
    return found


@dataclass(frozen=True)
class Pick:
    """One agenda item to create: its title, optional speaker and the topics it covers."""

    title: str
    speaker: str = ""
    topic_ids: tuple[int, ...] = ()
    description: str = ""


def create_agenda(*, meeting: Meeting, picks: list[Pick], by) -> list[AgendaItem]:
    """Append the chosen items, in the chosen order, to the meeting's agenda."""
    if not picks:
        raise AgendaProposalError(_("Please choose at least one item for the agenda."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_plannable(meeting)
        position = (meeting.agenda_items.aggregate(n=Max("position"))["n"] or 0) + 1
        valid_topics = set(Topic.objects.values_list("pk", flat=True))
        created = []
        for offset, pick in enumerate(picks):
            title = pick.title.strip()
            if not title:
                raise AgendaProposalError(_("Every chosen item needs a title."))
            item = AgendaItem.objects.create(
                meeting=meeting,
                position=position + offset,
                title=title[:200],
                speaker=pick.speaker.strip()[:150],
                description=pick.description,
            )
            item.topics.set([pk for pk in pick.topic_ids if pk in valid_topics])
            created.append(item)
        audit.record(
            action=AuditAction.AGENDA_PROPOSED, obj=meeting, by=by, data={"items": len(created)}
        )
        return created


@dataclass
class Coverage:
    topic: Topic
    rank: int | None
    points: int | None
    covered: list[AgendaItem]


def topic_coverage() -> tuple[rankings.Ranking | None, list[Coverage]]:
    """Per active topic: its place in the latest ranking, and when and by whom it was covered."""
    ranking = rankings.latest_topic_ranking()
    placed = {row.topic_id: row for row in (ranking.topics if ranking else []) if row.topic_id}
    items = (
        AgendaItem.objects.filter(topics__isnull=False)
        .exclude(meeting__status__in=[Meeting.Status.CANCELLED, Meeting.Status.DRAFT])
        .select_related("meeting__series", "speaker_municipality")
        .order_by("-meeting__start", "position")
    )
    topics = Topic.objects.filter(is_active=True)
    by_topic: dict[int, list[AgendaItem]] = {}
    for item in items.prefetch_related("topics"):
        for topic in item.topics.all():
            by_topic.setdefault(topic.pk, []).append(item)
    rows = [
        Coverage(
            topic=topic,
            rank=placed[topic.pk].rank if topic.pk in placed else None,
            points=placed[topic.pk].points if topic.pk in placed else None,
            covered=by_topic.get(topic.pk, []),
        )
        for topic in topics
    ]
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.topic.position, row.topic.name))
    return ranking, rows
