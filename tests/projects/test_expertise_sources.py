"""The evidence sources of *Wen fragen?*: registries the apps fill, not a setting."""

from django.conf import settings

from projects import expertise, expertise_index


def test_the_apps_register_their_indexed_evidence_in_ready():
    names = sorted(source.name for source in expertise_index.sources())

    assert names == ["meetings.talks", "news.posts", "projects.reuse", "projects.roles"]
    assert expertise_index.kinds() == {"lead", "partner", "reuse", "talk", "post"}
    assert not hasattr(expertise, "register_source")  # nothing is summed from its own tables


def test_registering_an_index_source_twice_keeps_one_entry_and_the_setting_is_gone():
    [talks] = [s for s in expertise_index.sources() if s.name == "meetings.talks"]
    expertise_index.register(talks)
    assert [source.name for source in expertise_index.sources()].count("meetings.talks") == 1
    assert not hasattr(settings, "IKONE_EXPERTISE_SOURCES")
