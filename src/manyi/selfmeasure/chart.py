"""The small chart of the enterprise's index over time, as SVG geometry (pure).

Drawn on the server as plain SVG elements: no script and no style attribute, so it needs
nothing from the page's strict Content-Security-Policy and prints as it is shown.
"""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 28
# The first and last points sit this far inside the plot, so their date labels are not cut.
INSET = 32


@dataclass
class Point:
    x: float
    y: float
    value: float
    label: str
    low_y: float | None = None
    high_y: float | None = None


def _axis(values: list[float]) -> tuple[float, float]:
    """A y range in steps of 5 around the values (at least 10 points tall)."""
    low = math.floor((min(values) - 2) / 5) * 5
    high = math.ceil((max(values) + 2) / 5) * 5
    if high - low < 10:
        high = low + 10
    return max(0.0, low), min(100.0, high)


def index_chart(series: list[dict]) -> dict | None:
    """``series``: ``{"label", "value", "interval": [lo, hi] | None}`` in time order. Returns
    the SVG's size, the points (with their interval's ends), the polyline and the y ticks;
    None when nothing has an index."""
    series = [s for s in series if s.get("value") is not None]
    if not series:
        return None
    values = [s["value"] for s in series]
    for s in series:
        values += [v for v in s.get("interval") or [] if v is not None]
    low, high = _axis(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(v: float) -> float:
        return round(TOP + plot_h * (high - v) / (high - low), 1)

    step = (plot_w - 2 * INSET) / max(1, len(series) - 1)
    points = []
    for i, s in enumerate(series):
        x = round(LEFT + (INSET + step * i if len(series) > 1 else plot_w / 2), 1)
        interval = s.get("interval") or [None, None]
        points.append(
            Point(
                x=x,
                y=y_of(s["value"]),
                value=s["value"],
                label=s["label"],
                low_y=y_of(interval[0]) if interval[0] is not None else None,
                high_y=y_of(interval[1]) if interval[1] is not None else None,
            )
        )
    ticks = [{"y": y_of(v), "value": int(v)} for v in range(int(low), int(high) + 1, 5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - 8,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "ticks": ticks,
    }
