"""Server-rendered SVG bar charts: geometry computed here, markup in a template."""

from __future__ import annotations

from django.utils.formats import number_format

LABEL_WIDTH = 260
BAR_WIDTH = 320
ROW_HEIGHT = 30
VALUE_WIDTH = 120


def bar_chart(rows: list[tuple[str, float, str]]) -> dict:
    """``rows`` are (label, share 0–100, value text); returns what the template draws."""
    bars = []
    for index, (label, share, value) in enumerate(rows):
        y = index * ROW_HEIGHT
        bars.append(
            {
                "label": label if len(label) <= 38 else label[:36] + "…",
                "full_label": label,
                "value": value,
                "y": y,
                "text_y": y + ROW_HEIGHT // 2 + 5,
                "bar_y": y + 5,
                "width": round(BAR_WIDTH * max(0.0, min(share, 100.0)) / 100, 1),
                "value_x": LABEL_WIDTH + BAR_WIDTH + 8,
            }
        )
    return {
        "bars": bars,
        "height": max(ROW_HEIGHT, ROW_HEIGHT * len(rows)),
        "width": LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        "bar_x": LABEL_WIDTH,
        "bar_height": ROW_HEIGHT - 10,
        "label_x": LABEL_WIDTH - 8,
    }


def _share(percent: float) -> str:
    """The share as the reader's language writes it (16,7 in German): text, not geometry."""
    return number_format(percent, decimal_pos=0 if float(percent).is_integer() else 1)


def chart_for(result) -> dict | None:
    if result.ranking:
        return bar_chart([(r.label, r.percent, str(r.points)) for r in result.ranking])
    if result.bars:
        return bar_chart(
            [(b.label, b.percent, f"{b.count} ({_share(b.percent)} %)") for b in result.bars]
        )
    return None
