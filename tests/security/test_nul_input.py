"""A NUL character anywhere in a request gets a translated 400, never a 500.

PostgreSQL refuses NUL in text, so before ``ikone.middleware.RejectNulMiddleware`` e.g.
``/mitglieder/?q=%00`` answered 500. Every URL of the project (enumerated like the access
matrix) is asked with a NUL in every search, filter and paging parameter the views read; run
with DATABASE_URL on PostgreSQL, where the queries would fail.
"""

from urllib.parse import urlencode

import django_filters
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.security.access import build_world, expectations

EXPECTATIONS = expectations()
# /health/ is answered before every other middleware and reads no parameter.
SKIP = {"health"}
# Parameters views read from request.GET (see the views) besides the filter sets' fields.
VIEW_PARAMETERS = {
    "q",
    "page",
    "next",
    "status",
    "year",
    "antwort",
    "gespeichert",
    "kind",
    "district",
    "o",
    "p",
    "e",
    "topic",  # the search's filters (a plain form)
    "municipality",
}
GERMAN = "Ungültige Anfrage"
ENGLISH = "Invalid request"


def filter_parameters() -> set[str]:
    import members.filters  # noqa: F401
    import news.filters  # noqa: F401

    names, todo = set(), list(django_filters.FilterSet.__subclasses__())
    while todo:
        filterset = todo.pop()
        todo.extend(filterset.__subclasses__())
        names.update(filterset.base_filters)
    return names


def nul_query() -> str:
    names = sorted(VIEW_PARAMETERS | filter_parameters())
    assert {"q", "municipality", "topic"} <= set(names)
    return urlencode(dict.fromkeys(names, "a\x00b"))


@pytest.fixture
def world(db, settings, tmp_path):
    return build_world(tmp_path / "media")


def clients(world):
    anonymous, coordinator, member = (Client(raise_request_exception=False) for _ in range(3))
    coordinator.force_login(world.coordinator)
    member.force_login(world.contact_a.user)
    return {"anonymous": anonymous, "member_a": member, "coordinator": coordinator}


def assert_rejected(response, where):
    assert response.status_code == 400, f"{where}: {response.status_code}"
    assert GERMAN in response.content.decode(), where


def test_every_url_rejects_a_nul_in_any_parameter(world):
    # every parameter at once, and the search alone (with the others a filter form may be
    # invalid before it reaches the database)
    queries = [nul_query(), "q=%00", "q=a%00b&page=2"]
    wrong = []
    for role, client in clients(world).items():
        for key in sorted(set(EXPECTATIONS) - SKIP):
            expect = EXPECTATIONS[key]
            kwargs = expect.kwargs(world) if expect.kwargs else None
            for query in queries:
                url = f"{reverse(key, kwargs=kwargs)}?{query}"
                response = client.generic(expect.method, url)
                if response.status_code != 400 or GERMAN not in response.content.decode():
                    wrong.append(f"{role} {url[:80]}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_every_admin_changelist_rejects_a_nul_in_the_search(world):
    client = clients(world)["coordinator"]
    wrong = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, {"q": "x\x00y"})
        if response.status_code != 400:
            wrong.append(f"{url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_directory_search_from_the_issue(world):
    client = clients(world)["member_a"]

    assert_rejected(client.get("/bereich/kontakte/?q=%00"), "directory")
    assert_rejected(client.get("/mitglieder/?q=%00"), "municipalities")
    english = client.get("/mitglieder/?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert ENGLISH in english.content.decode()
    # without the NUL the same pages work
    assert client.get("/bereich/kontakte/?q=a").status_code == 200
    assert client.get("/mitglieder/?q=a").status_code == 200


def test_nul_in_the_path_a_form_and_a_cookie(world):
    client = Client(raise_request_exception=False)
    assert_rejected(client.get("/treffen/kalender/ab%00cd.ics"), "path")
    assert_rejected(
        client.post(reverse("account_login"), {"login": "a\x00@b.example", "password": "x"}),
        "login form",
    )
    assert_rejected(client.post(reverse("members:apply"), {"municipality_name\x00": "x"}), "key")
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert_rejected(client.get("/"), "session cookie")
