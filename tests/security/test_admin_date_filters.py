"""Admin date filters with years, months or days no date can have never answer 500.

``?created_at__year=99999999999999999999`` (OverflowError), ``-5``, ``0`` or ``10000``
(ValueError) failed while the changelist built its query. Every registered changelist is
asked with such values for each of its model's date fields; the coordinator is sent to the
unfiltered list with a message, as Django does for other wrong lookups. Runs on SQLite and
(with DATABASE_URL) PostgreSQL.
"""

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db

BAD = {
    "year": ["99999999999999999999", "-5", "0", "abc", "10000", "9999", "1e3", ""],
    "month": ["13", "0", "-1", "99999999999999999999"],
    "day": ["32", "0", "99999999999999999999"],
}


def changelists():
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.DateField)]
        yield model, model_admin, url, fields


@pytest.fixture
def coordinator_client():
    client = Client(raise_request_exception=False)
    client.force_login(CoordinatorFactory())
    return client


def test_there_are_date_fields_and_hierarchies_to_check():
    found = list(changelists())
    assert sum(len(fields) for *_, fields in found) >= 10
    assert sum(1 for _m, model_admin, *_ in found if model_admin.date_hierarchy) >= 3


def test_every_changelist_survives_impossible_dates(coordinator_client):
    wrong = []
    for _model, model_admin, url, fields in changelists():
        queries = []
        for field in fields:
            for part, values in BAD.items():
                queries += [{f"{field}__{part}": value} for value in values]
            queries.append({f"{field}__year__gte": "-5"})
            queries.append({f"{field}__date__year": "-5"})
            queries.append({f"{field}__year__in": "2024,99999999999999999999"})
        if model_admin.date_hierarchy:
            field = model_admin.date_hierarchy
            # the hierarchy computes the end of the chosen year, month and day
            queries.append({f"{field}__year": "9999", f"{field}__month": "12"})
            queries.append(
                {f"{field}__year": "9999", f"{field}__month": "12", f"{field}__day": "31"}
            )
            queries.append(
                {f"{field}__year": "2026", f"{field}__month": "2", f"{field}__day": "30"}
            )
        for query in queries:
            response = coordinator_client.get(url, query)
            if response.status_code >= 500:
                wrong.append(f"{url}?{query}: {response.status_code}")
            elif response.status_code == 302:
                assert response["Location"] == f"{url}?e=1", (url, query)
    assert not wrong, "\n".join(wrong)


def test_the_issue_example_redirects_with_a_translated_message(coordinator_client):
    url = reverse("admin:ikone_auditentry_changelist")

    response = coordinator_client.get(url, {"at__year": "99999999999999999999"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(f"{url}?e=1", 302)]
    assert "Der Datumsfilter „at__year“ hat keinen gültigen Wert" in response.content.decode()


def test_valid_date_filters_still_work(coordinator_client):
    for _model, model_admin, url, _fields in changelists():
        if not model_admin.date_hierarchy:
            continue
        field = model_admin.date_hierarchy
        query = {f"{field}__year": "2026", f"{field}__month": "2", f"{field}__day": "28"}
        response = coordinator_client.get(url, query)
        assert response.status_code == 200, url


def test_meeting_participation_with_an_impossible_year(coordinator_client):
    url = reverse("admin:meetings_meeting_participation")
    for year in ["99999999999999999999", "-5", "0", "9999", "abc"]:
        assert coordinator_client.get(url, {"year": year}).status_code == 200, year
