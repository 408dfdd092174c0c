"""The evidence sources of *Wen fragen?*: a registry the other apps fill, not a setting."""

import pytest
from django.conf import settings

from meetings.expertise import talks
from members.models import Topic
from news.expertise import posts
from projects import expertise
from projects.models import AskConsent
from tests.factories import ContactFactory


def test_meetings_and_news_register_their_evidence_in_ready():
    assert expertise.other_sources() == [talks, posts]  # the order of INSTALLED_APPS


def test_registering_twice_keeps_one_entry_and_the_setting_is_gone():
    assert expertise.register_source(talks) is talks
    assert expertise.other_sources().count(talks) == 1
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
