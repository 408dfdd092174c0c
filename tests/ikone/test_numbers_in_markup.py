"""Numbers that markup reads (SVG geometry, progress values) never go through localisation.

German writes 320,0 where SVG needs 320.0: a bar with ``width="320,0"`` is not drawn. Every
template variable in such an attribute must sit inside ``{% localize off %}`` or pass
through ``|unlocalize``. The scan covers every template of the project and its apps.
"""

import re
from pathlib import Path

from django.conf import settings

NUMERIC_ATTRIBUTES = (
    "x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|dx|dy|width|height|viewBox|points|d|transform"
    "|max|min|low|high|optimum|step|value|offset|stroke-width|font-size"
)
ATTRIBUTE = re.compile(rf'\s(?:{NUMERIC_ATTRIBUTES})="([^"]*\{{\{{[^"]*)"')
NUMERIC_ELEMENTS = re.compile(r"<(svg|progress|meter)\b", re.IGNORECASE)
VARIABLE = re.compile(r"\{\{(.*?)\}\}")


def _template_files():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += sorted(Path(settings.BASE_DIR).glob("*/templates"))
    for root in roots:
        yield from sorted(root.rglob("*.html"))
        yield from sorted(root.rglob("*.svg"))


def _unlocalised_spans(source: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for match in re.finditer(r"\{%\s*(localize off|endlocalize)\s*%\}", source):
        if match.group(1) == "localize off":
            start = match.end()
        elif start is not None:
            spans.append((start, match.start()))
            start = None
    return spans


def test_numeric_attributes_are_never_localised():
    offenders = []
    for path in _template_files():
        source = path.read_text(encoding="utf-8")
        if not NUMERIC_ELEMENTS.search(source):
            continue
        spans = _unlocalised_spans(source)
        for tag in re.finditer(
            r"<(?:svg|rect|text|line|circle|g|path|polyline|progress|meter)\b[^>]*>", source
        ):
            for attribute in ATTRIBUTE.finditer(tag.group(0)):
                position = tag.start() + attribute.start()
                if any(start <= position < end for start, end in spans):
                    continue
                for variable in VARIABLE.finditer(attribute.group(1)):
                    if "unlocalize" not in variable.group(1):
                        line = source.count("\n", 0, position) + 1
                        offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{line}")
    assert not offenders, offenders


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The scan itself: a bare variable in a width is found, a guarded one is not."""
    bare = '<svg><rect width="{{ bar.width }}"></rect></svg>'
    guarded = '{% localize off %}<svg><rect width="{{ bar.width }}"></rect></svg>{% endlocalize %}'
    tag = re.search(r"<rect\b[^>]*>", bare).group(0)
    assert ATTRIBUTE.search(tag)
    assert _unlocalised_spans(guarded) and not _unlocalised_spans(bare)
