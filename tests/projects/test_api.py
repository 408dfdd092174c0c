"""/api/projekte/: public profiles only, paginated, valid against the published schema."""

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

from projects.models import Reuse
from tests.factories import MemberContactFactory, MunicipalityFactory, TopicFactory
from tests.projects.factories import ProjectFactory, PublicProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return TopicFactory(name="Offene Daten", slug="offene-daten")


def schema(client):
    response = client.get(reverse("projects:api_schema"))
    assert response["Content-Type"] == "application/schema+json"
    return response.json()


def test_only_public_profiles_without_personal_data(client, topic):
    public = PublicProjectFactory(title="Offene Verkehrsdaten", topics=[topic])
    contact = MemberContactFactory(municipality=public.municipality, email="lena@kl.example")
    public.contacts.add(contact)
    ProjectFactory(title="Interner Entwurf", topics=[topic])

    response = client.get(reverse("projects:api_list"))

    body = response.content.decode()
    assert [item["title"] for item in response.json()["results"]] == ["Offene Verkehrsdaten"]
    assert "Interner Entwurf" not in body
    assert "lena@kl.example" not in body
    assert contact.last_name not in body


def test_every_page_is_valid_against_the_schema(client, topic):
    adopter = MunicipalityFactory(name="Worms")
    for number in range(53):
        project = PublicProjectFactory(
            title=f"Projekt {number}",
            topics=[topic],
            is_software=number % 2 == 0,
            links="Projektseite | https://example.org/projekt",
            funding=["own"],
            budget_band="lt10k" if number % 3 else "",
        )
    Reuse.objects.create(
        project=project, municipality=adopter, stage="adopted", confirmation="confirmed"
    )
    validator = Draft202012Validator(schema(client), format_checker=FormatChecker())
    Draft202012Validator.check_schema(validator.schema)

    first = client.get(reverse("projects:api_list")).json()
    second = client.get(first["next"]).json()

    assert (first["count"], first["pages"], len(first["results"])) == (53, 2, 50)
    assert len(second["results"]) == 3 and second["next"] is None
    for page in (first, second):
        errors = [error.message for error in validator.iter_errors(page)]
        assert not errors, errors
    reused = [item for item in first["results"] + second["results"] if item["reused_by"]]
    assert reused[0]["reused_by"] == [
        {"municipality": "Worms", "stage": "adopted", "since": reused[0]["reused_by"][0]["since"]}
    ]


def test_unconfirmed_reuse_is_not_published(client, topic):
    project = PublicProjectFactory(topics=[topic])
    Reuse.objects.create(project=project, municipality=MunicipalityFactory(), stage="adopted")

    item = client.get(reverse("projects:api_list")).json()["results"][0]

    assert item["reused_by"] == []


def test_filters_and_bad_parameters(client, topic):
    PublicProjectFactory(title="Mit Thema", topics=[topic], stage="completed")
    PublicProjectFactory(title="Ohne Thema")
    url = reverse("projects:api_list")

    assert [r["title"] for r in client.get(url, {"topic": "offene-daten"}).json()["results"]] == [
        "Mit Thema"
    ]
    assert client.get(url, {"stage": "completed"}).json()["count"] == 1
    assert client.get(url, {"stage": "fertig"}).status_code == 400
    assert client.get(url, {"topic": "gibt-es-nicht"}).status_code == 400
    assert client.get(url, {"updated_since": "gestern"}).status_code == 400
    assert client.get(url, {"page": "99"}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404


def test_queries_do_not_grow_with_the_page(client, topic, django_assert_max_num_queries):
    for number in range(20):
        project = PublicProjectFactory(title=f"Projekt {number}", topics=[topic])
        Reuse.objects.create(
            project=project,
            municipality=MunicipalityFactory(),
            stage="adopted",
            confirmation="confirmed",
        )

    with django_assert_max_num_queries(7):
        assert client.get(reverse("projects:api_list")).status_code == 200


@pytest.mark.parametrize("day", ["2026-13-45", "2026-02-30", "0000-01-01"])
def test_a_date_of_no_calendar_is_a_400_with_the_format(client, day):
    """Django's parse_date raises ValueError for a well-formed impossible date: was a 500."""
    response = client.get(reverse("projects:api_list"), {"updated_since": day})

    assert response.status_code == 400
    assert response.json() == {"errors": {"updated_since": "a date: YYYY-MM-DD"}}
