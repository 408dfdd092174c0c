"""The member network's demo data: loads twice without duplicates, with a sent circular."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from members import demo
from members.models import Circular, Contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_topics(network_topics):
    """The demo tags contacts with the seeded topics, which a transactional test may flush."""


def test_demo_loads_twice_without_duplicates():
    demo.load()
    contacts = Contact.objects.count()
    demo.load()

    assert Contact.objects.count() == contacts
    assert Circular.objects.filter(subject=demo.CIRCULAR_SUBJECT).count() == 1


def test_demo_member_finds_the_circular_with_answers_given(client):
    demo.load()
    circular = Circular.objects.get(subject=demo.CIRCULAR_SUBJECT)
    client.force_login(Contact.objects.get(email=demo.MEMBER_EMAIL).user)

    archive = client.get(reverse("members:circular_archive")).content.decode()

    assert circular.subject in archive
    assert circular.recipients.exclude(answer="").count() == 5
    assert circular.recipients.filter(contact__email=demo.MEMBER_EMAIL, answer="").exists()


def test_load_demo_command_prints_both_logins(capsys):
    call_command("load_demo")

    out = capsys.readouterr().out
    assert demo.COORDINATOR_EMAIL in out
    assert demo.MEMBER_EMAIL in out
