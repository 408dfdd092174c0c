"""OParl 1.1 at /oparl/v1/: every object valid against the spec's schemas, public data only."""

import json
from datetime import datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from django.core.files.base import ContentFile
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from meetings.models import Invitation, Meeting
from tests.factories import ContactFactory, MunicipalityFactory

from .factories import AgendaItemFactory, MeetingFactory, MeetingSeriesFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "oparl_schema"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


def check_format(value, fmt: str, where: str) -> None:
    """The spec's own formats, which jsonschema does not know."""
    if fmt == "url":
        assert value.startswith(("http://", "https://")), f"{where}: {value!r} is no URL"
    elif fmt == "date-time":
        assert datetime.fromisoformat(value).tzinfo, f"{where}: {value!r} has no time zone"
    elif fmt == "date":
        datetime.strptime(value, "%Y-%m-%d")


def validate(obj: dict, name: str | None = None, where: str = "") -> None:
    """Validate an object against its OParl schema, and every embedded object against its own.

    The spec marks embedded objects with ``"schema": "Location.json"`` (not ``$ref``), so the
    walk into them is done here.
    """
    name = name or obj["type"].removeprefix(TYPE_PREFIX) + ".json"
    spec = schema(name)
    jsonschema.Draft7Validator(spec).validate(obj)
    where = where or name
    for key, value in obj.items():
        prop = spec["properties"].get(key)
        assert prop is not None, f"{where}: {key} is not an OParl {name} field"
        if "format" in prop and prop.get("type") == "string":
            check_format(value, prop["format"], f"{where}.{key}")
        if prop.get("type") == "object" and "schema" in prop:
            validate(value, prop["schema"], f"{where}.{key}")
        if prop.get("type") == "array":
            items = prop.get("items", {})
            for index, item in enumerate(value):
                if items.get("type") == "object" and "schema" in items:
                    validate(item, items["schema"], f"{where}.{key}[{index}]")
                elif "format" in items:
                    check_format(item, items["format"], f"{where}.{key}[{index}]")


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def walk(client, url, **params) -> list[dict]:
    """Every object of a list, following ``links.next`` to the end."""
    objects, pages = [], 0
    data = get(client, url, **params)
    while True:
        pages += 1
        assert set(data) == {"data", "pagination", "links"}
        assert data["pagination"]["currentPage"] == pages
        objects.extend(data["data"])
        if "next" not in data["links"]:
            assert pages == data["pagination"]["totalPages"]
            break
        data = get(client, data["links"]["next"])
    assert len(objects) == data["pagination"]["totalElements"]
    return objects


@pytest.fixture
def network():
    """A public held meeting with approved minutes and slides, an invited one, a planned one,
    a members-only meeting and a draft, both with agenda items and slides of their own."""
    now = timezone.now()
    series = MeetingSeriesFactory(name="Digitaler Stammtisch")
    kl = MunicipalityFactory(name="Kaiserslautern", ags="07312000", website="https://kl.example")
    MunicipalityFactory(name="Ehemalige Gemeinde", status="left")
    held = MeetingFactory(
        series=series,
        title="Stammtisch Bürgerportal",
        status=Meeting.Status.HELD,
        start=now - timedelta(days=30),
        end=now - timedelta(days=30, hours=-2),
        location="Rathaus Kaiserslautern, Willy-Brandt-Platz 1",
        minutes="Vertraulich: Haushaltssperre.",
        public_summary="Wir haben das Bürgerportal vorgestellt.",
        minutes_status=Meeting.MinutesStatus.APPROVED,
        minutes_approved_at=now - timedelta(days=10),
    )
    talk = AgendaItemFactory(meeting=held, title="Das Bürgerportal", position=1)
    talk.slides.save("portal.pdf", ContentFile(PDF), save=True)
    AgendaItemFactory(meeting=held, title="Offene Punkte", position=2)
    unapproved = MeetingFactory(
        series=series,
        title="Stammtisch Glasfaser",
        status=Meeting.Status.HELD,
        start=now - timedelta(days=3),
        end=now - timedelta(days=3, hours=-2),
        public_summary="Noch nicht genehmigt: Glasfaser.",
        minutes_status=Meeting.MinutesStatus.CIRCULATED,
    )
    invited = MeetingFactory(series=series, title="Stammtisch KI", start=now + timedelta(days=10))
    invited.end = invited.start + timedelta(hours=2)
    invited.save()
    Invitation.objects.create(
        meeting=invited, contact=ContactFactory(municipality=kl), email="a@example.org"
    )
    planned = MeetingFactory(title="Fachtag Cloud", start=now + timedelta(days=40))
    planned.end = planned.start + timedelta(hours=2)
    planned.save()
    internal = MeetingFactory(
        title="Mitgliederversammlung intern", is_public=False, location="Geheimer Raum 7"
    )
    secret_item = AgendaItemFactory(meeting=internal, title="Haushalt intern")
    secret_item.slides.save("haushalt.pdf", ContentFile(PDF), save=True)
    draft = MeetingFactory(title="Entwurf Fachtagung", status=Meeting.Status.DRAFT)
    AgendaItemFactory(meeting=draft, title="Entwurfspunkt")
    return {
        "held": held,
        "talk": talk,
        "unapproved": unapproved,
        "invited": invited,
        "planned": planned,
        "internal": internal,
        "draft": draft,
        "kl": kl,
    }


