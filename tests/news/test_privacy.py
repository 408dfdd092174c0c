"""GDPR for the news: a member's posts in the export; anonymised, the published post stays."""

import json

import pytest
from django.apps import apps

from ikone.audit import AuditAction
from ikone.models import AuditEntry
from ikone.privacy import Subject, anonymise_subject, export_subject
from news import services
from news.models import Post, PostEvent
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db

EMAIL = "greta.geheim@kaiserslautern.example"
LAST_NAME = "Geheimnisvoll"


@pytest.fixture
def author():
    contact = MemberContactFactory(email=EMAIL, first_name="Greta", last_name=LAST_NAME)
    contact.user.first_name, contact.user.last_name = "Greta", LAST_NAME
    contact.user.save()
    return contact


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


@pytest.fixture
def published(author, coordinator):
    """Written by the member (naming herself), returned once, then published."""
    post = services.save_post(
        by=author.user,
        title="Greta Geheimnisvoll stellt das neue Bürgerportal vor",
        teaser="Fragen an Greta Geheimnisvoll.",
        body=f"Fragen bitte an <{EMAIL}> oder an Greta Geheimnisvoll persönlich.",
    )
    services.submit_post(post=post, by=author.user)
    services.request_changes(
        post=post, by=coordinator, comment=f"Bitte statt {EMAIL.upper()} das Funktionspostfach."
    )
    services.submit_post(post=post, by=author.user)
    return services.publish_post(post=post, by=coordinator)


def news_text() -> str:
    """Every value of every row of the news app's models."""
    rows = []
    for model in apps.get_app_config("news").get_models():
        for row in model._default_manager.all().values():
            rows.append(json.dumps(row, default=str, ensure_ascii=False))
    return "\n".join(rows)


def test_export_lists_the_posts_written_and_the_steps_taken(author, published):
    PostFactory(title="Beitrag einer Kollegin")  # someone else's

    data = export_subject(Subject.for_contact(author))["news"]

    assert [p["title"] for p in data["posts_written"]] == [published.title]
    assert data["posts_written"][0]["status"] == Post.Status.PUBLISHED
    assert data["posts_written"][0]["url"] == published.get_absolute_url()
    assert [e["action"] for e in data["post_history"]] == ["created", "submitted", "submitted"]
    json.dumps(data)  # JSON-able


def test_export_of_a_coordinator_holds_their_review_comments(coordinator, published):
    data = export_subject(Subject.for_user(coordinator))["news"]

    actions = {e["action"]: e["comment"] for e in data["post_history"]}
    assert actions["changes_requested"].startswith("Bitte statt")
    assert "published" in actions


def test_anonymisation_removes_name_and_address_but_the_post_stays_public(
    author, coordinator, published, client, django_capture_on_commit_callbacks
):
    draft = services.save_post(by=author.user, title="Entwurf von Greta Geheimnisvoll", teaser="T")
    assert EMAIL in news_text()
    assert LAST_NAME in client.get(published.get_absolute_url()).content.decode()  # cached

    with django_capture_on_commit_callbacks(execute=True):
        anonymise_subject(Subject.for_contact(author), by=coordinator)

    stored = news_text()
    assert EMAIL not in stored.lower()
    assert LAST_NAME not in stored
    published.refresh_from_db()
    assert published.status == Post.Status.PUBLISHED
    assert published.author_id == author.user_id  # now the anonymised, nameless login
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "stellt das neue Bürgerportal vor" in content
    assert LAST_NAME not in content
    assert EMAIL not in content
    draft.refresh_from_db()
    assert "geheimnisvoll" not in draft.slug  # not yet public: the slug follows the title
    # the history is kept, the coordinator's comment without the address
    comment = PostEvent.objects.get(action=PostEvent.Action.CHANGES_REQUESTED).comment
    assert comment == "Bitte statt [anonymised] das Funktionspostfach."
    # the trail says a coordinator removed personal data, without copying the old text
    assert AuditEntry.objects.filter(
        object_id=str(published.pk), actor=coordinator, action=AuditAction.PERSONAL_DATA_REMOVED
    ).exists()
    assert LAST_NAME not in str(AuditEntry.objects.values_list())
    # the typed "changes requested" entry keeps the comment, without the address
    assert EMAIL not in str(AuditEntry.objects.values_list()).lower()


def test_anonymising_someone_else_leaves_the_posts_alone(author, coordinator, published):
    other = MemberContactFactory(municipality=author.municipality)
    before = news_text()

    anonymise_subject(Subject.for_contact(other), by=coordinator)

    assert news_text() == before
