"""Every main page fits its width at 1280 px and on a phone (390 px): no horizontal scrolling
of the page or of a table on it, admin lists fully visible, the network's own typeface loaded
from the portal. Screenshots land in ``var/screenshots/layout/``."""

from pathlib import Path

import pytest
from django.conf import settings

from meetings.models import AgendaItem
from surveys.models import Question, Survey
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)
from tests.meetings.factories import MeetingFactory
from tests.news.factories import PostFactory, PublishedPostFactory
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ein-langes-passwort-123"  # tests.factories.UserFactory
# not test-results/: pytest-playwright empties that folder at the start of every run
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "layout"
WIDTHS = (1280, 390)


def _world():
    topics = [TopicFactory(name=f"Verwaltungsdigitalisierung {n}") for n in range(4)]
    kl = MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    member = MemberContactFactory(
        municipality=kl,
        email="lena.hoffmann-schneider@kaiserslautern.example",
        phone="+49 631 365-4711",
        position="Leitung Digitalisierung und Organisationsentwicklung",
    )
    member.topics.set(topics)
    for n in range(3):
        other = MemberContactFactory(
            municipality=MunicipalityFactory(name=f"Verbandsgemeinde Musterstadt-Land {n}"),
            email=f"vorname.nachname-{n}@verbandsgemeinde-musterstadt-land.example",
            phone="+49 6301 12345-678",
        )
        other.topics.set(topics)
    posts = [
        PublishedPostFactory(municipality=kl, title=f"Glasfaserausbau im Landkreis, Teil {n}")
        for n in range(3)
    ]
    posts[0].topics.set(topics)
    PostFactory(municipality=kl, status="submitted", title="Wartet auf Prüfung")
    meeting = MeetingFactory(
        title="1. Digitaler Stammtisch mit einem recht langen Titel",
        slug="stammtisch",
        is_public=True,
    )
    item = AgendaItem.objects.create(
        meeting=meeting, title="Digitalstrategie: Wie fangen wir an?", position=1
    )
    item.topics.set(topics)
    survey = SurveyFactory(title="Themenumfrage", results_visibility=Survey.Visibility.PUBLIC)
    question_with_options(
        survey, Question.Kind.SINGLE, ["Digitalstrategie und Verwaltungsdigitalisierung", "Nein"]
    )
    return member, survey, posts[0]


def _login(page, base, email):
    page.goto(base + "/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def _overflow(page, width) -> list[str]:
    problems = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"page is {scroll} px wide")
    # admin result tables scroll inside their box: they must fit it
    cut = page.evaluate(
        """() => [...document.querySelectorAll('#changelist table#result_list')]
            .map(t => [t.scrollWidth, t.parentElement.clientWidth])
            .filter(([inner, outer]) => inner > outer + 1)"""
    )
    problems += [f"admin table {inner} px in {outer} px" for inner, outer in cut]
    # a table scrolls inside its box only as a last resort: on the main pages it fits
    scrolled = page.evaluate(
        """() => [...document.querySelectorAll('main .table-responsive')]
            .map(t => [t.scrollWidth, t.clientWidth])
            .filter(([inner, outer]) => inner > outer + 1)"""
    )
    problems += [f"table {inner} px in a {outer} px box" for inner, outer in scrolled]
    # contact data must be on screen, not beyond a table's horizontal scroll
    hidden = page.evaluate(
        f"""() => [...document.querySelectorAll('main a[href^="mailto:"]')]
            .filter(a => a.getBoundingClientRect().right > {width})
            .map(a => a.textContent.trim())"""
    )
    problems += [f"e-mail address off screen: {address}" for address in hidden]
    return problems


def _check(page, base, paths, label, found):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(base + path)
            slug = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-")
            name = f"{label}{slug or 'home'}-{width}.png"
            page.screenshot(path=str(SHOTS / name), full_page=True)
            problems = _overflow(page, width) + _typeface(page)
            if problems:
                found[f"{path} @ {width}"] = problems


