"""Importance–performance analysis: total effects on a target LV vs LV indices.

Importance is the total effect of an LV on the target (the satisfaction LV by
default), performance its 0–100 index.  Quadrants are relative to the means
of the plotted LVs (Martilla & James 1977):

=====================  ==================  ===================
quadrant code          importance          performance
=====================  ==================  ===================
``concentrate_here``   at or above mean    below mean
``keep_up``            at or above mean    at or above mean
``low_priority``       below mean          below mean
``possible_overkill``  below mean          at or above mean
=====================  ==================  ===================
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ModelError
from .results import PLSResult, clean

QUADRANTS = ("concentrate_here", "keep_up", "low_priority", "possible_overkill")
#: preferred target names, in order, when none is given
DEFAULT_TARGETS = ("SAT", "CSI", "SATISFACTION")


def default_target(result: PLSResult) -> str:
    """The satisfaction LV: SAT (or CSI, SATISFACTION), else the last sink LV."""
    for name in DEFAULT_TARGETS:
        if name in result.lvs:
            return name
    sources = {a for a, _ in result.model.paths}
    sinks = [lv for lv in result.model.topological_order() if lv not in sources]
    return sinks[-1]


def importance_performance(result: PLSResult, target: str | None = None) -> list[dict[str, Any]]:
    """One row per LV with a total effect on ``target``: lv, importance, performance, quadrant."""
    target = target or default_target(result)
    if target not in result.lvs:
        raise ModelError(
            "unknown_lv", f"target {target!r} is not a latent variable of the model", lv=target
        )
    effects = result.total_effects_on(target)
    if not effects:
        raise ModelError(
            "invalid_option", f"no latent variable has an effect on {target!r}", lv=target
        )
    pos = {lv: i for i, lv in enumerate(result.lvs)}
    importance = np.array(list(effects.values()))
    performance = np.array([result.index[pos[lv]] for lv in effects])
    mean_i, mean_p = float(np.mean(importance)), float(np.nanmean(performance))
    rows = []
    for lv, imp, perf in zip(effects, importance, performance, strict=True):
        high_i, high_p = imp >= mean_i, perf >= mean_p
        quadrant = QUADRANTS[(0 if high_i else 2) + (1 if high_p else 0)]
        rows.append(
            {
                "lv": lv,
                "label": result.model.label(lv),
                "importance": float(imp),
                "performance": float(perf),
                "quadrant": quadrant,
            }
        )
    return clean(rows)


def ipa_echarts_option(
    result: PLSResult,
    target: str | None = None,
    *,
    title: str | None = None,
    x_name: str = "Importance (total effect)",
    y_name: str = "Performance (index 0–100)",
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An ECharts ``option`` dict for the importance–performance scatter.

    Pure data (no functions, no rendering): a scatter series whose points are
    ``[importance, performance, name]`` and two mark lines at the means.
    ``labels`` overrides the point names (e.g. Chinese LV labels).
    """
    target = target or default_target(result)
    rows = importance_performance(result, target)
    names = {row["lv"]: (labels or {}).get(row["lv"], row["label"]) for row in rows}
    mean_i = float(np.mean([r["importance"] for r in rows]))
    mean_p = float(np.mean([r["performance"] for r in rows if r["performance"] is not None]))
    option = {
        "title": {"text": title or f"Importance–performance: {result.model.label(target)}"},
        "tooltip": {"trigger": "item"},
        "grid": {"containLabel": True},
        "xAxis": {"type": "value", "name": x_name, "nameLocation": "middle", "scale": True},
        "yAxis": {"type": "value", "name": y_name, "nameLocation": "middle", "scale": True},
        "series": [
            {
                "type": "scatter",
                "name": result.model.label(target),
                "symbolSize": 14,
                "data": [
                    {
                        "name": names[r["lv"]],
                        "value": [r["importance"], r["performance"]],
                        "quadrant": r["quadrant"],
                    }
                    for r in rows
                ],
                "label": {"show": True, "position": "top", "formatter": "{b}"},
                "markLine": {
                    "silent": True,
                    "symbol": "none",
                    "lineStyle": {"type": "dashed"},
                    "data": [{"xAxis": mean_i}, {"yAxis": mean_p}],
                },
            }
        ],
    }
    return clean(option)
