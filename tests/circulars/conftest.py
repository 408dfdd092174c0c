import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service messages are asserted in English; tests of the German text say so explicitly.

    Requests still pick their language as usual (cookie, Accept-Language, default German).
    """
    with translation.override("en"):
        yield


@pytest.fixture
def network_topics(db):
    """The topics the data migration seeds (re-seeded: transactional tests flush them)."""
    from importlib import import_module

    from django.apps import apps

    from members.models import Topic

    import_module("members.migrations.0002_seed_topics").seed_topics(apps, None)
    return Topic.objects.all()