LISTS = (
    "oparl_bodies",
    "oparl_organizations",
    "oparl_meetings",
    "oparl_agenda_items",
    "oparl_files",
    "oparl_locations",
    "oparl_persons",
    "oparl_papers",
)


def test_system_and_body_validate_and_link_everything(client, network):
    system = get(client, reverse("meetings:oparl_system"))
    validate(system)
    assert system["id"] == "http://testserver/oparl/v1/"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    (body,) = walk(client, system["body"])
    validate(body)
    assert body == get(client, body["id"])
    assert body["ags"] == "07312000"
    for key in ("organization", "meeting", "agendaItem", "file", "locationList", "person"):
        assert get(client, body[key])["data"] is not None


@pytest.mark.parametrize("name", LISTS)
def test_every_object_of_every_list_validates_and_is_its_own_id(client, network, name):
    for obj in walk(client, reverse(f"meetings:{name}"), limit=2):
        validate(obj)
        assert get(client, obj["id"]) == obj


def test_meetings_are_public_and_not_drafts_with_state_from_the_lifecycle(client, network):
    meetings = {m["name"]: m for m in walk(client, reverse("meetings:oparl_meetings"))}
    assert set(meetings) == {
        "Stammtisch Bürgerportal",
        "Stammtisch Glasfaser",
        "Stammtisch KI",
        "Fachtag Cloud",
    }
    assert meetings["Stammtisch Bürgerportal"]["meetingState"] == "durchgeführt"
    # held, but the minutes are not approved yet: not durchgeführt
    assert meetings["Stammtisch Glasfaser"]["meetingState"] == "terminiert"
    assert meetings["Stammtisch KI"]["meetingState"] == "eingeladen"
    assert meetings["Fachtag Cloud"]["meetingState"] == "terminiert"
    held = meetings["Stammtisch Bürgerportal"]
    assert [item["name"] for item in held["agendaItem"]] == ["Das Bürgerportal", "Offene Punkte"]
    assert held["resultsProtocol"]["text"] == "Wir haben das Bürgerportal vorgestellt."
    assert held["location"]["description"].startswith("Rathaus Kaiserslautern")
    assert "resultsProtocol" not in meetings["Stammtisch Glasfaser"]


