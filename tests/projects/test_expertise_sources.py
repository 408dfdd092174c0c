"""The evidence sources of *Wen fragen?*: registries the apps fill, not a setting."""

import pytest
from django.conf import settings

from members.models import Topic
from projects import expertise, expertise_index
from projects.models import AskConsent
from tests.factories import ContactFactory


def test_the_apps_register_their_indexed_evidence_in_ready():
    names = sorted(source.name for source in expertise_index.sources())

    assert names == ["meetings.talks", "news.posts", "projects.reuse", "projects.roles"]
    assert expertise_index.kinds() == {"lead", "partner", "reuse", "talk", "post"}
    assert expertise.other_sources() == []  # nothing is summed from its own tables any more


def test_registering_twice_keeps_one_entry_and_the_setting_is_gone():
    def podcasts(*, question, contacts):
        return []

    saved = list(expertise._sources)
    try:
        assert expertise.register_source(podcasts) is podcasts
        expertise.register_source(podcasts)
        assert expertise.other_sources().count(podcasts) == 1
    finally:
        expertise._sources[:] = saved
    [talks] = [s for s in expertise_index.sources() if s.name == "meetings.talks"]
    expertise_index.register(talks)
    assert [source.name for source in expertise_index.sources()].count("meetings.talks") == 1
    assert not hasattr(settings, "IKONE_EXPERTISE_SOURCES")


@pytest.mark.django_db
def test_a_registered_source_adds_its_reasons_to_the_ranking(network_topics, monkeypatch):
    sensors = Topic.objects.get(slug="sensornetzwerke")
    anna = ContactFactory(first_name="Anna")
    AskConsent.objects.create(contact=anna).topics.set([sensors])

    def podcasts(*, question, contacts):
        return [
            expertise.Evidence(pk, expertise.TALK, "spoke in the network's podcast", None)
            for pk in contacts
        ]

    monkeypatch.setattr(expertise, "_sources", list(expertise.other_sources()))
    expertise.register_source(podcasts)
    [expert] = expertise.rank(expertise.understand(topic=sensors))
    assert expert.contact == anna
    assert "spoke in the network's podcast" in expert.reasons
