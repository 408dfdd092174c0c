"""The project catalogue in Chromium: a member describes a project, the coordination team
publishes it, a member of another municipality finds it, asks *Wen fragen?* and records
that they took it up, and the first member confirms."""

import re

import pytest
from playwright.sync_api import expect

from members.models import Topic
from projects.models import ProjectProfile, Reuse
from projects.services import asking as asking_services
from tests.browser.privacy import log_in
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE"}


@pytest.fixture(autouse=True)
def _patient_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def test_profile_review_discovery_whom_to_ask_and_reuse(page, live_server, browser):
    topic = Topic.objects.filter(slug="sensornetzwerke").first() or TopicFactory(
        name="Sensornetzwerke", slug="sensornetzwerke"
    )
    koblenz = MemberContactFactory(
        municipality=MunicipalityFactory(name="Koblenz", slug="koblenz"),
        first_name="Anna",
        last_name="Pegel",
    )
    landau = MemberContactFactory(municipality=MunicipalityFactory(name="Landau", slug="landau"))
    asking_services.set_ask_consent(
        contact=koblenz, by=koblenz.user, topics=[topic], monthly_cap=None
    )

    # Koblenz describes its project, public after review
    log_in(page, live_server, koblenz.user)
    page.goto(live_server.url + "/projekte/neu/")
    page.fill("#id_title", "Pegelmessung mit LoRaWAN")
    page.fill("#id_summary", "Ein LoRaWAN-Sensornetz misst die Pegel an Rhein und Mosel.")
    page.check(f"input[name=topics][value='{topic.pk}']")
    page.select_option("#id_field_of_action", "environment")
    page.select_option("#id_stage", "operation")
    page.check(f"input[name=contacts][value='{koblenz.pk}']")
    page.check("input[name=visibility][value=public]")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(r"/projekte/pegelmessung-mit-lorawan/$"))
    project = ProjectProfile.objects.get()
    assert project.status == ProjectProfile.Status.SUBMITTED

    # the coordination team publishes it
    page.context.clear_cookies()
    log_in(page, live_server, CoordinatorFactory())
    page.goto(live_server.url + f"/admin/projects/projectprofile/{project.pk}/review/")
    page.click("input[name=publish]")
    page.wait_for_url(re.compile(r"/admin/projects/projectprofile/$"))
    page.context.clear_cookies()
    page.goto(live_server.url + "/projekte/")
    expect(page.get_by_role("link", name="Pegelmessung mit LoRaWAN")).to_be_visible()

    # Landau finds it through the header search (another word form: Sensornetze), asks whom
    # to ask, and records that it takes the project up
    log_in(page, live_server, landau.user)
    page.goto(live_server.url + "/projekte/")
    header = page.get_by_role("search", name="Portal durchsuchen").first
    header.get_by_label("Portal durchsuchen").fill("Sensornetze")
    header.get_by_role("button", name="Suche").click()
    page.wait_for_url(re.compile(r"/suche/\?q=Sensornetze"))
    hit = page.get_by_test_id("search-hit").filter(has_text="Pegelmessung mit LoRaWAN")
    expect(hit.locator("mark").first).to_contain_text("Sensornetz")
    hit.get_by_role("link", name="Pegelmessung mit LoRaWAN").click()
    page.wait_for_url(re.compile(r"/projekte/pegelmessung-mit-lorawan/$"))
    page.goto(live_server.url + "/projekte/wen-fragen/")
    page.fill("#id_text", "Sensornetz LoRaWAN")
    page.get_by_role("button", name="Personen finden").click()
    results = page.locator("#results-heading + ol")
    expect(results).to_contain_text("Anna Pegel")
    expect(results).to_contain_text("Pegelmessung mit LoRaWAN")
    page.goto(live_server.url + "/projekte/pegelmessung-mit-lorawan/")
    page.locator("#reuse summary").click()
    page.select_option("#id_reuse-stage", "adopting")
    page.fill("#id_reuse-effort", "3 Personentage")
    page.click("#reuse form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    reuse = Reuse.objects.get()
    assert reuse.confirmation == Reuse.Confirmation.PENDING

    # Koblenz confirms it from its start page
    page.context.clear_cookies()
    log_in(page, live_server, koblenz.user)
    page.goto(live_server.url + "/bereich/")
    page.get_by_role("link", name="Bestätigen oder ablehnen").first.click()
    page.wait_for_url(re.compile(r"/projekte/pegelmessung-mit-lorawan/"))
    page.locator("#reuse").get_by_role("button", name="Bestätigen").click()
    expect(page.locator(".alert-success")).to_be_visible()
    reuse.refresh_from_db()
    assert reuse.is_confirmed
