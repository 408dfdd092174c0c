"""Markup of the post page's aside and the editor's review note (found by axe-core)."""

import re

import pytest
from django.urls import reverse

from news import services
from news.models import Post
from tests.factories import CoordinatorFactory, MemberContactFactory, TopicFactory
from tests.news.factories import PostFactory, PublishedPostFactory

pytestmark = pytest.mark.django_db


def labelled_ids_exist(content: str) -> bool:
    ids = set(re.findall(r'\bid="([^"]+)"', content))
    labelled = re.findall(r'aria-labelledby="([^"]*)"', content)
    return all(part in ids for value in labelled for part in value.split())


def test_post_without_related_posts_has_no_empty_aside(client):
    post = PublishedPostFactory()

    content = client.get(post.get_absolute_url()).content.decode()

    assert "<aside" not in content
    assert labelled_ids_exist(content)


def test_related_posts_aside_is_labelled_by_its_heading(client):
    topic = TopicFactory()
    post = PublishedPostFactory()
    PublishedPostFactory(title="Mehr Laternen").topics.add(topic)
    post.topics.add(topic)

    content = client.get(post.get_absolute_url()).content.decode()

    assert '<aside class="col-lg-4" aria-labelledby="related-heading">' in content
    assert "Mehr Laternen" in content
    assert labelled_ids_exist(content)


def test_preview_history_has_its_own_heading_id(client):
    member = MemberContactFactory().user
    post = services.save_post(by=member, title="Entwurf", teaser="T", body="B")
    client.force_login(member)

    content = client.get(reverse("news:my_preview", args=[post.pk])).content.decode()

    assert 'aria-labelledby="history-heading"' in content
    assert content.count('id="history-heading"') == 1
    assert 'id="related-heading"' not in content
    assert labelled_ids_exist(content)


def test_review_comment_stays_in_the_editor_after_the_author_saves(client):
    member = MemberContactFactory().user
    post = PostFactory(municipality=member.contact.municipality, status=Post.Status.SUBMITTED)
    services.request_changes(post=post, by=CoordinatorFactory(), comment="Bitte kürzen.")
    client.force_login(member)
    edit = reverse("news:edit", args=[post.pk])
    assert "Bitte kürzen." in client.get(edit).content.decode()

    client.post(edit, {"kind": "news", "title": "Kürzer", "teaser": "T", "body": "B"})

    assert Post.objects.get(pk=post.pk).status == Post.Status.CHANGES_REQUESTED
    assert "Bitte kürzen." in client.get(edit).content.decode()


def test_editor_of_a_draft_shows_no_review_note(client):
    member = MemberContactFactory().user
    post = PostFactory(municipality=member.contact.municipality)
    client.force_login(member)

    content = client.get(reverse("news:edit", args=[post.pk])).content.decode()

    assert "asks for changes" not in content
