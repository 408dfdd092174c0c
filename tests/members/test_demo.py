"""The member network's demo data: loads twice without duplicates."""

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from members import demo
from members.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_topics(network_topics):
    """The demo tags contacts with the seeded topics, which a transactional test may flush."""


def test_demo_loads_twice_without_duplicates():
    demo.load()
    contacts = Contact.objects.count()
    demo.load()

    assert Contact.objects.count() == contacts


def test_the_demo_shows_a_coordinators_field_history():
    demo.load()
    demo.load()

    (entry,) = LogEntry.objects.filter(content_type__model="visit")
    assert entry.actor.email == demo.COORDINATOR_EMAIL
    old, new = entry.changes["notes"]
    assert new == old + " Nachtrag: Präsentation an die Projektgruppe geschickt."
    assert LogEntry.objects.filter(content_type__model="municipality").count() == 1


def test_load_demo_command_prints_both_logins(capsys):
    call_command("load_demo")

    out = capsys.readouterr().out
    assert demo.COORDINATOR_EMAIL in out
    assert demo.MEMBER_EMAIL in out
