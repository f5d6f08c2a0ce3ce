"""Turn a finished run's stored result into what the report page and the PDF show.

Pure data: tables with pass/fail against the usual thresholds, and chart descriptions that
the page draws with ECharts and the PDF draws as SVG (charts.py).
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.surveys.models import MeasurementRun
from manyi.surveys.words import model_labels

# The usual thresholds (Hair et al.; Henseler et al. for HTMT).
THRESHOLDS = {"alpha": 0.7, "rho_c": 0.7, "rho_a": 0.7, "ave": 0.5, "loading": 0.7, "htmt": 0.85}
QUADRANTS = {
    "keep_up": gettext_lazy("继续保持"),
    "concentrate_here": gettext_lazy("重点改进"),
    "low_priority": gettext_lazy("次要改进"),
    "possible_overkill": gettext_lazy("可能过度投入"),
}


@dataclass
class Report:
    run: MeasurementRun
    lvs: list[dict]
    paths: list[dict]
    indicators: list[dict]
    htmt: list[dict]
    fornell_larcker: list[dict]
    groups: list[dict]
    ipa: list[dict]
    gof: float | None
    n: int
    iterations: int
    bootstrap: dict | None
    layout: dict[str, tuple[float, float]]
    target: str

    @property
    def all_reliable(self) -> bool:
        return all(lv["passes"] for lv in self.lvs)


def _interval(section: dict | None, key: str) -> list[float] | None:
    if not section or key not in section:
        return None
    entry = section[key]
    interval = entry.get("bca") or entry.get("percentile")
    if not interval or any(v is None or (isinstance(v, float) and math.isnan(v)) for v in interval):
        return entry.get("percentile")
    return interval


def _ok(value, threshold, *, below=False):
    if value is None:
        return None
    return value < threshold if below else value >= threshold


def layered_layout(lvs: list[str], paths: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]² for a left-to-right path diagram: a column per causal step."""
    level = dict.fromkeys(lvs, 0)
    for _step in lvs:  # longest path from a source; the model is acyclic
        for a, b in paths:
            level[b] = max(level[b], level[a] + 1)
    columns: dict[int, list[str]] = {}
    for lv in lvs:
        columns.setdefault(level[lv], []).append(lv)
    depth = max(columns) or 1
    layout = {}
    for col, members in columns.items():
        for i, lv in enumerate(members):
            y = (i + 1) / (len(members) + 1)
            if len(members) == 1:
                # A chain drawn on one line hides its arrows behind the boxes: zig-zag it.
                y = 0.2 if col % 2 == 0 else 0.8
            layout[lv] = (col / depth, y)
    return layout


