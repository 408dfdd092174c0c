from django import template

from meetings.markup import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render Markdown sanitised (minutes, summaries)."""
    return render_markdown(text or "")


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return (mapping or {}).get(key)
