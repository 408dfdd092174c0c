import pytest
from django.urls import reverse

from members import demo as members_demo
from projects import demo
from projects.models import ProjectProfile, Reuse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_topics(network_topics):
    """The demo tags with the seeded topics, which a transactional test may have flushed."""


def test_demo_profiles_are_idempotent_and_cover_every_topic(client, network_topics):
    base = members_demo.load()
    demo.load(base=base)
    demo.load(base=base)

    assert ProjectProfile.objects.count() == len(demo.PROFILES)
    lamps = ProjectProfile.objects.get(title__startswith="Smarte Laternen")
    assert lamps.stage == "stopped" and "kompliziert" in lamps.stage_reason
    assert lamps.reuses.get().confirmation == "pending"  # waits for the demo member
    assert Reuse.objects.filter(confirmation="confirmed").count() >= 2
    for topic in network_topics:
        assert 2 <= topic.projects.count() <= 3, topic.slug
    for project in ProjectProfile.objects.public():
        assert client.get(project.get_absolute_url()).status_code == 200
    client.force_login(base["member"])
    assert client.get(reverse("projects:list")).status_code == 200


def test_whom_to_ask_gives_sensible_answers_on_the_demo(network_topics):
    from projects.expertise import rank, understand

    base = members_demo.load()
    demo.load(base=base)

    experts = rank(understand(text="Sensornetz LoRaWAN"), asker=base["member"])
    assert experts[0].contact.municipality.slug == "koblenz"
    assert any("Pegelmessung mit LoRaWAN" in reason for reason in experts[0].reasons)
    participation = rank(understand(text="Bürgerbeteiligung online"), asker=base["member"])
    assert participation[0].contact.municipality.slug == "mainz"


def test_demo_talks_and_posts_name_their_projects(client, network_topics):
    from meetings import demo as meetings_demo
    from news import demo as news_demo

    base = members_demo.load()
    demo.load(base=base)
    meetings_demo.load(base=base)
    news_demo.load(base=base)

    lamps = ProjectProfile.objects.get(title__startswith="Smarte Laternen")
    html = client.get(lamps.get_absolute_url()).content.decode()
    assert "Smarte Laternen als Warnmittel" in html  # the talk at the crisis conference
    assert "3. digitaler Stammtisch: Smarte Laternen" in html  # the post on the 3rd Stammtisch
    group = ProjectProfile.objects.get(title="Projektgruppe „Digitales“")
    assert "Die Projektgruppe" in client.get(group.get_absolute_url()).content.decode()
    topic = client.get(reverse("projects:topic", args=["smart-city"])).content.decode()
    assert "Smarte Laternen – innovative Warnmittel" in topic and "Sensornetz" in topic
    town = client.get(lamps.municipality.get_absolute_url()).content.decode()
    assert "Smarte Laternen als Warnmittel" in town
