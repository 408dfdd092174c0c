"""The one moderation of news posts and project profiles (ikone.moderation): the rules, the
history entries and the coordinator's review page, seen through both apps."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from ikone import moderation
from news import services as news
from news.models import Post, PostEvent
from projects.models import ProjectEvent, ProjectProfile
from projects.services import profiles as projects
from tests.factories import CoordinatorFactory
from tests.news.factories import PostFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ALLOWED = {
    moderation.SUBMIT: {"draft", "changes_requested"},
    moderation.PUBLISH: {"draft", "submitted", "changes_requested"},
    moderation.SCHEDULE: {"draft", "submitted", "changes_requested"},
    moderation.REQUEST_CHANGES: {"submitted"},
    moderation.WITHDRAW: {"draft", "submitted", "changes_requested", "published"},
}


def test_both_apps_store_the_states_of_the_workflow():
    assert set(Post.Status.values) == set(ProjectProfile.Status.values) == set(moderation.STATES)
    assert set(ALLOWED) == set(moderation.STEPS)


@pytest.mark.parametrize(
    ("workflow", "step"),
    [(news.WORKFLOW, step) for step in moderation.STEPS]
    + [(projects.WORKFLOW, step) for step in moderation.STEPS if step != moderation.SCHEDULE],
    ids=lambda value: getattr(value, "name", "workflow"),
)
def test_each_step_starts_only_from_its_states_and_refuses_in_the_apps_words(workflow, step):
    for state in moderation.STATES:
        if state in ALLOWED[step]:
            workflow.check(step, state)
            continue
        with pytest.raises(workflow.error) as refused:
            workflow.check(step, state)
        assert str(refused.value) != "Dieser Schritt ist jetzt nicht möglich."


def test_a_workflow_without_words_for_a_step_still_refuses_in_german():
    bare = moderation.Workflow(error=news.PostError, event=PostEvent)
    with pytest.raises(news.PostError, match="Dieser Schritt ist jetzt nicht möglich."):
        bare.check(moderation.REQUEST_CHANGES, moderation.DRAFT)


def test_taking_a_step_saves_the_status_and_writes_the_history_entry():
    coordinator = CoordinatorFactory()
    post = PostFactory(status=Post.Status.SUBMITTED)
    old = news.WORKFLOW.take(moderation.REQUEST_CHANGES, post, by=coordinator, comment="Kürzer.")
    post.refresh_from_db()
    (event,) = post.events.all()
    assert (old, post.status) == ("submitted", "changes_requested")
    assert (event.action, event.actor, event.old_status, event.new_status, event.comment) == (
        "changes_requested",
        coordinator,
        "submitted",
        "changes_requested",
        "Kürzer.",
    )
    assert str(event) == f"Änderungen erbeten – {post.title}"


def test_a_history_entry_of_the_beat_or_an_anonymous_user_names_nobody():
    project = ProjectFactory()
    event = ProjectEvent.record(project, action="reminded", by=AnonymousUser())
    assert event.actor is None and event.new_status == project.status
    assert str(event) == f"an Aktualisierung erinnert – {project.title}"


def test_a_coordinator_cannot_send_a_withdrawn_profile_to_review():
    project = ProjectFactory(visibility="public", status=ProjectProfile.Status.ARCHIVED)
    with pytest.raises(projects.ProjectError, match="Sie können diesen Steckbrief nicht"):
        projects.submit_project(project=project, by=CoordinatorFactory())


def test_the_news_review_page_has_three_boxes_and_keeps_a_past_date(client):
    client.force_login(CoordinatorFactory())
    post = PostFactory(status=Post.Status.SUBMITTED)
    url = reverse("admin:news_post_moderate", args=[post.pk])
    page = client.get(url).content.decode()
    for text in ("Jetzt veröffentlichen", 'name="schedule"', "Änderungen erbitten", post.title):
        assert text in page
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"schedule": "1", "publish_at": past})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bitte wählen Sie einen Zeitpunkt in der Zukunft." in page
    assert f'value="{past}"' in page
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED and post.publish_at is None


def test_the_news_review_page_schedules_a_future_date(client):
    client.force_login(CoordinatorFactory())
    post = PostFactory(status=Post.Status.SUBMITTED)
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("admin:news_post_moderate", args=[post.pk]), {"schedule": "1", "publish_at": later}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:news_post_changelist")
    post.refresh_from_db()
    assert post.publish_at is not None and post.events.get().action == "scheduled"


def test_the_project_review_page_shows_a_refusal_and_stays(client):
    client.force_login(CoordinatorFactory())
    project = ProjectFactory(visibility="members", status=ProjectProfile.Status.SUBMITTED)
    url = reverse("admin:projects_review", args=[project.pk])
    page = client.get(url).content.decode()
    assert "Zurückgeben" in page and "An die Kommune zurückgeben" in page
    response = client.post(url, {"publish": ""}, follow=True)
    assert "nur für Mitglieder" in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectProfile.Status.SUBMITTED
