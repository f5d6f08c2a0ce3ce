"""What static/js/measurement_report.js needs to draw the report's charts, and the axis
ranges the page and the PDF share."""

import math

from django.utils.translation import gettext as _

from manyi.surveys.report.common import finite
from manyi.surveys.report.layout import curve


def _nice_ceiling(value: float) -> float:
    """The next round number above ``value`` (0.43 -> 0.5, 3.2 -> 4)."""
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value)) / 2
    return math.ceil(value / step) * step


def ipa_axes(points: list[dict]) -> dict:
    """Axis ranges with room around the points: importance from 0 (or below the smallest
    negative effect) to a round number past the largest; performance over at least 20 index
    points in steps of 5, inside 0–100. A chart never zooms into a sliver of a range."""
    xs = [p["importance"] for p in points if finite(p.get("importance"))]
    ys = [p["performance"] for p in points if finite(p.get("performance"))]
    if not xs or not ys:
        return {"x": [0.0, 1.0], "y": [0.0, 100.0]}
    x_hi = _nice_ceiling(max(max(xs), 0) * 1.2 or 0.1)
    x_lo = 0.0 if min(xs) >= 0 else -_nice_ceiling(-min(xs) * 1.2)
    y_lo = max(0.0, math.floor((min(ys) - 5) / 5) * 5)
    y_hi = min(100.0, math.ceil((max(ys) + 5) / 5) * 5)
    while y_hi - y_lo < 20:
        y_lo, y_hi = max(0.0, y_lo - 5), min(100.0, y_hi + 5)
    return {"x": [x_lo, x_hi], "y": [y_lo, y_hi]}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def ipa_level(rows: list[dict]) -> dict:
    points = [
        {
            "name": r["label"],
            "importance": r["importance"],
            "performance": r["performance"],
            "quadrant": r["quadrant_label"],
        }
        for r in rows
        if finite(r["importance"]) and finite(r["performance"])
    ]
    return {
        "points": points,
        # The quadrants are split at the means of the points drawn (the contract's rule).
        "mean_importance": _mean([p["importance"] for p in points]),
        "mean_performance": _mean([p["performance"] for p in points]),
        "axes": ipa_axes(points),
    }


def chart_data(report) -> dict:
    data = {
        "index": {
            "labels": [lv["label"] for lv in report.index_lvs],
            "values": [lv["index"] for lv in report.index_lvs],
            "intervals": [lv["interval"] for lv in report.index_lvs],
            "title": _("满意度指数（0–100）"),
            "interval_label": _("95% 置信区间"),
        },
        "paths": {
            "nodes": [
                {
                    "name": lv["label"],
                    "x": report.layout[lv["name"]][0],
                    "y": report.layout[lv["name"]][1],
                    "r2": lv["r2"],
                }
                for lv in report.lvs
            ],
            "links": [
                {
                    "source": p["from_label"],
                    "target": p["to_label"],
                    "value": p["coef"],
                    "significant": p["significant"],
                    "curve": curve(report, p),
                }
                for p in report.paths
            ],
        },
    }
    if report.ipma:
        data["ipa"] = {
            "constructs": ipa_level(report.ipma["constructs"]),
            "indicators": ipa_level(report.ipma["indicators"]),
            "x_label": _("重要性（对%(target)s的非标准化总效应）")
            % {"target": report.ipma["target_label"]},
            "y_label": _("表现（0–100）"),
        }
    if report.trend:
        data["trend"] = {
            "labels": [p["label"] for p in report.trend["points"]],
            "values": [p["target"] for p in report.trend["points"]],
            "intervals": [p["interval"] for p in report.trend["points"]],
            "name": next(lv["label"] for lv in report.lvs if lv["name"] == report.target),
        }
    return data
