"""Markdown of posts: rendered once when a post is saved; images allowed."""

from ikone.markup import render_markdown as _render


def render_markdown(text: str) -> str:
    return _render(text, images=True)
