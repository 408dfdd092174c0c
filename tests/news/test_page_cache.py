"""The anonymous page cache: one key per page whatever the query string, the early path in
front of the middleware stack, and who gets which copy."""

import pytest
from django.urls import reverse

from ikone import pagecache as caching
from news.models import Post
from tests.factories import MemberContactFactory
from tests.news.factories import PublishedPostFactory

pytestmark = pytest.mark.django_db

NEWS = "/neuigkeiten/"


def _page_keys() -> list[str]:
    return [key for key in caching.local_pages.items if key.startswith("news:page:")]


def test_junk_parameters_share_one_cache_key_and_one_render(client, django_assert_num_queries):
    PublishedPostFactory(title="Smarte Laternen")
    first = client.get(NEWS, {"utm": "0"})
    with django_assert_num_queries(0):
        for n in range(1, 200):
            response = client.get(NEWS, {"utm": str(n), f"x{n}": "y", "page": "1"})
            assert response.content == first.content
    assert len(_page_keys()) == 1


def test_junk_parameters_add_no_keys_to_redis(client, redis_url, settings):
    import redis

    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": redis_url}}
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    PublishedPostFactory()
    for n in range(300):
        assert client.get(NEWS, {"utm": str(n)}).status_code == 200
    keys = list(server.scan_iter(match="ikone:*news:page:*", count=1000))
    assert len(keys) == 1, keys


def test_junk_parameters_do_not_end_up_in_the_cached_page(client):
    PublishedPostFactory.create_batch(13)  # two pages: pagination links carry the filters
    content = client.get(NEWS, {"utm": "evil-campaign", "kind": "news"}).content.decode()
    assert "evil-campaign" not in content
    assert "kind=news" in content
    assert "evil-campaign" not in client.get(NEWS, {"kind": "news"}).content.decode()


def test_parameters_the_page_uses_still_vary_it(client):
    PublishedPostFactory(title="Ein Blogeintrag", kind=Post.Kind.BLOG)
    PublishedPostFactory(title="Eine Nachricht", kind=Post.Kind.NEWS)

    blog = client.get(NEWS, {"kind": "blog", "utm": "1"}).content.decode()
    news = client.get(NEWS, {"kind": "news", "utm": "1"}).content.decode()
    search = client.get(NEWS, {"q": "Nachricht"}).content.decode()

    assert "Ein Blogeintrag" in blog and "Eine Nachricht" not in blog
    assert "Eine Nachricht" in news and "Ein Blogeintrag" not in news
    assert "Eine Nachricht" in search and "Ein Blogeintrag" not in search
    assert len(_page_keys()) == 3


def test_order_repeats_spacing_and_page_one_are_one_key(client):
    PublishedPostFactory(kind=Post.Kind.BLOG)
    for query in (
        "?kind=blog&q=digital",
        "?q=digital&kind=blog",
        "?q=+digital++&kind=news&kind=blog",
        "?kind=blog&q=digital&page=1",
        "?kind=blog&q=digital&page=x&year=",
    ):
        assert client.get(NEWS + query).status_code == 200
    assert len(_page_keys()) == 1
    client.get(NEWS + "?kind=blog&q=digital&page=02")
    assert len(_page_keys()) == 2


def test_canonical_query():
    from django.http import QueryDict

    params = ("kind", "page", "q")
    query = QueryDict("utm=1&q=+a++b+&kind=x&kind=blog&page=003&zz=9")
    assert caching.canonical_query(query, params).urlencode() == "kind=blog&page=3&q=a+b"
    assert caching.canonical_query(QueryDict("page=1&page=%C2%B2"), params).urlencode() == ""


# --- The early path -------------------------------------------------------------------------


def test_cache_hit_is_answered_before_the_session_middleware(client):
    PublishedPostFactory(title="Smarte Laternen")
    full = client.get(NEWS)  # renders and stores the page
    assert hasattr(full.wsgi_request, "session")

    early = client.get(NEWS, {"utm": "x"})

    assert not hasattr(early.wsgi_request, "session")  # no session, auth, locale, CSRF …
    assert not hasattr(early.wsgi_request, "user")
    assert early.content == full.content
    assert "Smarte Laternen" in early.content.decode()


def _headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name != "Date"}


@pytest.mark.parametrize("path", ["/", NEWS])
def test_early_answer_carries_the_same_headers_as_the_whole_stack(client, path):
    PublishedPostFactory()
    client.get(path)
    caching.routes.clear()  # the next request goes down the whole stack, to the cached copy
    whole_stack = client.get(path)
    assert hasattr(whole_stack.wsgi_request, "session")
    early = client.get(path)
    assert not hasattr(early.wsgi_request, "session")

    assert _headers(early) == _headers(whole_stack)
    assert "Content-Security-Policy" in early.headers
    assert early["X-Frame-Options"] == "DENY"
    assert early["Vary"] == "Accept-Language, Cookie"


def test_logged_in_members_never_get_the_anonymous_copy(client):
    PublishedPostFactory()
    anonymous = client.get("/").content.decode()
    assert reverse("account_logout") not in anonymous

    client.force_login(MemberContactFactory().user)
    member = client.get("/")

    assert hasattr(member.wsgi_request, "session")
    assert reverse("account_logout") in member.content.decode()


def test_anonymous_visitors_never_get_a_members_copy(client):
    PublishedPostFactory()
    member_client = client.__class__()
    member_client.force_login(MemberContactFactory().user)
    assert reverse("account_logout") in member_client.get("/").content.decode()

    assert reverse("account_logout") not in client.get("/").content.decode()
    assert reverse("account_logout") not in client.get("/").content.decode()  # cached


def test_languages_are_cached_apart(client):
    PublishedPostFactory()
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies["django_language"] = "en"
    english_by_cookie = client.get("/", HTTP_ACCEPT_LANGUAGE="de")

    assert '<html lang="de">' in german
    assert '<html lang="en">' in english
    assert not hasattr(english_by_cookie.wsgi_request, "session")  # served early
    assert english_by_cookie.content.decode() == english
    assert english_by_cookie["Content-Language"] == "en"


def test_unknown_host_is_refused_on_the_early_path_too(client):
    PublishedPostFactory()
    client.get(NEWS)
    assert client.get(NEWS, HTTP_HOST="evil.example").status_code == 400
