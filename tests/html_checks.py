"""Checks of rendered HTML that the Nu validator would also report: unique ids, and every
reference to an id (``for``, ``aria-*``, ``headers``, ``list``, in-page links) resolving."""

from html.parser import HTMLParser

ID_LIST_ATTRIBUTES = (
    "aria-describedby",
    "aria-labelledby",
    "aria-controls",
    "aria-owns",
    "headers",
)
ID_ATTRIBUTES = ("for", "list", "form", "aria-activedescendant", "aria-errormessage")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)
        self._in_template = 0

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return
        values = dict(attrs)
        if values.get("id") is not None:
            self.ids.append(values["id"])
        for name in ID_LIST_ATTRIBUTES:
            for ref in (values.get(name) or "").split():
                self.references.append((tag, name, ref))
        for name in ID_ATTRIBUTES:
            if values.get(name):
                self.references.append((tag, name, values[name]))
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.references.append((tag, "href", href[1:]))

    def handle_endtag(self, tag):
        if tag == "template" and self._in_template:
            self._in_template -= 1


def id_problems(html: str) -> list[str]:
    """What is wrong with the ids of a page: duplicates and dangling references."""
    collector = _Collector()
    collector.feed(html)
    problems = []
    seen: set[str] = set()
    for value in collector.ids:
        if not value or any(c.isspace() for c in value):
            problems.append(f"invalid id {value!r}")
        if value in seen:
            problems.append(f"duplicate id {value!r}")
        seen.add(value)
    for tag, attribute, ref in collector.references:
        if ref not in seen:
            problems.append(f"<{tag} {attribute}> points to missing id {ref!r}")
    return sorted(set(problems))
