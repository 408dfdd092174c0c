"""A member writes a post and submits it; a coordinator publishes it; the public sees it."""

import pytest

from news.models import Post
from tests.factories import CoordinatorFactory, MemberContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Outside the embedded mode the manifest storage needs ``collectstatic``."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def log_in(page, base, email):
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "ein-langes-passwort-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_member_writes_coordinator_publishes_visible_on_homepage(page, live_server, browser):
    base = live_server.url
    member = MemberContactFactory().user
    coordinator = CoordinatorFactory()

    log_in(page, base, member.email)
    page.goto(f"{base}/bereich/beitraege/neu/")
    page.fill("input[name=title]", "Unser neues Bürgerportal")
    page.fill("textarea[name=teaser]", "Seit heute online.")
    page.fill("textarea[name=body]", "Das Portal bietet **zwölf** Dienste.")
    # the live preview shows the rendered Markdown
    page.locator("#news-preview strong", has_text="zwölf").wait_for()
    page.click("button[name=submit]")
    assert "Unser neues Bürgerportal" in page.content()
    assert Post.objects.get().status == Post.Status.SUBMITTED

    other = browser.new_context().new_page()
    log_in(other, base, coordinator.email)
    other.goto(f"{base}/admin/news/post/?queue=waiting")
    other.click("a[href$='/moderate/']")
    other.click("input[name=publish]")
    other.wait_for_load_state()
    assert Post.objects.get().status == Post.Status.PUBLISHED

    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{base}/")
    anonymous.click("text=Unser neues Bürgerportal")
    assert anonymous.locator("h1").inner_text() == "Unser neues Bürgerportal"
    assert anonymous.locator(".post-body strong").inner_text() == "zwölf"


def test_news_pages_have_no_axe_violations(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    from tests.factories import TopicFactory
    from tests.news.factories import PublishedPostFactory

    topic = TopicFactory()
    post = PublishedPostFactory(title="Smarte Laternen", body="## Zwischentitel\n\nText")
    post.topics.add(topic)
    PublishedPostFactory(title="Mehr Laternen").topics.add(topic)
    member = MemberContactFactory().user
    axe = Axe()
    # On the homepage only the news section is ours (the hero's contrast is the layout's).
    checks = [
        ("/", "section[aria-labelledby=latest-posts-heading]"),
        ("/neuigkeiten/", "#main"),
        (post.get_absolute_url(), "#main"),
    ]
    for path, context in checks:
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page, context=context)
        assert results.violations_count == 0, (
            path,
            [n["html"] for v in results.response["violations"] for n in v["nodes"]],
        )
    log_in(page, live_server.url, member.email)
    for path in ("/bereich/beitraege/neu/", "/bereich/beitraege/"):
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page, context="#main")
        assert results.violations_count == 0, (
            path,
            [n["html"] for v in results.response["violations"] for n in v["nodes"]],
        )
