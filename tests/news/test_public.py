"""What a visitor sees: homepage, news list with filters and search, post page, feeds."""

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news import services
from news.models import Post
from tests.factories import CoordinatorFactory, MunicipalityFactory, TopicFactory
from tests.news.factories import PostFactory, PublishedPostFactory

pytestmark = pytest.mark.django_db


def test_homepage_shows_latest_posts_and_keeps_its_content(client):
    PublishedPostFactory(title="Smarte Laternen")
    PostFactory(title="Entwurf bleibt privat")
    content = client.get(reverse("home")).content.decode()
    assert "Smarte Laternen" in content
    assert "Entwurf bleibt privat" not in content
    assert "digitalen Stammtisch" in content or "digital Stammtisch" in content


def test_news_list_filters_by_municipality_topic_kind_and_year(client):
    mainz = MunicipalityFactory(name="Mainz", slug="mainz")
    topic = TopicFactory(name="Smart City", slug="smart-city")
    tagged = PublishedPostFactory(title="Mainzer Sensoren", municipality=mainz)
    tagged.topics.add(topic)
    PublishedPostFactory(title="Bericht vom Stammtisch", kind=Post.Kind.MEETING_REPORT)
    old = PublishedPostFactory(title="Alter Beitrag")
    Post.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=800))
    url = reverse("news:list")

    def titles(**params):
        return {post.title for post in client.get(url, params).context["posts"]}

    assert titles(municipality="mainz") == {"Mainzer Sensoren"}
    assert titles(topic="smart-city") == {"Mainzer Sensoren"}
    assert titles(kind="meeting_report") == {"Bericht vom Stammtisch"}
    assert titles(year=str((timezone.now() - timedelta(days=800)).year)) == {"Alter Beitrag"}
    assert len(titles()) == 3


def test_search_finds_words_in_title_and_body(client):
    PublishedPostFactory(title="Digitale Bürgerbeteiligung", body="Plattform für Beteiligung")
    PublishedPostFactory(title="Krisenmanagement", body="Sirenen und Laternen")
    found = client.get(reverse("news:list"), {"q": "Laternen"}).context["posts"]
    assert [post.title for post in found] == ["Krisenmanagement"]


def test_unknown_filter_value_is_not_an_error(client):
    response = client.get(reverse("news:list"), {"municipality": "gibt-es-nicht", "page": "x"})
    assert response.status_code == 200


def test_post_page_shows_open_graph_and_related_posts(client):
    topic = TopicFactory()
    post = PublishedPostFactory(title="Smarte Laternen")
    other = PublishedPostFactory(title="Mehr Laternen")
    post.topics.add(topic)
    other.topics.add(topic)
    content = client.get(post.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Smarte Laternen">' in content
    assert "Mehr Laternen" in content
    assert post.municipality.name in content


def test_unpublished_post_page_is_not_found(client):
    assert client.get(PostFactory().get_absolute_url()).status_code == 404


@pytest.mark.parametrize("feed", ["news:feed_rss", "news:feed_atom"])
def test_feeds_parse_and_list_published_posts(client, feed):
    PublishedPostFactory(title="Smarte Laternen")
    PostFactory(title="Entwurf")
    parsed = feedparser.parse(client.get(reverse(feed)).content)
    assert not parsed.bozo
    assert [entry.title for entry in parsed.entries] == ["Smarte Laternen"]


def test_municipality_and_topic_feeds(client):
    mainz = MunicipalityFactory(slug="mainz")
    topic = TopicFactory(slug="smart-city")
    post = PublishedPostFactory(title="Aus Mainz", municipality=mainz)
    post.topics.add(topic)
    PublishedPostFactory(title="Anderswo")
    for name in ("news:feed_municipality_rss", "news:feed_municipality_atom"):
        parsed = feedparser.parse(client.get(reverse(name, args=["mainz"])).content)
        assert [entry.title for entry in parsed.entries] == ["Aus Mainz"]
    for name in ("news:feed_topic_rss", "news:feed_topic_atom"):
        parsed = feedparser.parse(client.get(reverse(name, args=["smart-city"])).content)
        assert [entry.title for entry in parsed.entries] == ["Aus Mainz"]
        assert parsed.entries[0].tags[0].term == topic.name


def test_sitemap_and_robots(client):
    post = PublishedPostFactory()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert post.get_absolute_url() in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


def seed(count):
    municipality = MunicipalityFactory()
    topic = TopicFactory()
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            title=f"Beitrag {n}",
            slug=f"beitrag-{n}",
            teaser="Teaser",
            body="Text",
            body_html="<p>Text</p>",
            municipality=municipality,
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
        )
        for n in range(count)
    )
    Post.topics.through.objects.bulk_create(
        Post.topics.through(post_id=post.pk, topic_id=topic.pk) for post in posts
    )


