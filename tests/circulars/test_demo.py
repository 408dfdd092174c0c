"""The demo circular: sent once however often the demo loads, with answers given."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from circulars import demo
from circulars.models import Circular
from members import demo as members_demo
from members.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_topics(network_topics):
    """The demo tags contacts with the seeded topics, which a transactional test may flush."""


def _load():
    demo.load(base=members_demo.load())


def test_demo_loads_twice_without_duplicates():
    _load()
    _load()

    assert Circular.objects.filter(subject=demo.CIRCULAR_SUBJECT).count() == 1


def test_demo_member_finds_the_circular_with_answers_given(client):
    _load()
    circular = Circular.objects.get(subject=demo.CIRCULAR_SUBJECT)
    client.force_login(Contact.objects.get(email=members_demo.MEMBER_EMAIL).user)

    archive = client.get(reverse("circulars:archive")).content.decode()

    assert circular.subject in archive
    assert circular.recipients.exclude(answer="").count() == 5
    assert circular.recipients.filter(contact__email=members_demo.MEMBER_EMAIL, answer="").exists()


def test_load_demo_command_creates_the_circular():
    call_command("load_demo")

    assert Circular.objects.filter(subject=demo.CIRCULAR_SUBJECT).count() == 1
