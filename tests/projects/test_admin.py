"""The coordinators' workplace: review queue, stale profiles, exports."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projects.models import ProjectProfile
from tests.factories import CoordinatorFactory, MemberContactFactory, TopicFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:projects_projectprofile_changelist"


@pytest.fixture
def coordinator(client):
    user = CoordinatorFactory()
    client.force_login(user)
    return user


def test_review_queue_lists_submitted_profiles_and_publishes_them(client, coordinator):
    waiting = ProjectFactory(title="Wartet auf Prüfung", visibility="public", status="submitted")
    ProjectFactory(title="Nur intern")

    page = client.get(reverse(CHANGELIST), {"queue": "review"}).content.decode()
    assert "Wartet auf Prüfung" in page and "Nur intern" not in page

    response = client.post(reverse("admin:projects_review", args=[waiting.pk]), {"publish": ""})
    assert response.status_code == 302
    assert list(ProjectProfile.objects.public()) == [waiting]


def test_returning_without_comment_keeps_the_profile_waiting(client, coordinator):
    waiting = ProjectFactory(visibility="public", status="submitted")

    response = client.post(
        reverse("admin:projects_review", args=[waiting.pk]), {"return": "", "comment": ""}
    )

    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == "submitted"


def test_stale_filter_shows_profiles_not_updated_for_a_year(client, coordinator):
    ProjectFactory(title="Alter Stand", updated_at=timezone.now() - timedelta(days=400))
    ProjectFactory(title="Frisch gepflegt")

    page = client.get(reverse(CHANGELIST), {"queue": "stale"}).content.decode()

    assert "Alter Stand" in page and "Frisch gepflegt" not in page


def test_exports_guard_against_formulas(client, coordinator):
    topic = TopicFactory(name="Offene Daten", slug="offene-daten")
    project = ProjectFactory(title='=HYPERLINK("http://evil")', summary="+49 Laternen")
    project.topics.add(topic)
    selected = {"_selected_action": [project.pk]}

    response = client.post(reverse(CHANGELIST), {"action": "export_csv", **selected})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][4] == "Offene Daten"

    response = client.post(reverse(CHANGELIST), {"action": "export_xlsx", **selected})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["O2"].value == "'+49 Laternen"


def test_coordinators_cannot_add_profiles_in_the_admin(client, coordinator):
    assert client.get(reverse("admin:projects_projectprofile_add")).status_code == 403


def test_the_export_and_the_pages_use_the_catalogue_words_in_german(client, coordinator):
    """A msgid that two apps translate differently reads as whichever catalogue wins: the
    profile's "Summary" is the *Kurzbeschreibung* (not the minutes' *Zusammenfassung*), and
    the network's contact persons are *Ansprechpersonen* everywhere."""
    project = ProjectFactory(title="Laternen")
    MemberContactFactory(municipality=project.municipality)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_csv", "_selected_action": [project.pk]},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert header[-1] == "Kurzbeschreibung"

    page = client.get(
        reverse("members:municipality", args=[project.municipality.slug]),
        HTTP_ACCEPT_LANGUAGE="de",
    ).content.decode()
    assert "Ansprechpersonen" in page and "Kontaktpersonen" not in page
