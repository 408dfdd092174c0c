"""The moderation workflow in the services: who may do what, what is recorded and mailed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from news import services
from news.models import Post, PostEvent
from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MemberContactFactory().user


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


def write(member, **overrides):
    data = {
        "title": "Smarte Laternen in Kaiserslautern",
        "teaser": "Ein Erfahrungsbericht.",
        "body": "Die **Laternen** warnen mehrsprachig.",
    }
    data.update(overrides)
    return services.save_post(by=member, **data)


def test_member_writes_a_draft_for_their_own_municipality(member):
    post = write(member)
    assert post.status == Post.Status.DRAFT
    assert post.municipality == member.contact.municipality
    assert post.body_html == "<p>Die <strong>Laternen</strong> warnen mehrsprachig.</p>"
    assert post.slug == "smarte-laternen-in-kaiserslautern"
    assert post.events.get().action == PostEvent.Action.CREATED


def test_member_cannot_choose_another_municipality(member):
    other = MunicipalityFactory()
    post = services.save_post(by=member, municipality=other, title="T", teaser="T", body="B")
    assert post.municipality == member.contact.municipality


def test_submitting_mails_the_coordinators_and_records_who(member, coordinator):
    post = write(member)
    services.submit_post(post=post, by=member)
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED
    event = post.events.last()
    assert (event.action, event.actor, event.old_status) == ("submitted", member, "draft")
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [coordinator.email]


def test_submitting_twice_is_refused_with_a_message(member):
    post = write(member)
    services.submit_post(post=post, by=member)
    with pytest.raises(services.PostError, match="already been submitted"):
        services.submit_post(post=post, by=member)


def test_member_cannot_edit_a_submitted_post(member):
    post = write(member)
    services.submit_post(post=post, by=member)
    with pytest.raises(services.PostError):
        services.save_post(by=member, post=post, title="Neu", teaser="Neu", body="x")


def test_member_cannot_edit_another_municipalitys_post(member):
    other = PostFactory()
    with pytest.raises(services.PostError):
        services.save_post(by=member, post=other, title="Neu", teaser="Neu", body="x")


def test_member_cannot_publish(member):
    post = write(member)
    with pytest.raises(services.PostError, match="coordination team"):
        services.publish_post(post=post, by=member)


def test_coordinator_publishes_and_author_is_told(member, coordinator):
    post = services.submit_post(post=write(member), by=member)
    OutboundEmail.objects.all().delete()
    services.publish_post(post=post, by=coordinator)
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at is not None
    assert Post.objects.published().get() == post
    mail = OutboundEmail.objects.get()
    assert mail.to == member.email
    assert "Smarte Laternen" in mail.subject


def test_publishing_an_empty_body_is_refused(coordinator, member):
    post = write(member, body="   ")
    with pytest.raises(services.PostError, match="no text") as error:
        services.publish_post(post=post, by=coordinator)
    assert error.value.field == "body"


def test_request_changes_needs_a_comment_and_returns_the_post(member, coordinator):
    post = services.submit_post(post=write(member), by=member)
    with pytest.raises(services.PostError):
        services.request_changes(post=post, by=coordinator, comment=" ")
    OutboundEmail.objects.all().delete()
    services.request_changes(post=post, by=coordinator, comment="Bitte ein Bild ergänzen.")
    post.refresh_from_db()
    assert post.status == Post.Status.CHANGES_REQUESTED
    assert post.events.last().comment == "Bitte ein Bild ergänzen."
    mail = OutboundEmail.objects.get()
    assert mail.to == member.email and "Bitte ein Bild ergänzen." in mail.body_text
    # the member can edit and submit again
    services.save_post(by=member, post=post, title="Neu", teaser="Neu", body="Mit Bild")
    assert services.submit_post(post=post, by=member).status == Post.Status.SUBMITTED


def test_scheduled_post_is_published_by_the_beat_task(member, coordinator):
    from news.tasks import publish_due_posts

    post = services.submit_post(post=write(member), by=member)
    services.publish_post(post=post, by=coordinator, publish_at=timezone.now() + timedelta(hours=1))
    assert not Post.objects.published().exists()
    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert publish_due_posts.delay().get() == 1
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.events.last().actor is None


def test_slug_is_stable_after_publishing(member, coordinator):
    post = write(member, title="Digitaler Stammtisch in Bad Dürkheim")
    assert post.slug == "digitaler-stammtisch-in-bad-duerkheim"
    post = services.save_post(by=member, post=post, title="Anderer Titel", teaser="T", body="B")
    assert post.slug == "anderer-titel"
    services.publish_post(post=post, by=coordinator)
    post.refresh_from_db()
    post = services.save_post(
        by=coordinator, post=post, title="Dritter Titel", teaser="T", body="B"
    )
    assert post.slug == "anderer-titel"


def test_slugs_are_unique(member):
    first = write(member, title="Gleicher Titel")
    second = write(member, title="Gleicher Titel")
    assert (first.slug, second.slug) == ("gleicher-titel", "gleicher-titel-2")


def test_withdrawing_removes_the_post_from_the_public(member, coordinator):
    post = services.publish_post(post=write(member), by=coordinator)
    services.archive_post(post=post, by=member)
    assert not Post.objects.published().exists()
    assert post.events.last().action == PostEvent.Action.ARCHIVED


def test_a_post_reports_on_a_meeting(member):
    from meetings.models import Meeting

    field = Post._meta.get_field("meeting")
    assert field.related_model is Meeting
    assert field.null and field.remote_field.on_delete.__name__ == "SET_NULL"
    post = write(member, meeting=None)
    assert post.meeting is None
