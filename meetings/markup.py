"""Markdown of minutes and summaries: headings start below the page's section heading."""

from django.utils.safestring import SafeString, mark_safe

from ikone.markup import render_markdown as _render


def render_markdown(text: str) -> SafeString:
    return mark_safe(_render(text, heading_offset=1, min_heading=3))  # noqa: S308 (sanitised by nh3)
