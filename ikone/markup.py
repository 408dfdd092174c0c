"""Markdown written by people, turned into HTML that is safe to show (nh3).

One renderer for minutes, news posts and circular letters: Markdown with tables, then every
tag, attribute and URL scheme not on the lists below removed. Raw HTML in the source does
not survive (no script, style or event handler), and links get ``rel="noopener noreferrer"``.
"""

import re

import markdown
import nh3

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
IMAGE_ATTRIBUTES = {"img": {"src", "alt", "title", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])>")


def render_markdown(
    text: str, *, heading_offset: int = 0, min_heading: int = 2, images: bool = False
) -> str:
    """Sanitised HTML for ``text``.

    Heading levels move down by ``heading_offset`` and never go above ``<h{min_heading}>``
    (the page's own ``<h1>`` stays the only one). ``images`` allows ``<img>`` (news posts);
    mails and minutes keep to text, so nothing they show loads from elsewhere.
    """
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _HEADING.sub(
        lambda m: f"<{m.group(1)}h{min(6, max(min_heading, int(m.group(2)) + heading_offset))}>",
        html,
    )
    return nh3.clean(
        html,
        tags=TAGS | ({"img"} if images else set()),
        attributes={**ATTRIBUTES, **(IMAGE_ATTRIBUTES if images else {})},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
