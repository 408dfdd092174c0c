import re

import pytest

from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are asserted in English; the German page is checked explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def member(db):
    return MemberContactFactory(municipality=MunicipalityFactory(name="Kaiserslautern"))


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


def search(client, *, user=None, **params):
    """GET /suche/ (English) as ``user``; returns the response."""
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client.get("/suche/", params, HTTP_ACCEPT_LANGUAGE="en")


def hit_titles(response) -> list[str]:

    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(
            r'<h2 class="h5 mb-1"><a href="[^"]*">(.*?)</a></h2>', response.text
        )
    ]
