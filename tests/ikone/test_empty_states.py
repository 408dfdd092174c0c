"""An empty list says why it is empty and what to do next, with a link to do it."""

import re

import pytest

from tests.factories import MemberContactFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def _empty_state(response) -> str:
    html = response.content.decode()
    found = re.search(r'<div class="empty-state">(.*?)</div>\s*</div>', html, re.S)
    assert found, "the page shows no empty-state block"
    return found.group(1)


@pytest.mark.parametrize(
    ("path", "says", "links_to"),
    [
        ("/neuigkeiten/", "Es wurden noch keine Neuigkeiten veröffentlicht.", None),
        ("/neuigkeiten/?q=Zeppelin", "Versuchen Sie ein anderes Wort", 'href="/neuigkeiten/"'),
        ("/mitglieder/?q=Zeppelin", "Keine Kommune passt", 'href="/mitglied-werden/"'),
        ("/treffen/", "Kalender abonnieren", 'href="/treffen/kalender.ics"'),
        ("/treffen/archiv/", "sobald ein Treffen stattgefunden hat", 'href="/treffen/"'),
        ("/umfragen/", "sobald sie geschlossen und ausgewertet ist", None),
    ],
)
def test_an_empty_public_list_says_what_to_do(client, path, says, links_to):
    MunicipalityFactory(name="Kaiserslautern")

    block = _empty_state(client.get(path))

    assert says in block
    if links_to:
        assert links_to in block


@pytest.mark.parametrize(
    ("path", "says", "links_to"),
    [
        ("/bereich/beitraege/", "mit „Beitrag schreiben“ oben", None),
        ("/bereich/treffen/", "Kommende Treffen ansehen", 'href="/treffen/"'),
        ("/bereich/umfragen/", "unter „Für Sie zu tun“", None),
        ("/bereich/kontakte/?q=Zeppelin", "Entfernen Sie einen", 'href="/bereich/kontakte/"'),
    ],
)
def test_an_empty_member_list_says_what_to_do(client, path, says, links_to):
    client.force_login(MemberContactFactory(municipality=MunicipalityFactory()).user)

    block = _empty_state(client.get(path))

    assert says in block
    if links_to:
        assert links_to in block


def test_the_homepage_without_news_says_who_writes_them(client):
    html = client.get("/").content.decode()

    assert 'class="empty-state"' in html
    assert "Die Mitgliedskommunen berichten" in html
