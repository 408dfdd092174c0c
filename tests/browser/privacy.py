"""Browser helpers: record every request a page makes; run axe-core on a page."""

from __future__ import annotations

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
BLOCKING_IMPACTS = {"serious", "critical"}


class RequestRecorder:
    """Every URL the page requested; ``assert_local()`` fails for any third party."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.csp_violations: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def external(self) -> list[str]:
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out

    def assert_local(self) -> None:
        external = self.external()
        assert not external, f"requests to third parties: {external}"
        assert not self.csp_violations, f"CSP violations: {self.csp_violations}"


_axe = Axe()


def serious_violations(page) -> list[str]:
    """axe-core (WCAG 2.1 A/AA rules) violations of impact serious or critical."""
    results = _axe.run(
        page,
        options={
            "resultTypes": ["violations"],
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        },
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def log_in(page, live_server, user) -> None:
    """Put a logged-in session of ``user`` into the browser."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
