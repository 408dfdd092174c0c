from django import template
from django.utils.safestring import SafeString, mark_safe

from ikone.markup import render_markdown

register = template.Library()


@register.filter
def markdown(text) -> SafeString:
    """Minutes and summaries as sanitised HTML; their headings start below the section's."""
    html = render_markdown(text or "", heading_offset=1, min_heading=3)
    return mark_safe(html)  # noqa: S308 (sanitised by nh3)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return (mapping or {}).get(key)
