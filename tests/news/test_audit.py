"""The audit trail of the news: coordinators' moderation steps, never a member's own edits."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from ikone.audit import AuditAction, acting
from ikone.models import AuditEntry
from news import services
from news.models import Post
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.field_history import field_changes
from tests.news.factories import PostFactory, PublishedPostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


@pytest.fixture
def member():
    return MemberContactFactory().user


def entries(post):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Post), object_id=str(post.pk)
    )


def actions(post) -> list[tuple[str, dict]]:
    """The typed moderation steps recorded for ``post``: (action type, data)."""
    field_history = ["create", "update", "delete", "bulk_update"]
    return list(
        entries(post)
        .exclude(action__in=field_history)
        .order_by("at", "pk")
        .values_list("action", "changes")
    )


def test_publishing_is_recorded_with_the_coordinator(coordinator):
    post = PostFactory(status=Post.Status.SUBMITTED)

    with acting(coordinator):
        services.publish_post(post=post, by=coordinator)

    assert actions(post) == [(AuditAction.POST_PUBLISHED, {})]
    assert entries(post).get(action=AuditAction.POST_PUBLISHED).actor == coordinator
    # the field change itself is in the trail too
    assert field_changes(post).get().changes["status"] == ["submitted", "published"]


def test_requesting_changes_is_recorded_with_the_comment(coordinator):
    post = PostFactory(status=Post.Status.SUBMITTED)

    with acting(coordinator):
        services.request_changes(post=post, by=coordinator, comment="Bitte das Foto beschriften.")

    assert actions(post) == [
        (AuditAction.POST_CHANGES_REQUESTED, {"comment": "Bitte das Foto beschriften."})
    ]


def test_scheduling_and_withdrawing_are_recorded(coordinator):
    scheduled = PostFactory(status=Post.Status.SUBMITTED)
    public = PublishedPostFactory()
    when = timezone.now() + timedelta(days=1)

    with acting(coordinator):
        services.publish_post(post=scheduled, by=coordinator, publish_at=when)
        services.archive_post(post=public, by=coordinator, comment="Veraltet.")

    assert actions(scheduled) == [(AuditAction.POST_SCHEDULED, {"publish_at": when.isoformat()})]
    assert actions(public) == [(AuditAction.POST_WITHDRAWN, {"comment": "Veraltet."})]


def test_publishing_in_the_admin_is_recorded(client, coordinator):
    post = PostFactory(status=Post.Status.SUBMITTED)
    client.force_login(coordinator)

    client.post(reverse("admin:news_post_moderate", args=[post.pk]), {"publish": "1"})

    assert actions(post) == [(AuditAction.POST_PUBLISHED, {})]
    assert entries(post).get(action=AuditAction.POST_PUBLISHED).actor == coordinator


def test_a_members_own_edit_and_submission_leave_no_entry(client, member):
    post = PostFactory(municipality=member.contact.municipality, status=Post.Status.DRAFT)
    client.force_login(member)

    response = client.post(
        reverse("news:edit", args=[post.pk]),
        {"kind": "news", "title": "Neuer Titel", "teaser": "Kurz", "body": "Lang", "submit": "1"},
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.status) == ("Neuer Titel", Post.Status.SUBMITTED)
    assert not entries(post).exists()


def test_a_member_withdrawing_their_post_leaves_no_entry(client, member):
    post = PublishedPostFactory(municipality=member.contact.municipality)
    client.force_login(member)

    client.post(reverse("news:archive", args=[post.pk]))

    post.refresh_from_db()
    assert post.status == Post.Status.ARCHIVED
    assert not entries(post).exists()


def test_scheduled_publication_by_the_beat_task_has_no_actor_and_no_entry():
    post = PostFactory(
        status=Post.Status.SUBMITTED, publish_at=timezone.now() - timedelta(minutes=1)
    )

    assert services.publish_due_posts() == 1

    assert not entries(post).exists()
