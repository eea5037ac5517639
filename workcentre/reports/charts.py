"""Chart geometry for the report pages: the templates draw it as SVG, with the numbers in a
table beside each chart (a chart alone is not accessible, nor exact)."""

from __future__ import annotations

from typing import Any

LABEL_WIDTH = 170
ROW_HEIGHT = 28


def bars(rows: list[tuple[str, float]], width: int = 520) -> dict[str, Any]:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    top = max([v for _, v in rows] + [0]) or 1
    room = width - LABEL_WIDTH - 60
    items = [{"label": label, "value": value, "y": n * ROW_HEIGHT + 4,
              "w": round(room * value / top, 1), "x": LABEL_WIDTH}
             for n, (label, value) in enumerate(rows)]
    return {"width": width, "height": max(1, len(rows)) * ROW_HEIGHT + 8, "bars": items,
            "text_y": ROW_HEIGHT // 2 + 4}


def paired_columns(rows: list[tuple[str, float, float]], width: int = 520,
                   height: int = 220) -> dict[str, Any]:
    """Columns in pairs (say expected and present half-days) for each label."""
    top = max([max(a, b) for _, a, b in rows] + [0]) or 1
    scale = (height - 50) / top
    band = width / max(1, len(rows))
    items, labels = [], []
    for n, (label, first, second) in enumerate(rows):
        x = n * band + band * 0.15
        w = band * 0.32
        for kind, value, offset in (("a", first, 0.0), ("b", second, w)):
            h = value * scale
            items.append({"kind": kind, "value": value, "x": round(x + offset, 1),
                          "y": round(height - 30 - h, 1), "w": round(w, 1), "h": round(h, 1)})
        labels.append({"x": round(n * band + band / 2, 1), "text": label})
    return {"width": width, "height": height, "bars": items, "labels": labels,
            "base": height - 30}
