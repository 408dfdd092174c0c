"""axe-core in Chromium on every public and member page; no request leaves the machine.

Apps add pages in ``tests/<app>/a11y.py``::

    def pages(world):
        post = world.objects["news.post_a"]
        return [("anonymous", "/neuigkeiten/"), ("member_a", f"/neuigkeiten/{post.slug}/")]

``world`` is the access-matrix world (``tests/security/access.py``).
"""

import importlib
import importlib.util

import pytest
from django.conf import settings

from tests.browser.privacy import RequestRecorder, log_in, serious_violations
from tests.security.access import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORE_PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/mitglieder/"),
    ("anonymous", "/mitglieder/kaiserslautern/"),
    ("anonymous", "/mitglied-werden/"),
    ("anonymous", "/impressum/"),
    ("anonymous", "/datenschutz/"),
    ("anonymous", "/barrierefreiheit/"),
    ("anonymous", "/konto/login/"),
    ("anonymous", "/konto/password/reset/"),
    ("member_a", "/bereich/"),
    ("member_a", "/bereich/profil/"),
    ("member_a", "/bereich/kontakte/"),
    ("member_a", "/bereich/meine-daten/"),
    ("member_a", "/mitglieder/kaiserslautern/"),
    ("member_a", "/mitglieder/kaiserslautern/themen/"),
    ("member_a", "/konto/password/change/"),
]


def app_pages(world):
    pages = list(CORE_PAGES)
    for app in settings.INSTALLED_APPS:
        name = f"tests.{app.rsplit('.', 1)[-1]}.a11y"
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found:
            pages += importlib.import_module(name).pages(world)
    return pages


def test_pages_have_no_serious_accessibility_violations_and_no_third_party_requests(
    page, live_server, tmp_path
):
    world = build_world(tmp_path / "media")
    problems = []
    current_role = None
    recorder = RequestRecorder(page)
    for role, path in app_pages(world):
        if role != current_role:
            page.context.clear_cookies()
            user = world.user(role)
            if user is not None:
                log_in(page, live_server, user)
            current_role = role
        response = page.goto(live_server.url + path)
        if response is None or response.status != 200:
            problems.append(f"{role} {path}: HTTP {response and response.status}")
            continue
        problems += [f"{role} {path}: {v}" for v in serious_violations(page)]

    recorder.assert_local()
    assert not problems, "\n".join(problems)


def test_keyboard_user_reaches_the_main_content_with_the_skip_link(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")

    assert focused == "#main"
    assert page.evaluate("document.activeElement.id") == "main"


def test_request_recorder_catches_a_third_party_request(page, live_server):
    page.route("https://cdn.example.com/**", lambda route: route.abort())
    recorder = RequestRecorder(page)
    page.goto(live_server.url + "/impressum/")

    page.evaluate("() => { const i = new Image(); i.src = 'https://cdn.example.com/x.png'; }")
    page.wait_for_timeout(300)

    assert recorder.external() == ["https://cdn.example.com/x.png"]
