"""The project passes Django's checks and has no missing migrations."""

import io

import pytest
from django.core.management import call_command


def test_manage_py_check_is_clean():
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_no_missing_migrations():
    out = io.StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)  # exits 1 if missing
    assert "No changes detected" in out.getvalue()


def test_seeding_provides_the_network_topics(network_topics):
    slugs = set(network_topics.values_list("slug", flat=True))
    assert {"smart-city", "digitalstrategie", "krisenmanagement", "sensornetzwerke"} <= slugs
