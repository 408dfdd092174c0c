import pytest
from django.urls import reverse

from members import demo as members_demo
from news import demo
from news.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_topics(network_topics):
    """The demo tags with the seeded topics, which a transactional test may have flushed."""


def test_demo_posts_are_idempotent_and_shown(client):
    base = members_demo.load()
    demo.load(base=base)
    demo.load(base=base)
    assert Post.objects.count() == 7
    assert Post.objects.filter(status=Post.Status.SUBMITTED).count() == 1
    # one sent back to the demo member's municipality, waiting on their start page
    sent_back = Post.objects.get(status=Post.Status.CHANGES_REQUESTED)
    assert sent_back.municipality == base["member"].contact.municipality
    assert sent_back.events.get(action="changes_requested").comment
    home = client.get(reverse("home")).content.decode()
    assert "3. digitaler Stammtisch" in home
    for post in Post.objects.published():
        assert client.get(post.get_absolute_url()).status_code == 200


def test_demo_reports_link_to_the_demo_meetings(client):
    from meetings import demo as meetings_demo

    base = members_demo.load()
    meetings_demo.load(base=base)
    demo.load(base=base)
    report = Post.objects.get(slug="dritter-digitaler-stammtisch-smarte-laternen")
    assert report.meeting is not None
    content = client.get(report.get_absolute_url()).content.decode()
    assert report.meeting.get_absolute_url() in content