def _typeface(page) -> list[str]:
    """The pages are set in the network's typeface, served by the portal itself."""
    loaded = page.evaluate(
        """() => document.fonts.ready.then(() =>
            [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family))"""
    )
    if not any("Source Sans 3" in family for family in loaded):
        return [f"the network's typeface is not loaded (loaded: {loaded})"]
    return []


def test_main_pages_fit_the_screen_at_desktop_and_phone_width(page, live_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    member, survey, post = _world()
    coordinator = CoordinatorFactory(email="team@ikone.example")
    found: dict[str, list[str]] = {}

    public = [
        "/",
        "/neuigkeiten/",
        post.get_absolute_url(),
        "/neuigkeiten/?q=Zeppelin",
        "/suche/?q=Glasfaserausbau",
        "/suche/?q=Zeppelin",
        "/mitglieder/",
        "/mitglieder/kaiserslautern/",
        "/mitglied-werden/",
        "/treffen/",
        "/treffen/stammtisch/",
        "/treffen/archiv/",
        "/umfragen/",
        survey.get_results_url(),
        "/konto/login/",
    ]
    _check(page, live_server.url, public, "public-", found)

    _login(page, live_server.url, member.email)
    members = [
        "/bereich/",
        "/bereich/kontakte/",
        "/bereich/umfragen/",
        "/bereich/beitraege/",
        "/bereich/beitraege/neu/",
        "/bereich/treffen/",
        "/bereich/profil/",
        "/suche/?q=Digitalstrategie&kind=agenda_item",
    ]
    _check(page, live_server.url, members, "member-", found)

    context = browser.new_context()
    admin_page = context.new_page()
    _login(admin_page, live_server.url, coordinator.email)
    admin = [
        "/admin/",
        "/admin/members/membershipapplication/",
        "/admin/members/contact/",
        "/admin/news/post/",
        "/admin/surveys/survey/",
        "/admin/meetings/meeting/",
    ]
    for width in WIDTHS[:1]:  # the admin is the coordinator's desktop workplace
        admin_page.set_viewport_size({"width": width, "height": 900})
        for path in admin:
            admin_page.goto(live_server.url + path)
            admin_page.screenshot(
                path=str(SHOTS / f"admin-{path.strip('/').replace('/', '_')}-{width}.png"),
                full_page=True,
            )
            problems = _overflow(admin_page, width)
            if problems:
                found[f"{path} @ {width}"] = problems
    context.close()

    assert found == {}


def _header_problems(page, width) -> list[str]:
    """Every part of the header on screen, and the sections in one row of one-line links."""
    return page.evaluate(
        f"""() => {{
            const parts = 'header nav a, header nav button, header nav input';
            const off = [...document.querySelectorAll(parts)]
                .filter(e => e.offsetParent !== null)
                .filter(e => e.getBoundingClientRect().right > {width})
                .map(e => 'off screen: ' + (e.textContent.trim() || e.name));
            const links = [...document.querySelectorAll('#mainnav .nav-link')];
            const tops = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
            const heights = new Set(links.map(a => Math.round(a.getBoundingClientRect().height)));
            if (tops.size > 1) off.push('the sections take ' + tops.size + ' rows');
            if (heights.size > 1) off.push('a section name wraps');
            return off;
        }}"""
    )


def test_the_header_fits_one_row_of_sections_for_a_coordinator_in_german(live_server, browser):
    """A coordinator sees the most sections (Administration too) and German names are the
    longest: at 1024 and 1280 px the search, language switch and logout stay on screen and
    no section name wraps."""
    coordinator = CoordinatorFactory(email="team@ikone.example")
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    _login(page, live_server.url, coordinator.email)
    found = {}
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto(live_server.url + "/projekte/")
        assert page.locator("#mainnav .nav-link", has_text="Verwaltung").is_visible()
        page.screenshot(path=str(SHOTS / f"header-coordinator-{width}.png"))
        if problems := _header_problems(page, width):
            found[width] = problems
    context.close()
    assert found == {}
