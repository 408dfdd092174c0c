"""The portal search /suche/: German stemming, ranking, snippets, filters, index upkeep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ikone.models import SearchDocument
from tests.factories import MunicipalityFactory, TopicFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.news.factories import PublishedPostFactory
from tests.projects.factories import PublicProjectFactory

from .conftest import hit_titles, search


def test_german_stemming_sensornetze_finds_sensornetz(client, postgres):
    PublicProjectFactory(title="Pegel im Blick", summary="Ein Sensornetz misst die Bäche.")
    PublicProjectFactory(title="Parkhaus", summary="Freie Plätze werden gezählt.")

    response = search(client, q="Sensornetze")

    assert response.status_code == 200
    assert hit_titles(response) == ["Pegel im Blick"]
    assert "<mark>Sensornetz</mark>" in response.text


def test_a_word_finds_its_german_compounds(client, postgres):
    PublishedPostFactory(title="Mainz startet eine Beteiligungsplattform", teaser="Online.")

    assert hit_titles(search(client, q="Beteiligung")) == [
        "Mainz startet eine Beteiligungsplattform"
    ]


def test_hits_in_the_title_rank_before_hits_in_the_text(client, postgres):
    PublishedPostFactory(title="Neues aus Trier", body="Am Rande ging es auch um Laternen.")
    PublicProjectFactory(title="Smarte Laternen", summary="Sie dimmen nachts.")

    assert hit_titles(search(client, q="Laterne")) == ["Smarte Laternen", "Neues aus Trier"]


def test_newer_wins_between_equally_good_hits(client, db):
    old = timezone.now() - timedelta(days=400)
    PublishedPostFactory(title="Laternen im Test", published_at=old)
    PublishedPostFactory(title="Laternen im Betrieb")

    assert hit_titles(search(client, q="Laternen")) == ["Laternen im Betrieb", "Laternen im Test"]


def test_snippets_escape_the_text_and_mark_only_the_hits(client, db):
    PublishedPostFactory(
        title="Laternen <b>fett</b>",
        teaser="",
        body="Vorher <script>alert('x')</script> &amp; dann Laternen, die funken.",
        body_html="",
    )

    response = search(client, q="Laternen")

    assert "<script>alert" not in response.text
    assert "<b>fett</b>" not in response.text
    assert "&lt;b&gt;fett&lt;/b&gt;" in response.text
    assert "<mark>Laternen</mark>" in response.text


def test_results_link_to_the_pages(client, db):
    post = PublishedPostFactory(title="Laternen in Worms")
    item = AgendaItemFactory(title="Laternen im Stammtisch", meeting=MeetingFactory())

    response = search(client, q="Laternen")

    assert f'href="{post.get_absolute_url()}"' in response.text
    assert f'href="{item.meeting.get_absolute_url()}#agenda-heading"' in response.text


def test_kind_tab_narrows_the_list_and_counts_every_kind(client, db):
    PublishedPostFactory(title="Laternen im Netz")
    PublicProjectFactory(title="Laternen am Rhein")

    everything = search(client, q="Laternen")
    projects = search(client, q="Laternen", kind="project")

    assert len(hit_titles(everything)) == 2
    assert hit_titles(projects) == ["Laternen am Rhein"]
    assert "News <span" in projects.text  # the news tab still shows its count


def test_filters_by_topic_municipality_and_year(client, db):
    worms = MunicipalityFactory(name="Worms", slug="worms")
    topic = TopicFactory(name="Klima", slug="klima")
    tagged = PublishedPostFactory(title="Laternen und Klima")
    tagged.topics.add(topic)
    PublishedPostFactory(title="Laternen aus Worms", municipality=worms)
    PublishedPostFactory(
        title="Laternen von früher", published_at=timezone.now().replace(year=2019)
    )

    assert hit_titles(search(client, q="Laternen", topic="klima")) == ["Laternen und Klima"]
    assert hit_titles(search(client, q="Laternen", municipality="worms")) == ["Laternen aus Worms"]
    assert hit_titles(search(client, q="Laternen", year="2019")) == ["Laternen von früher"]


def test_index_follows_edits_and_deletions(client, db):
    post = PublishedPostFactory(title="Laternen im Test")
    meeting = MeetingFactory(slug="stammtisch-alt")
    AgendaItemFactory(meeting=meeting, title="Funkende Laternen")

    post.title = "Brücken im Test"
    post.save()
    meeting.slug = "stammtisch-neu"
    meeting.save()

    assert hit_titles(search(client, q="Brücken")) == ["Brücken im Test"]
    assert 'href="/treffen/stammtisch-neu/#agenda-heading"' in search(client, q="Laternen").text
    post.delete()
    assert not SearchDocument.objects.filter(kind="post", object_id=post.pk).exists()


def test_rebuild_recreates_the_index(db):
    from django.core.management import call_command

    PublishedPostFactory(title="Laternen")
    SearchDocument.objects.all().delete()

    call_command("rebuild_search_index", verbosity=0)

    assert SearchDocument.objects.filter(kind="post", title="Laternen").exists()


def test_rebuilding_an_unknown_kind_names_the_kinds_there_are(db):
    """A typo (``posts`` for ``post``) rebuilt nothing and said nothing."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"Unknown kind posts; the index has: .*\bpost\b"):
        call_command("rebuild_search_index", "posts", verbosity=0)


