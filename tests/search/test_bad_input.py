"""Bad input to /suche/ gets a clear message (400) or an empty result, never a 500."""

import pytest

from tests.news.factories import PublishedPostFactory

from .conftest import search


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        '"Laternen',
        "Laternen'; DROP TABLE news_post; --",
        "a:* & !b | (c",
        "-",
        "or",
        "<script>alert(1)</script>",
        "der die das",
        "Zeppelin " * 20,
        "\u202eLaternen",
    ],
)
def test_odd_queries_answer_normally(client, db, text):
    PublishedPostFactory(title="Laternen")

    response = search(client, q=text)

    assert response.status_code in (200, 400)
    assert "<script>alert(1)" not in response.text


def test_quotes_search_a_phrase(client, db):
    PublishedPostFactory(title="Smarte Laternen im Test")

    response = search(client, q='"Smarte Laternen"')

    assert response.status_code == 200
    assert "Smarte" in response.text


def test_ten_thousand_characters_are_refused_with_a_message(client, db):
    response = search(client, q="Laterne" * 1500)

    assert response.status_code == 400
    assert "Please search with at most 200 characters" in response.text


def test_nul_byte_is_refused_with_a_message(client, db):
    response = search(client, q="Later\x00ne")

    assert response.status_code == 400
    assert "Invalid request" in response.text


def test_only_punctuation_asks_for_a_word(client, db):
    response = search(client, q="?!")

    assert response.status_code == 400
    assert "Please search for at least one letter or digit." in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "passwords"},
        {"topic": "no-such-topic"},
        {"municipality": "atlantis"},
        {"year": "zwanzig"},
        {"year": "99999999999999999999"},
        {"page": "-1"},
        {"page": "9999"},
    ],
)
def test_bad_filters_answer_with_a_message_or_a_page(client, db, params):
    response = search(client, q="Laternen", **params)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "invalid-feedback" in response.text
