"""axe-core finds no WCAG violation on the pages of the member network."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import MemberContactFactory, MunicipalityFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ein-langes-passwort-123"  # tests.factories.UserFactory


def violations(page) -> list[str]:
    result = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
        for v in result.response["violations"]
    ]


def test_public_and_member_pages_have_no_axe_violations(page, live_server):
    municipality = MunicipalityFactory(
        name="Kaiserslautern", slug="kaiserslautern", website="https://www.kaiserslautern.de"
    )
    municipality.topics.add(TopicFactory(name="Smart City Test"))
    member = MemberContactFactory(municipality=municipality, email="lena@kl.example")
    MemberContactFactory.create_batch(3)

    found = {}
    for path in ["/", "/mitglieder/", "/mitglieder/kaiserslautern/", "/mitglied-werden/"]:
        page.goto(live_server.url + path)
        found[path] = violations(page)

    page.goto(live_server.url + "/konto/login/")
    found["/konto/login/"] = violations(page)
    page.locator("input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/bereich/")
    for path in ["/bereich/", "/bereich/kontakte/", "/bereich/profil/", "/konto/password/change/"]:
        page.goto(live_server.url + path)
        found[path] = violations(page)

    assert {path: v for path, v in found.items() if v} == {}
