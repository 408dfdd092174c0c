"""The strict Content-Security-Policy does not break the admin or the site's JavaScript."""

import pytest

from tests.browser.privacy import RequestRecorder, log_in
from tests.factories import CoordinatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_javascript_works_under_the_csp(page, live_server):
    log_in(page, live_server, CoordinatorFactory())
    recorder = RequestRecorder(page)

    page.goto(live_server.url + "/admin/members/municipality/add/")
    page.fill("#id_name", "Bad Dürkheim")
    page.locator("#id_kind").focus()  # prepopulate.js fills the slug on change

    assert page.input_value("#id_slug") == "bad-durkheim"
    recorder.assert_local()


def test_inline_script_is_blocked_by_the_csp(page, live_server):
    recorder = RequestRecorder(page)
    page.goto(live_server.url + "/")

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.appendChild(s); }"
    )

    assert page.evaluate("window.injected === undefined")
    assert recorder.csp_violations


def test_navigation_menu_opens_on_a_small_screen(page, live_server):
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(live_server.url + "/")

    page.click(".navbar-toggler")

    members_link = page.locator('#mainnav .nav-link[href="/mitglieder/"]')
    members_link.wait_for(state="visible")
    assert page.locator(".navbar-toggler").get_attribute("aria-expanded") == "true"
