"""*Wen fragen?* on a fixed data set: ordering and reasons, consent and the monthly cap."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from members.models import Topic
from projects.expertise import rank, understand
from projects.models import AskConsent, Reuse, Suggestion
from projects.services import asking as asking_services
from projects.services.profiles import ProjectError
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
)
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.news.factories import PublishedPostFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def consent(contact, *topics, cap=None):
    agreed = AskConsent.objects.create(contact=contact, monthly_cap=cap)
    agreed.topics.set(topics)
    return contact


@pytest.fixture
def network(network_topics):
    sensors = Topic.objects.get(slug="sensornetzwerke")
    privacy = Topic.objects.get(slug="datenschutz")
    koblenz = MunicipalityFactory(name="Koblenz", slug="koblenz")
    koblenz.topics.add(sensors)
    landau = MunicipalityFactory(name="Landau", slug="landau")
    montabaur = MunicipalityFactory(name="Montabaur", slug="montabaur")
    trier = MunicipalityFactory(name="Trier", slug="trier")
    people = {
        "anna": consent(ContactFactory(municipality=koblenz, first_name="Anna"), sensors),
        "ben": consent(ContactFactory(municipality=landau, first_name="Ben"), sensors),
        "carla": consent(ContactFactory(municipality=montabaur, first_name="Carla"), sensors),
        "dora": consent(ContactFactory(municipality=trier, first_name="Dora"), privacy),
        "emil": consent(ContactFactory(municipality=koblenz, first_name="Emil"), sensors, cap=1),
        "frank": consent(
            ContactFactory(municipality=trier, first_name="Frank", last_name="Redner"), sensors
        ),
        "greta": consent(MemberContactFactory(municipality=landau, first_name="Greta"), sensors),
    }
    gauges = ProjectFactory(
        municipality=koblenz,
        title="Pegelmessung mit LoRaWAN",
        summary="Ein LoRaWAN-Netz misst die Pegel.",
        start=date(2024, 3, 1),
        topics=[sensors],
    )
    gauges.partner_municipalities.add(landau)
    gauges.contacts.add(people["anna"], people["ben"])
    old = ProjectFactory(
        municipality=koblenz,
        title="Erste Luftmessstationen",
        stage="completed",
        end=timezone.localdate() - timedelta(days=6 * 365),
        topics=[sensors],
    )
    old.contacts.add(people["emil"])
    unasked = ProjectFactory(municipality=trier, title="Bodenfeuchte Trier", topics=[sensors])
    unasked.contacts.add(people["dora"])
    Reuse.objects.create(
        project=gauges,
        municipality=montabaur,
        contact=people["carla"],
        stage="adopted",
        confirmation="confirmed",
    )
    meeting = MeetingFactory(
        title="3. Digitaler Stammtisch 2023",
        is_public=True,
        status=Meeting.Status.HELD,
        start=timezone.now() - timedelta(days=30),
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Sensoren im Stadtgebiet",
        speaker="Frank Redner",
        speaker_municipality=trier,
        speaker_organisation="",
    ).topics.add(sensors)
    post = PublishedPostFactory(
        municipality=landau, author=people["greta"].user, title="Unser Sensornetz wächst"
    )
    post.topics.add(sensors)
    asker = MemberContactFactory(municipality=MunicipalityFactory(name="Speyer"))
    return {"sensors": sensors, "people": people, "asker": asker}


def names(experts):
    return [expert.contact.first_name for expert in experts]


def test_ranking_orders_by_evidence_and_gives_the_reasons(network):
    experts = rank(understand(topic=network["sensors"]), asker=network["asker"].user)

    assert names(experts) == ["Anna", "Ben", "Frank", "Greta", "Carla", "Emil"]
    by_name = {expert.contact.first_name: expert.reasons for expert in experts}
    assert by_name["Anna"] == [
        "leads “Pegelmessung mit LoRaWAN”, started 2024, now in operation",
        "Koblenz counts Sensornetzwerke among its topics",
    ]
    assert by_name["Ben"] == ["partner in “Pegelmessung mit LoRaWAN” of Koblenz"]
    assert by_name["Frank"] == [
        "spoke on “Sensoren im Stadtgebiet” at 3. Digitaler Stammtisch 2023"
    ]
    assert by_name["Greta"] == ["wrote “Unser Sensornetz wächst”"]
    assert by_name["Carla"] == [
        "their municipality took up “Pegelmessung mit LoRaWAN” from Koblenz (adopted)"
    ]


def test_only_people_who_agreed_on_the_topic_appear(network):
    experts = rank(understand(topic=network["sensors"]), asker=network["asker"].user)

    assert "Dora" not in names(experts)  # leads a sensor project, agreed only on data protection


def test_newer_evidence_weighs_more(network):
    experts = {e.contact.first_name: e for e in rank(understand(topic=network["sensors"]))}

    # Emil also leads a sensor project, but one that ended six years ago
    assert experts["Emil"].score < experts["Anna"].score / 2


def test_the_monthly_cap_counts_other_members(network):
    emil = network["people"]["emil"]
    someone = MemberContactFactory()
    Suggestion.objects.create(contact=emil, asked_by=someone.user)

    experts = rank(understand(topic=network["sensors"]), asker=network["asker"].user)
    assert "Emil" not in names(experts)
    # the member who was already given Emil's name this month still sees him
    assert "Emil" in names(rank(understand(topic=network["sensors"]), asker=someone.user))


def test_suggestions_are_counted_and_reach_the_cap(network):
    asking_services.suggest_experts(by=network["asker"].user, topic=network["sensors"])

    assert Suggestion.objects.filter(asked_by=network["asker"].user).count() == 6
    other = MemberContactFactory()
    experts = asking_services.suggest_experts(by=other.user, topic=network["sensors"])
    assert "Emil" not in names(experts)


def test_a_question_in_own_words_finds_the_same_people(network):
    experts = rank(understand(text="Sensornetz LoRaWAN"), asker=network["asker"].user)

    assert names(experts)[:2] == ["Anna", "Ben"]


def test_asking_needs_a_topic_or_words(network):
    with pytest.raises(ProjectError):
        asking_services.suggest_experts(by=network["asker"].user, text="ab")


def test_the_page_shows_people_with_their_reasons(client, network):
    client.force_login(network["asker"].user)

    assert client.get(reverse("projects:ask")).status_code == 200
    assert not Suggestion.objects.exists()  # GET never writes
    response = client.post(reverse("projects:ask"), {"topic": "sensornetzwerke"})

    page = response.content.decode()
    assert "Anna" in page
    assert "Pegelmessung mit LoRaWAN" in page
    assert "Dora" not in page


@pytest.mark.parametrize("text", ["\"'<>", "x" * 10_000, "ab"])
def test_odd_questions_get_a_page_not_an_error(client, network, text):
    client.force_login(network["asker"].user)

    response = client.post(reverse("projects:ask"), {"text": text})

    assert response.status_code == 200


def test_a_member_agrees_to_be_asked(client, network):
    contact = network["asker"]
    client.force_login(contact.user)

    client.post(
        reverse("projects:ask_consent"),
        {"topics": [network["sensors"].pk], "monthly_cap": "3"},
    )

    consent_row = AskConsent.objects.get(contact=contact)
    assert consent_row.monthly_cap == 3
    assert list(consent_row.topics.all()) == [network["sensors"]]
    client.post(reverse("projects:ask_consent"), {"topics": []})
    assert not AskConsent.objects.filter(contact=contact).exists()


def test_nobody_agrees_for_someone_else(network):
    with pytest.raises(ProjectError):
        asking_services.set_ask_consent(
            contact=network["people"]["greta"],
            by=network["asker"].user,
            topics=[network["sensors"]],
            monthly_cap=None,
        )


def test_only_contact_persons_are_offered_the_choice_to_be_asked(client, network):
    """A coordinator without a municipality has nobody to consent for: the pages must not
    link them to a form that answers 403."""
    consent_url = reverse("projects:ask_consent")
    client.force_login(network["asker"].user)
    assert consent_url in client.get(reverse("projects:ask")).content.decode()
    assert consent_url in client.get(reverse("members:area")).content.decode()

    client.force_login(CoordinatorFactory())

    assert client.get(consent_url).status_code == 403
    ask_page = client.post(reverse("projects:ask"), {"topic": "sensornetzwerke"})
    assert ask_page.status_code == 200
    assert "Anna" in ask_page.content.decode()
    assert consent_url not in ask_page.content.decode()
    area = client.get(reverse("members:area"))
    assert area.status_code == 200
    assert reverse("projects:ask") in area.content.decode()
    assert consent_url not in area.content.decode()
