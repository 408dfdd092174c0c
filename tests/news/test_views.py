"""The members' editor: permission table, drafts, previews, submitting."""

import pytest
from django.urls import reverse

from news.models import Post
from tests.factories import CoordinatorFactory, MemberContactFactory, UserFactory
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MemberContactFactory().user


@pytest.mark.parametrize(
    ("role", "name", "own", "expected"),
    [
        ("anonymous", "news:my_posts", None, 302),
        ("anonymous", "news:create", None, 302),
        ("anonymous", "news:edit", True, 302),
        ("no_right", "news:my_posts", None, 403),
        ("no_right", "news:create", None, 403),
        ("no_right", "news:edit", True, 403),
        ("member", "news:my_posts", None, 200),
        ("member", "news:create", None, 200),
        ("member", "news:edit", True, 200),
        ("member", "news:my_preview", True, 200),
        ("member", "news:edit", False, 404),
        ("member", "news:my_preview", False, 404),
        ("coordinator", "news:edit", False, 200),
        ("coordinator", "news:my_preview", False, 200),
    ],
)
def test_permission_table(client, member, role, name, own, expected):
    own_post = PostFactory(municipality=member.contact.municipality)
    other_post = PostFactory()
    users = {"member": member, "no_right": UserFactory(), "coordinator": CoordinatorFactory()}
    if role in users:
        client.force_login(users[role])
    args = [] if own is None else [(own_post if own else other_post).pk]
    response = client.get(reverse(name, args=args))
    assert response.status_code == expected
    if expected == 302:
        assert reverse("account_login") in response["Location"]


def test_member_saves_a_draft_and_submits_it(client, member):
    client.force_login(member)
    response = client.post(
        reverse("news:create"),
        {"kind": "blog", "title": "Unser Bürgerportal", "teaser": "Kurz", "body": "Lang",
         "submit": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.status, post.kind) == (Post.Status.SUBMITTED, "blog")
    listing = client.get(reverse("news:my_posts")).content.decode()
    assert "Unser Bürgerportal" in listing


def test_submitting_an_empty_body_keeps_the_draft_with_a_message(client, member):
    client.force_login(member)
    response = client.post(
        reverse("news:create"),
        {"kind": "news", "title": "Ohne Text", "teaser": "Kurz", "body": "", "submit": "1"},
        follow=True,
    )
    assert Post.objects.get().status == Post.Status.DRAFT
    assert "Ohne Text" in response.content.decode()
    assert response.context["messages"]


def test_editing_a_submitted_post_redirects_to_its_preview(client, member):
    post = PostFactory(municipality=member.contact.municipality, status=Post.Status.SUBMITTED)
    client.force_login(member)
    response = client.get(reverse("news:edit", args=[post.pk]))
    assert response["Location"] == reverse("news:my_preview", args=[post.pk])


def test_posting_to_another_municipalitys_post_is_not_found(client, member):
    other = PostFactory(title="Fremd")
    client.force_login(member)
    response = client.post(
        reverse("news:edit", args=[other.pk]), {"kind": "news", "title": "X", "teaser": "X"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title == "Fremd"


def test_live_preview_returns_sanitised_html(client, member):
    client.force_login(member)
    response = client.post(
        reverse("news:markdown_preview"), {"body": "**fett** <script>alert(1)</script>"}
    )
    assert response.json()["html"].startswith("<p><strong>fett</strong>")
    assert "<script" not in response.json()["html"]


def test_no_js_preview_button_renders_the_text(client, member):
    client.force_login(member)
    response = client.post(
        reverse("news:create"),
        {"kind": "news", "title": "T", "teaser": "T", "body": "## Vorschau", "preview": "1"},
    )
    assert "<h2>Vorschau</h2>" in response.content.decode()
    assert not Post.objects.exists()


def test_coordinator_moderation_page_publishes(client):
    coordinator = CoordinatorFactory()
    post = PostFactory(status=Post.Status.SUBMITTED)
    client.force_login(coordinator)
    page = client.get(reverse("admin:news_post_moderate", args=[post.pk]))
    assert page.status_code == 200
    client.post(reverse("admin:news_post_moderate", args=[post.pk]), {"publish": "1"})
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_coordinator_requests_changes_in_the_admin(client):
    coordinator = CoordinatorFactory()
    post = PostFactory(status=Post.Status.SUBMITTED)
    client.force_login(coordinator)
    url = reverse("admin:news_post_moderate", args=[post.pk])
    client.post(url, {"request_changes": "1", "comment": "Bitte kürzen."})
    post.refresh_from_db()
    assert post.status == Post.Status.CHANGES_REQUESTED


def test_admin_changelist_and_add_form_work(client):
    client.force_login(CoordinatorFactory())
    PostFactory(status=Post.Status.SUBMITTED)
    assert (
        client.get(reverse("admin:news_post_changelist"), {"queue": "waiting"}).status_code == 200
    )
    response = client.post(
        reverse("admin:news_post_add"),
        {"kind": "news", "title": "Von der Koordination", "teaser": "T", "body": "B",
         "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Post.objects.filter(title="Von der Koordination", municipality=None).exists()


def test_member_links_a_report_to_a_meeting_shown_on_the_post_page(client, member):
    from meetings.models import Meeting
    from news import services
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory(is_public=True, status=Meeting.Status.ANNOUNCED)
    client.force_login(member)
    client.post(
        reverse("news:create"),
        {"kind": "meeting_report", "title": "Bericht", "teaser": "T", "body": "B",
         "meeting": meeting.pk, "save": "1"},
    )  # fmt: skip
    post = Post.objects.get()
    assert post.meeting == meeting
    services.publish_post(post=post, by=CoordinatorFactory())
    client.logout()
    assert meeting.get_absolute_url() in client.get(post.get_absolute_url()).content.decode()
