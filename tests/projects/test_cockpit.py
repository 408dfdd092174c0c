"""The catalogue's lines in the coordinator's cockpit (ikone.cockpit)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Reuse
from tests.factories import CoordinatorFactory, MunicipalityFactory
from tests.projects.factories import ProjectFactory, PublicProjectFactory

pytestmark = pytest.mark.django_db


def test_the_cockpit_names_profiles_to_review_stale_ones_and_open_reuse(client):
    client.force_login(CoordinatorFactory())
    ProjectFactory(visibility="public", status="submitted")
    ProjectFactory(updated_at=timezone.now() - timedelta(days=400))
    Reuse.objects.create(
        project=PublicProjectFactory(), municipality=MunicipalityFactory(), stage="adopted"
    )

    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "1 Projektsteckbrief wartet auf Prüfung" in page
    assert "/admin/projects/projectprofile/?queue=review" in page
    assert "1 Nachnutzung wartet auf Bestätigung der Ursprungskommune" in page
    assert "1 Projektsteckbrief seit einem Jahr nicht aktualisiert" in page
