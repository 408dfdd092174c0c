"""Feeds publish the member-written teaser as text: a feed reader must never render its markup.

Parsed with feedparser, which (like feed readers) treats an RSS ``<description>`` and an Atom
``<summary type="html">`` as HTML. The teaser must arrive as literal text.
"""

from html import unescape
from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from tests.factories import MunicipalityFactory, TopicFactory
from tests.news.factories import PublishedPostFactory

pytestmark = pytest.mark.django_db

TEASER = (
    "<script>alert('feed')</script> <img src=x onerror=alert(1)> "
    '<b>fett</b> & <a href="javascript:alert(2)">Link</a> Grüße'
)

FEEDS = [
    ("news:feed_rss", None),
    ("news:feed_atom", None),
    ("news:feed_municipality_rss", "mainz"),
    ("news:feed_municipality_atom", "mainz"),
    ("news:feed_topic_rss", "smart-city"),
    ("news:feed_topic_atom", "smart-city"),
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def tags_in(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


@pytest.fixture
def post():
    post = PublishedPostFactory(
        title="Beitrag mit Markup",
        teaser=TEASER,
        municipality=MunicipalityFactory(slug="mainz"),
    )
    post.topics.add(TopicFactory(slug="smart-city"))
    return post


@pytest.mark.parametrize(("name", "slug"), FEEDS)
def test_feed_teaser_arrives_as_literal_text(client, post, name, slug):
    response = client.get(reverse(name, args=[slug] if slug else []))
    parsed = feedparser.parse(response.content)

    assert not parsed.bozo, parsed.bozo_exception
    [entry] = parsed.entries
    detail = entry.summary_detail
    if detail.type == "text/plain":
        assert detail.value == TEASER
    else:
        # Given as HTML: it must contain no element at all and show the teaser verbatim.
        assert detail.type == "text/html"
        assert tags_in(detail.value) == []
        assert unescape(detail.value) == TEASER


def test_atom_summary_is_declared_text(client, post):
    content = client.get(reverse("news:feed_atom")).content.decode()

    assert '<summary type="text">' in content
    assert 'type="html"' not in content
    assert "<script>" not in content
