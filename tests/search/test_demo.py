"""The demo network answers the obvious searches (``manage.py load_demo`` fills the index)."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from members import demo as members_demo

from .conftest import hit_titles, search


def test_demo_answers_obvious_words_and_keeps_minutes_for_members(client, network_topics):
    call_command("load_demo", verbosity=0)
    member = get_user_model().objects.get(email=members_demo.MEMBER_EMAIL)

    for word in ("LoRaWAN", "Laternen", "Beteiligung"):
        assert hit_titles(search(client, q=word)), word
    assert hit_titles(search(client, q="Laternen", kind="minutes")) == []
    assert hit_titles(search(client, q="Laternen", kind="minutes", user=member))