@pytest.mark.parametrize("url", ["home", "news:list"])
def test_query_count_does_not_grow_with_the_number_of_posts(client, url):
    seed(10)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url))
    Post.objects.all().delete()
    seed(1000)
    _forget_cached_pages()  # a fresh render: the first request's cached page hides queries
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(url))
    assert len(few) == len(many)
    assert len(many) <= 8


def _forget_cached_pages():
    from django.core.cache import cache

    from ikone.pagecache import forget_version, local_pages

    cache.clear()
    local_pages.clear()
    forget_version()


def test_anonymous_pages_are_cached_until_a_post_is_published(
    client, django_capture_on_commit_callbacks
):
    member_post = PostFactory(title="Neuer Beitrag", body="Text")
    first = client.get(reverse("news:list")).content.decode()
    assert "Neuer Beitrag" not in first
    assert "Neuer Beitrag" not in client.get(reverse("news:list")).content.decode()
    Post.objects.filter(pk=member_post.pk).update(title="Heimlich geändert")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_post(post=member_post, by=CoordinatorFactory())
    assert "Heimlich geändert" in client.get(reverse("news:list")).content.decode()


def test_cached_page_serves_the_same_content_without_queries(client, django_assert_num_queries):
    PublishedPostFactory(title="Smarte Laternen")
    client.get(reverse("news:list"))
    with django_assert_num_queries(0):
        response = client.get(reverse("news:list"))
    assert "Smarte Laternen" in response.content.decode()


def test_postgres_search_uses_german_stemming(client, postgres):
    PublishedPostFactory(title="Smarte Laternen in Kaiserslautern", body="Warnungen")
    PublishedPostFactory(title="Digitalstrategie", body="Beschluss des Stadtrats")
    found = client.get(reverse("news:list"), {"q": "Laterne"}).context["posts"]
    assert [post.title for post in found] == ["Smarte Laternen in Kaiserslautern"]


def test_page_version_is_shared_through_the_cache(redis_url, settings):
    """Another process bumping the version (through Redis) invalidates this one's pages."""
    import redis
    from django.core.cache import cache

    from ikone import pagecache as caching

    settings.IKONE_NEWS_VERSION_SECONDS = 0
    before = caching.current_version()
    key = cache.make_key(caching.VERSION_KEY)
    redis.Redis.from_url(redis_url).incr(key)
    assert caching.current_version() == before + 1


def test_version_is_reread_after_the_trust_interval(settings, monkeypatch):
    from django.core.cache import cache

    from ikone import pagecache as caching

    settings.IKONE_NEWS_VERSION_SECONDS = 30
    before = caching.current_version()
    cache.incr(caching.VERSION_KEY)  # as another process would
    assert caching.current_version() == before
    monkeypatch.setattr(caching.time, "monotonic", lambda: 10**12)
    assert caching.current_version() == before + 1


def test_the_filter_bar_styles_every_select_as_bootstrap_does(client):
    import re

    page = client.get("/neuigkeiten/").content.decode()
    start = page.rindex('role="search"')  # the news filter bar, after the header's search box
    form = page[start : page.index("</form>", start)]
    selects = re.findall(r"<select[^>]*>", form)
    assert len(selects) == 4
    assert all('class="form-select"' in select for select in selects), selects
