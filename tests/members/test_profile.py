"""A member edits their own profile and their municipality's topics of interest."""

import pytest

from members import services
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_profile_update_changes_contact_and_login_name():
    contact = MemberContactFactory(first_name="Max", phone="")
    topic = TopicFactory()
    services.update_profile(
        contact=contact,
        by=contact.user,
        first_name="Maximilian",
        phone="0631 365-0",
        topics=[topic],
    )
    contact.refresh_from_db()
    contact.user.refresh_from_db()
    assert contact.first_name == "Maximilian"
    assert contact.phone == "0631 365-0"
    assert list(contact.topics.all()) == [topic]
    assert contact.user.first_name == "Maximilian"


def test_profile_cannot_change_the_email_address():
    contact = MemberContactFactory(email="fest@example.org")
    with pytest.raises(services.MembershipError, match="email"):
        services.update_profile(contact=contact, by=contact.user, email="neu@example.org")
    contact.refresh_from_db()
    assert contact.email == "fest@example.org"


def test_profile_of_somebody_else_cannot_be_changed():
    contact = MemberContactFactory(last_name="Original")
    intruder = MemberContactFactory()
    with pytest.raises(services.MembershipError, match="own profile"):
        services.update_profile(contact=contact, by=intruder.user, last_name="Geändert")
    contact.refresh_from_db()
    assert contact.last_name == "Original"


def test_profile_page_saves_and_keeps_the_login(client):
    contact = MemberContactFactory()
    topic = TopicFactory()
    client.force_login(contact.user)
    response = client.post(
        "/bereich/profil/",
        {
            "first_name": "Lena",
            "last_name": "Hoffmann",
            "position": "CDO",
            "phone": "",
            "language": "en",
            "topics": [topic.pk],
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.position, contact.language) == ("Lena", "CDO", "en")
    assert contact.email == contact.user.email


def test_profile_page_keeps_typed_values_on_error(client):
    contact = MemberContactFactory()
    client.force_login(contact.user)
    response = client.post(
        "/bereich/profil/", {"first_name": "", "last_name": "Neuer Name", "language": "de"}
    )
    assert response.status_code == 200
    assert "first_name" in response.context["form"].errors
    assert 'value="Neuer Name"' in response.content.decode()


def test_member_sets_topics_of_their_municipality():
    contact = MemberContactFactory()
    topics = TopicFactory.create_batch(2)
    services.set_municipality_topics(
        municipality=contact.municipality, topics=topics, by=contact.user
    )
    assert set(contact.municipality.topics.all()) == set(topics)


def test_member_cannot_set_topics_of_another_municipality():
    contact = MemberContactFactory()
    other = MunicipalityFactory()
    with pytest.raises(services.MembershipError):
        services.set_municipality_topics(
            municipality=other, topics=[TopicFactory()], by=contact.user
        )
    assert not other.topics.exists()


def test_coordinator_sets_topics_of_any_municipality():
    municipality = MunicipalityFactory()
    topic = TopicFactory()
    services.set_municipality_topics(
        municipality=municipality, topics=[topic], by=CoordinatorFactory()
    )
    assert list(municipality.topics.all()) == [topic]


def test_topics_page_saves_and_shows_them_on_the_public_page(client, network_topics):
    contact = MemberContactFactory()
    topic = network_topics.get(slug="sensornetzwerke")
    client.force_login(contact.user)
    url = f"/mitglieder/{contact.municipality.slug}/themen/"
    response = client.post(url, {"topics": [topic.pk]})
    assert response.status_code == 302
    client.logout()
    assert "Sensornetzwerke" in client.get(contact.municipality.get_absolute_url()).content.decode()