def test_empty_search_shows_what_to_do(client, db):
    response = search(client)

    assert response.status_code == 200
    assert "What are you looking for?" in response.text


def test_nothing_found_shows_the_empty_state(client, db):
    response = search(client, q="Zeppelinhafen")

    assert response.status_code == 200
    assert "Nothing found." in response.text


def test_header_search_box_on_every_page(client, db):
    response = client.get("/mitglieder/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'action="/suche/"' in response.text
    assert '<label class="visually-hidden" for="header-search-q">' in response.text


def test_page_in_german(client, db):
    PublishedPostFactory(title="Laternen")

    response = client.get("/suche/", {"q": "Laternen"}, HTTP_ACCEPT_LANGUAGE="de")

    assert "Portal durchsuchen" in response.text
    assert "1 Treffer für „Laternen“." in response.text


@pytest.mark.parametrize("count", [25])
def test_pagination(client, db, count):
    for n in range(count):
        PublishedPostFactory(title=f"Laternen {n}")

    first = search(client, q="Laternen")
    second = search(client, q="Laternen", page="2")

    assert len(hit_titles(first)) == 20
    assert len(hit_titles(second)) == 5
    assert "Page 2 of 2" in second.text


@pytest.mark.parametrize("page", ["9999", "-1", "99999999999999999999"])
def test_a_page_out_of_range_shows_the_last_one_with_no_extra_query(client, db, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(25):
        PublishedPostFactory(title=f"Laternen {n}")
    search(client, q="Laternen")
    with CaptureQueriesContext(connection) as first:
        search(client, q="Laternen", page="1")
    with CaptureQueriesContext(connection) as last:
        response = search(client, q="Laternen", page=page)

    assert "Page 2 of 2" in response.text
    assert len(hit_titles(response)) == 5
    assert len(last) == len(first)


def test_a_hit_deep_in_a_long_text_is_still_marked_in_the_snippet(client, postgres):
    filler = " ".join(["Verwaltung Rathaus Haushalt"] * 200)  # about 5,400 characters
    PublishedPostFactory(title="Pegel", teaser="", body=f"{filler} Ein Sensornetz misst. {filler}")

    response = search(client, q="Sensornetze")

    assert hit_titles(response) == ["Pegel"]
    assert "<mark>Sensornetz</mark> misst" in response.text


def test_the_index_is_asked_for_the_prefixes_alone_only_when_they_find_everything(
    postgres, monkeypatch
):
    """Plain words: the prefix query finds all the typed query finds, so the index is asked
    for it alone — the same hits, in the same order. Words the parser keeps whole (an
    address, a hyphenated compound) are asked as typed."""
    from django.contrib.auth.models import AnonymousUser

    from ikone import search_query
    from ikone.search import PUBLIC

    texts = [
        ("Glasfaser für alle", "Die Förderung des Glasfaserausbaus im Landkreis."),
        ("Förderprogramm 2024", "Glasfaser und Mobilfunk, Haushalt 2024."),
        ("E-Mail-Postfach", "Schreiben Sie an info@kl-digital.example."),
        ("Laternen", "Die Laternen dimmen nachts."),
    ]
    for title, summary in texts:
        PublicProjectFactory(title=title, summary=summary)

    def found(text):
        results = search_query.find(text=text, user=AnonymousUser(), audiences={PUBLIC})
        return results.total, [hit.url for hit in results.documents[0:20]]

    asked_alone = []
    for text in ("Glasfaser Förderung", "2024 Haushalt", "die Laternen", "Glas"):
        query = search_query._tsquery(text)
        asked_alone.append(search_query._match(text, query) is not query)
        with_prefixes = found(text)
        monkeypatch.setattr(search_query, "_match", lambda text, query: query)
        assert found(text) == with_prefixes, text
        monkeypatch.undo()
        assert with_prefixes[0] >= 1, text
    assert all(asked_alone)
    for text in ("E-Mail", "info@kl-digital.example", '"Glasfaser und Mobilfunk"'):
        query = search_query._tsquery(text)
        assert search_query._match(text, query) is query, text
        assert found(text)[0] == 1, text
