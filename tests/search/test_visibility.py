"""The search shows each role what the pages show it, nothing more."""

from datetime import timedelta

import pytest
from django.utils import timezone

from circulars.models import Circular, CircularRecipient
from meetings.models import Meeting
from news.models import Post
from projects.models import ProjectProfile
from tests.circulars.factories import CircularFactory
from tests.factories import MemberContactFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.news.factories import PostFactory, PublishedPostFactory
from tests.projects.factories import ProjectFactory, PublicProjectFactory

from .conftest import hit_titles, search

WORD = "Quellwasser"


@pytest.fixture
def world(member):
    past = timezone.now() - timedelta(days=30)
    PublishedPostFactory(title=f"{WORD} öffentlich")
    PostFactory(title=f"{WORD} Entwurf", status=Post.Status.DRAFT)
    PostFactory(title=f"{WORD} zur Prüfung", status=Post.Status.SUBMITTED)
    PublishedPostFactory(title=f"{WORD} geplant", published_at=timezone.now() + timedelta(days=2))
    PublicProjectFactory(title=f"{WORD} Projekt öffentlich")
    ProjectFactory(title=f"{WORD} Projekt für Mitglieder")
    ProjectFactory(
        title=f"{WORD} Projekt öffentlich, in Prüfung",
        visibility=ProjectProfile.Visibility.PUBLIC,
        status=ProjectProfile.Status.SUBMITTED,
    )
    ProjectFactory(title=f"{WORD} Projekt zurückgezogen", status=ProjectProfile.Status.ARCHIVED)
    held = MeetingFactory(
        title=f"{WORD} Treffen",
        start=past,
        end=past + timedelta(hours=2),
        status=Meeting.Status.HELD,
        minutes=f"{WORD} Geheimsache im Protokoll",
        minutes_status=Meeting.MinutesStatus.CIRCULATED,
    )
    AgendaItemFactory(meeting=held, title=f"{WORD} Vortrag")
    MeetingFactory(title=f"{WORD} Treffen Entwurf", status=Meeting.Status.DRAFT)
    closed = MeetingFactory(title=f"{WORD} Treffen intern", is_public=False)
    AgendaItemFactory(meeting=closed, title=f"{WORD} Vortrag intern")
    MeetingFactory(
        title=f"{WORD} Treffen mit Protokollentwurf",
        minutes=f"{WORD} Protokollentwurf",
        minutes_status=Meeting.MinutesStatus.DRAFT,
    )
    to_member = CircularFactory(
        subject=f"{WORD} Rundschreiben", status=Circular.Status.SENT, sent_at=timezone.now()
    )
    CircularRecipient.objects.create(circular=to_member, contact=member)
    to_others = CircularFactory(
        subject=f"{WORD} Rundschreiben an andere",
        status=Circular.Status.SENT,
        sent_at=timezone.now(),
    )
    CircularRecipient.objects.create(circular=to_others, contact=MemberContactFactory())
    CircularFactory(subject=f"{WORD} Rundschreiben Entwurf")


VISITOR = {
    f"{WORD} öffentlich",
    f"{WORD} Treffen mit Protokollentwurf",
    f"{WORD} Projekt öffentlich",
    f"{WORD} Treffen",
    f"{WORD} Vortrag",
}
MEMBER = VISITOR | {
    f"{WORD} Projekt für Mitglieder",
    f"{WORD} Projekt öffentlich, in Prüfung",
    f"{WORD} Treffen intern",
    f"{WORD} Vortrag intern",
    f"Minutes: {WORD} Treffen",
    f"{WORD} Rundschreiben",
}
COORDINATOR = MEMBER | {
    f"{WORD} Treffen Entwurf",
    f"Minutes: {WORD} Treffen mit Protokollentwurf",
    f"{WORD} Rundschreiben an andere",
}


def test_visitor_finds_only_public_pages(client, world):
    assert set(hit_titles(search(client, q=WORD))) == VISITOR


def test_member_also_finds_minutes_circulars_and_members_only_pages(client, world, member):
    assert set(hit_titles(search(client, q=WORD, user=member.user))) == MEMBER


def test_coordinator_finds_drafts_of_meetings_minutes_and_every_sent_circular(
    client, world, coordinator
):
    assert set(hit_titles(search(client, q=WORD, user=coordinator))) == COORDINATOR


def test_members_only_minutes_never_reach_a_visitor_even_by_their_words(client, world, member):
    visitor = search(client, q="Geheimsache")
    members = search(client, q="Geheimsache", user=member.user)

    assert hit_titles(visitor) == []
    assert "im Protokoll" not in visitor.text
    assert hit_titles(members) == [f"Minutes: {WORD} Treffen"]
    assert "<mark>Geheimsache</mark> im Protokoll" in members.text


def test_kind_tab_of_another_roles_kind_shows_nothing(client, world):
    assert hit_titles(search(client, q=WORD, kind="circular")) == []
    assert hit_titles(search(client, q=WORD, kind="minutes")) == []


def test_draft_posts_are_found_by_nobody(client, world, member, coordinator):
    for user in (None, member.user, coordinator):
        titles = hit_titles(search(client, q="Entwurf", user=user, kind="post"))
        assert titles == []
