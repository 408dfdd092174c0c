"""The one audience query that invitations, surveys and mailings share."""

import pytest

from members.models import Municipality
from members.selectors import contact_audience
from tests.factories import ContactFactory, MunicipalityFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_everybody_active_of_member_municipalities_when_nothing_narrows():
    active = ContactFactory()
    ContactFactory(is_active=False)
    ContactFactory(municipality=MunicipalityFactory(status=Municipality.Status.LEFT))

    assert list(contact_audience()) == [active]


def test_an_empty_choice_leaves_nobody_but_none_leaves_everybody():
    contact = ContactFactory()

    assert list(contact_audience(municipalities=[])) == []
    assert list(contact_audience(municipalities=None)) == [contact]
    assert list(contact_audience(municipalities=[contact.municipality_id])) == [contact]


def test_topics_match_the_contacts_interest_and_optionally_their_municipalitys():
    topic = TopicFactory()
    interested = ContactFactory()
    interested.topics.add(topic)
    via_town = ContactFactory()
    via_town.municipality.topics.add(topic)
    ContactFactory()

    assert list(contact_audience(topics=[topic])) == [interested]
    assert set(contact_audience(topics=[topic], topics_via_municipality=True)) == {
        interested,
        via_town,
    }


def test_a_contact_interested_in_two_chosen_topics_is_there_once():
    first, second = TopicFactory(), TopicFactory()
    contact = ContactFactory()
    contact.topics.add(first, second)

    assert list(contact_audience(topics=[first, second])) == [contact]


def test_primary_kind_district_and_handpicked_narrow_the_audience():
    primary = ContactFactory(is_primary=True, municipality__district="Kusel")
    other = ContactFactory(municipality__kind=Municipality.Kind.DISTRICT)

    assert list(contact_audience(primary_only=True)) == [primary]
    assert list(contact_audience(kinds=[Municipality.Kind.DISTRICT])) == [other]
    assert list(contact_audience(districts=["Kusel"])) == [primary]
    assert list(contact_audience(contacts=[other.pk])) == [other]
