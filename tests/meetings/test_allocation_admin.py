"""The coordinator runs the allocation in the admin: preview → rerun → confirm → mails."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from meetings import allocation_services as flow
from meetings.models import WorkshopAllocation, WorkshopSeat
from meetings.services import registration as registration_services
from tests.factories import CoordinatorFactory, MemberContactFactory

from .factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(CoordinatorFactory())
    return client


@pytest.fixture
def setting():
    meeting = MeetingFactory(title="Kommunalkongress", slug="kommunalkongress")
    stadt = WorkshopFactory(meeting=meeting, title="Digitale Stadt", round=1, capacity=1)
    daten = WorkshopFactory(meeting=meeting, title="Open Data", round=1, capacity=5)
    setting = WorkshopAllocation.objects.create(
        meeting=meeting, preference_deadline=timezone.now() + timedelta(hours=1)
    )
    for name in ("Anna", "Ben", "Cem"):
        contact = MemberContactFactory(first_name=name, email=f"{name.lower()}@example.org")
        registration = registration_services.register(contact=contact, meeting=meeting)
        flow.save_wish(registration=registration, ranking=[stadt, daten], wanted=1)
    setting.preference_deadline = timezone.now() - timedelta(minutes=5)
    setting.save()
    return setting


def run_url(setting):
    return reverse("admin:meetings_workshopallocation_run", args=[setting.pk])


def test_the_preview_shows_ranks_fill_and_seed_and_writes_nothing(admin_client, setting):
    response = admin_client.get(run_url(setting) + "?seed=7")
    assert response.status_code == 200
    assert "Startwert 7" in response.content.decode()
    preview = response.context["preview"]
    assert preview.allocation.seed == 7
    assert preview.allocation.statistics.by_rank == {1: 1, 2: 2}
    assert [(row["workshop"].title, row["assigned"]) for row in response.context["rows"]] == [
        ("Digitale Stadt", 1),
        ("Open Data", 2),
    ]
    assert not WorkshopSeat.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_first_preview_draws_a_seed(admin_client, setting):
    response = admin_client.get(run_url(setting))
    assert response.status_code == 200
    assert isinstance(response.context["preview"].allocation.seed, int)


def test_rerun_with_adjusted_capacity(admin_client, setting):
    stadt = setting.meeting.workshops.get(title="Digitale Stadt")
    response = admin_client.get(run_url(setting), {"seed": 1, f"capacity_{stadt.pk}": 3})
    assert response.context["preview"].allocation.statistics.by_rank == {1: 3}
    stadt.refresh_from_db()
    assert stadt.capacity == 1  # a preview changes nothing


def test_a_bad_capacity_is_refused_and_kept(admin_client, setting):
    stadt = setting.meeting.workshops.get(title="Digitale Stadt")
    response = admin_client.get(run_url(setting), {"seed": 1, f"capacity_{stadt.pk}": "0"})
    assert response.status_code == 400
    assert response.context["preview"] is None
    assert 'value="0"' in response.content.decode()
    response = admin_client.get(run_url(setting), {"seed": "zwei"})
    assert response.status_code == 400


def test_confirm_writes_seats_and_mails_then_refuses_a_rerun(admin_client, setting):
    response = admin_client.post(run_url(setting), {"seed": 7})
    assert response.status_code == 302
    assert WorkshopSeat.objects.filter(status="confirmed").count() == 3
    assert OutboundEmail.objects.count() == 3
    setting.refresh_from_db()
    assert setting.is_confirmed and setting.seed == 7

    page = admin_client.get(run_url(setting))
    assert page.status_code == 200
    assert page.context["preview"] is None
    assert "Bestätigen:" not in page.content.decode()

    again = admin_client.post(run_url(setting), {"seed": 8})
    assert again.status_code == 400
    assert "bereits am" in again.content.decode()
    assert WorkshopSeat.objects.filter(status="confirmed").count() == 3
    assert OutboundEmail.objects.count() == 3


def test_the_same_seed_confirms_what_was_previewed(admin_client, setting):
    preview = admin_client.get(run_url(setting), {"seed": 12}).context["preview"]
    admin_client.post(run_url(setting), {"seed": 12})
    written = {
        (s.registration_id, s.workshop_id) for s in WorkshopSeat.objects.filter(status="confirmed")
    }
    assert written == {(r, w) for r, got in preview.allocation.assignments.items() for w in got}


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_only_coordinators_run_the_allocation(client, setting, role):
    if role == "member":
        client.force_login(MemberContactFactory().user)
    for response in (client.get(run_url(setting)), client.post(run_url(setting), {"seed": 1})):
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert not WorkshopSeat.objects.exists()


def test_the_settings_page_links_to_the_run(admin_client, setting):
    response = admin_client.get(
        reverse("admin:meetings_workshopallocation_change", args=[setting.pk])
    )
    assert response.status_code == 200
    assert run_url(setting) in response.content.decode()