def build_report(run: MeasurementRun) -> Report:
    result = run.result or {}
    boot = run.bootstrap_result
    spec = result.get("model") or run.model_spec
    labels = model_labels(run.model_spec, run.dataset.dictionary)
    blocks: dict[str, list[str]] = spec["blocks"]
    lv_names = list(blocks)
    reliability = result.get("reliability", {})
    target = "SAT" if "SAT" in blocks else lv_names[-1]
    lvs = []
    for lv in lv_names:
        rel = reliability.get(lv, {})
        checks = {
            "alpha": _ok(rel.get("alpha"), THRESHOLDS["alpha"]),
            "rho_c": _ok(rel.get("rho_c"), THRESHOLDS["rho_c"]),
            "rho_a": _ok(rel.get("rho_a"), THRESHOLDS["rho_a"]),
            "ave": _ok(rel.get("ave"), THRESHOLDS["ave"]),
        }
        single = len(blocks[lv]) == 1
        lvs.append(
            {
                "name": lv,
                "label": labels.get(lv, lv),
                "index": result.get("index", {}).get(lv),
                "interval": _interval((boot or {}).get("index"), lv),
                "r2": result.get("r2", {}).get(lv),
                "r2_adj": result.get("r2_adj", {}).get(lv),
                **{k: rel.get(k) for k in ("alpha", "rho_c", "rho_a", "ave")},
                "checks": checks,
                "single": single,
                "passes": single or all(v is not False for v in checks.values()),
            }
        )
    paths = []
    for key, coef in result.get("paths", {}).items():
        a, b = key.split("->")
        interval = _interval((boot or {}).get("paths"), key)
        paths.append(
            {
                "key": key,
                "from": a,
                "to": b,
                "from_label": labels.get(a, a),
                "to_label": labels.get(b, b),
                "coef": coef,
                "total": result.get("effects", {}).get(key, {}).get("total"),
                "interval": interval,
                "significant": None if interval is None else (interval[0] > 0 or interval[1] < 0),
            }
        )
    indicators = []
    for lv in lv_names:
        for item in blocks[lv]:
            loading = result.get("loadings", {}).get(item)
            indicators.append(
                {
                    "name": item,
                    "label": labels.get(item, item),
                    "lv": lv,
                    "lv_label": labels.get(lv, lv),
                    "weight": result.get("weights", {}).get(item),
                    "loading": loading,
                    "loading_ok": _ok(loading, THRESHOLDS["loading"]),
                    "mean": result.get("item_means", {}).get(item),
                    "missing": result.get("missing", {}).get("share", {}).get(item),
                    "interval": _interval((boot or {}).get("loadings"), item),
                }
            )
    htmt = []
    for a, row in result.get("htmt", {}).items():
        for b, value in row.items():
            if a < b or (a in lv_names and b in lv_names and lv_names.index(a) < lv_names.index(b)):
                htmt.append(
                    {
                        "a": labels.get(a, a),
                        "b": labels.get(b, b),
                        "value": value,
                        "ok": _ok(value, THRESHOLDS["htmt"], below=True),
                    }
                )
    fornell = []
    fl = result.get("fornell_larcker", {})
    for lv in lv_names:
        row = fl.get(lv, {})
        diagonal = row.get(lv)
        others = [abs(v) for k, v in row.items() if k != lv and v is not None]
        fornell.append(
            {
                "label": labels.get(lv, lv),
                "sqrt_ave": diagonal,
                "max_corr": max(others) if others else None,
                "ok": None if diagonal is None or not others else diagonal > max(others),
            }
        )
    groups = []
    overall = result.get("index", {})
    for label, values in (result.get("group_index") or {}).items():
        groups.append(
            {
                "label": label,
                "n": (result.get("group_n") or {}).get(label),
                "values": [
                    {
                        "lv": lv,
                        "value": values.get(lv),
                        "diff": None
                        if values.get(lv) is None or overall.get(lv) is None
                        else values[lv] - overall[lv],
                    }
                    for lv in lv_names
                ],
            }
        )
    ipa = [
        {
            **row,
            "label": labels.get(row["lv"], row["label"]),
            "quadrant_label": QUADRANTS.get(row["quadrant"], row["quadrant"]),
        }
        for row in result.get("importance_performance", [])
    ]
    return Report(
        run=run,
        lvs=lvs,
        paths=paths,
        indicators=indicators,
        htmt=htmt,
        fornell_larcker=fornell,
        groups=groups,
        ipa=ipa,
        gof=result.get("gof"),
        n=result.get("n", 0),
        iterations=result.get("iterations", 0),
        bootstrap=boot,
        layout=layered_layout(lv_names, [(p["from"], p["to"]) for p in paths]),
        target=target,
    )


def skips_a_column(report: Report, path: dict) -> bool:
    """A path that jumps over a column would run behind the boxes between: it is drawn curved."""
    columns = sorted({x for x, _y in report.layout.values()})
    step = columns[1] - columns[0] if len(columns) > 1 else 1
    return abs(report.layout[path["to"]][0] - report.layout[path["from"]][0]) > step * 1.5


def _curve(report: Report, path: dict) -> float:
    if not skips_a_column(report, path):
        return 0.0
    # Bend towards the middle of the drawing, never off its edge.
    mean_y = (report.layout[path["from"]][1] + report.layout[path["to"]][1]) / 2
    return 0.25 if mean_y > 0.5 else -0.25


def chart_data(report: Report) -> dict:
    """What static/js/measurement_report.js needs to draw the three charts."""
    return {
        "index": {
            "labels": [lv["label"] for lv in report.lvs],
            "values": [lv["index"] for lv in report.lvs],
            "intervals": [lv["interval"] for lv in report.lvs],
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
                    "curve": _curve(report, p),
                }
                for p in report.paths
            ],
        },
        "ipa": {
            "points": [
                {
                    "name": row["label"],
                    "importance": row["importance"],
                    "performance": row["performance"],
                }
                for row in report.ipa
            ],
            "x_label": _("重要性（对满意度的总效应）"),
            "y_label": _("表现（指数）"),
        },
    }