def test_files_are_the_approved_summary_and_public_slides_only(client, network):
    files = walk(client, reverse("meetings:oparl_files"))
    assert len(files) == 2
    summary, slides = files
    assert summary["text"] == "Wir haben das Bürgerportal vorgestellt."
    assert slides["mimeType"] == "application/pdf"
    # the slides are really open to anyone
    response = client.get(slides["accessUrl"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_organizations_are_the_series_and_the_member_municipalities(client, network):
    names = {o["name"]: o for o in walk(client, reverse("meetings:oparl_organizations"))}
    assert set(names) == {"Digitaler Stammtisch", "Kaiserslautern"}
    assert names["Kaiserslautern"]["organizationType"] == "Institution"
    series_meetings = walk(client, names["Digitaler Stammtisch"]["meeting"])
    assert len(series_meetings) == 3


def test_nothing_members_only_or_draft_is_ever_in_it(client, django_user_model, network):
    secrets = [
        "Mitgliederversammlung intern",
        "Haushalt intern",
        "Geheimer Raum 7",
        "Entwurf Fachtagung",
        "Entwurfspunkt",
        "Vertraulich",
        "Noch nicht genehmigt",
        "konferenz.example",
    ]
    coordinator = django_user_model.objects.create_user(
        email="koordination@example.org", password="x", is_staff=True, is_superuser=True
    )
    client.force_login(coordinator)  # a coordinator sees the same public data
    seen = json.dumps(
        [get(client, reverse("meetings:oparl_system"))]
        + [obj for name in LISTS for obj in walk(client, reverse(f"meetings:{name}"))],
        ensure_ascii=False,
    )
    for secret in secrets:
        assert secret not in seen
    internal, draft = network["internal"], network["draft"]
    for name, pk in (
        ("oparl_meeting", internal.pk),
        ("oparl_meeting", draft.pk),
        ("oparl_location", internal.pk),
        ("oparl_agenda_item", internal.agenda_items.get().pk),
        ("oparl_slides", internal.agenda_items.get().pk),
        ("oparl_summary", network["unapproved"].pk),
    ):
        response = client.get(reverse(f"meetings:{name}", kwargs={"pk": pk}))
        assert response.status_code == 404
        assert response.json()["status"] == 404


def test_pagination_walks_to_the_end(client, network):
    for day in range(7):
        start = timezone.now() + timedelta(days=100 + day)
        MeetingFactory(start=start, end=start + timedelta(hours=1))
    first = get(client, reverse("meetings:oparl_meetings"), limit=3)
    assert first["pagination"] == {
        "totalElements": 11,
        "elementsPerPage": 3,
        "currentPage": 1,
        "totalPages": 4,
    }
    assert "prev" not in first["links"]
    objects = walk(client, reverse("meetings:oparl_meetings"), limit=3)
    assert len({m["id"] for m in objects}) == 11


def test_modified_since_is_honoured(client, network):
    cutoff = timezone.now() - timedelta(days=1)
    Meeting.objects.update(updated_at=cutoff - timedelta(days=5))
    Meeting.objects.filter(pk=network["invited"].pk).update(
        updated_at=F("updated_at") + timedelta(days=10)
    )
    recent = walk(client, reverse("meetings:oparl_meetings"), modified_since=cutoff.isoformat())
    assert [m["name"] for m in recent] == ["Stammtisch KI"]
    assert all(datetime.fromisoformat(m["modified"]) >= cutoff for m in recent)
    assert (
        walk(client, reverse("meetings:oparl_agenda_items"), modified_since=cutoff.isoformat())
        == []
    )
    until = walk(client, reverse("meetings:oparl_meetings"), modified_until=cutoff.isoformat())
    assert len(until) == 3
    # a date alone is read as the start of that day
    day = walk(client, reverse("meetings:oparl_meetings"), modified_since=cutoff.date().isoformat())
    assert [m["name"] for m in day] == ["Stammtisch KI"]
    # the next link keeps the filter
    page = get(
        client, reverse("meetings:oparl_meetings"), modified_until=cutoff.isoformat(), limit=1
    )
    assert "modified_until=" in page["links"]["next"]


@pytest.mark.parametrize(
    "params",
    [
        {"modified_since": "gestern"},
        {"modified_since": "2024-13-40"},
        {"created_until": "2024-02-30T10:00:00"},
        {"page": "0"},
        {"page": "x"},
        {"page": "-1"},
        {"page": "99"},
        {"limit": "0"},
        {"limit": "1000"},
        {"organization": "kommune-x"},
    ],
)
def test_bad_parameters_answer_400_with_a_json_error(client, network, params):
    response = client.get(reverse("meetings:oparl_meetings"), params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["error"]


def test_the_error_is_german_first(client, network):
    response = client.get(reverse("meetings:oparl_meetings"), {"modified_since": "gestern"})
    assert response.json()["error"] == (
        "modified_since muss ein Datum oder ein Zeitpunkt (ISO 8601) sein, nicht „gestern“."
    )


def test_queries_per_page_do_not_grow_with_the_page(client, network, django_assert_max_num_queries):
    for name in ("oparl_meetings", "oparl_agenda_items", "oparl_files", "oparl_organizations"):
        url = reverse(f"meetings:{name}")
        with django_assert_max_num_queries(4):
            client.get(url, {"limit": 1})
        for _n in range(5):
            item = AgendaItemFactory(meeting=MeetingFactory(series=network["held"].series))
            item.slides.save("x.pdf", ContentFile(PDF), save=True)
        with django_assert_max_num_queries(4):
            client.get(url, {"limit": 100})


def test_the_validator_refuses_what_the_schema_forbids():
    with pytest.raises(jsonschema.ValidationError):
        validate({"type": TYPE_PREFIX + "Meeting", "name": "ohne id"})
    with pytest.raises(jsonschema.ValidationError):  # an embedded Location without its id
        validate({"id": "https://x.example/m/1", "type": TYPE_PREFIX + "Meeting", "location": {}})
    with pytest.raises(AssertionError):
        validate({"id": "/relativ/", "type": TYPE_PREFIX + "Location"})


def test_only_get(client, network):
    assert client.post(reverse("meetings:oparl_meetings")).status_code == 405
