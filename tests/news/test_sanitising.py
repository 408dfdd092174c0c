"""No script, style or event handler survives from title, teaser or body."""

import functools

import pytest
from django.urls import reverse

from ikone.markup import render_markdown as _render_markdown
from news import services
from tests.factories import CoordinatorFactory, MemberContactFactory

render_markdown = functools.partial(_render_markdown, images=True)  # as posts are rendered

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">klick</a>',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "![bild](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '"><script>alert(1)</script>',
    "<scr<script>ipt>alert(1)</script>",
    "<input autofocus onfocus=alert(1)>",
    '<a href="&#106;avascript:alert(1)">x</a>',
]
FORBIDDEN = ["<script", "onerror", "onload", "ontoggle", "onfocus", "javascript:", "<iframe",
             "<style", "style=", "<object", "<form", "data:text"]  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_body_drops_dangerous_markup(payload):
    html = render_markdown(f"Text davor\n\n{payload}\n\nText danach").lower()
    for needle in FORBIDDEN:
        assert needle not in html, (payload, html)


def test_links_get_rel_noopener():
    html = render_markdown("[IKONE](https://www.kaiserslautern.de)")
    assert 'rel="noopener noreferrer"' in html
    assert 'href="https://www.kaiserslautern.de"' in html


def test_harmless_markdown_survives():
    html = render_markdown("## Überschrift\n\n* eins\n* zwei\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h2>Überschrift</h2>" in html
    assert "<li>eins</li>" in html
    assert "<table>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [p for p in XSS_PAYLOADS if "<" in p][:6])
def test_payloads_in_title_and_teaser_are_shown_as_text(client, payload):
    member = MemberContactFactory().user
    post = services.save_post(by=member, title=f"Titel {payload}", teaser=payload, body="Text")
    services.publish_post(post=post, by=CoordinatorFactory())
    post.refresh_from_db()
    for url in (post.get_absolute_url(), reverse("news:list"), reverse("home")):
        content = client.get(url).content.decode()
        assert payload not in content
        assert "<script>alert" not in content
