"""What to act on: the importance–performance map (construct and indicator level), the
ACSI-style impact of a 5-point improvement, and the comparison of groups."""

from manyi.surveys.report.common import QUADRANT_ADVICE, QUADRANTS, finite


def _ipma_row(row: dict, labels: dict, name: str) -> dict:
    return {
        "name": name,
        "lv": row.get("lv"),
        "label": labels.get(name, row.get("label") or name),
        "lv_label": labels.get(row.get("lv"), row.get("lv")),
        "importance": row.get("importance"),
        "performance": row.get("performance"),
        "quadrant": row.get("quadrant"),
        "quadrant_label": str(QUADRANTS.get(row.get("quadrant"), row.get("quadrant") or "")),
        "advice": str(QUADRANT_ADVICE.get(row.get("quadrant"), "")),
    }


def ipma_tables(result: dict, labels: dict) -> dict | None:
    """Unstandardised total effects on the target (points of its index per point of the
    driver's), drivers only (Ringle & Sarstedt 2016); None for a run computed before."""
    ipma = result.get("ipma")
    if not ipma:
        return None
    target = ipma.get("target")
    return {
        "target": target,
        "target_label": labels.get(target, target),
        "constructs": [_ipma_row(r, labels, r["lv"]) for r in ipma.get("constructs") or []],
        "indicators": [_ipma_row(r, labels, r["indicator"]) for r in ipma.get("indicators") or []],
        "mean_importance": ipma.get("mean_importance"),
        "mean_performance": ipma.get("mean_performance"),
    }


def priorities(ipma: dict | None, limit: int = 3) -> list[dict]:
    """The drivers to improve first: every one in "concentrate here" (most important first,
    at most ``limit``); when fewer than two are, the others with the most to gain (importance
    × room to 100) make up two. Never every driver of a small model: that would be no advice."""
    if not ipma:
        return []
    rows = [
        r
        for r in ipma["constructs"]
        if finite(r["importance"]) and r["importance"] > 0 and finite(r["performance"])
    ]
    first = sorted(
        (r for r in rows if r["quadrant"] == "concentrate_here"), key=lambda r: -r["importance"]
    )[:limit]
    others = sorted(
        (r for r in rows if r not in first),
        key=lambda r: -r["importance"] * (100 - r["performance"]),
    )
    wanted = min(2, max(len(rows) - 1, 1))
    return first + others[: max(0, wanted - len(first))]


def impact_table(spec: dict, result: dict, labels: dict) -> dict | None:
    """ACSI impacts: how many points each target's index moves when a driver's index rises by
    ``points`` (5 × the unstandardised total effect)."""
    impact = result.get("impact")
    if not impact or not impact.get("targets"):
        return None
    targets = list(impact["targets"])
    drivers = [
        lv for lv in spec["blocks"] if any(lv in (impact["targets"][t] or {}) for t in targets)
    ]
    return {
        "points": impact.get("points", 5),
        "targets": [{"name": t, "label": labels.get(t, t)} for t in targets],
        "rows": [
            {
                "name": lv,
                "label": labels.get(lv, lv),
                "values": [(impact["targets"][t] or {}).get(lv) for t in targets],
            }
            for lv in drivers
        ],
    }


def _tone(diff, bounds, adverse: bool) -> str:
    """ "good" / "bad" for a difference whose interval excludes zero; "" otherwise. A rise in
    complaints is bad news."""
    if not finite(diff) or bounds is None or (bounds[0] <= 0 <= bounds[1]):
        return ""
    better = diff > 0 if not adverse else diff < 0
    return "good" if better else "bad"


def group_rows(result: dict, lvs: list[dict]) -> tuple[list[dict], bool]:
    """Each group against the rest of the sample (Welch t on respondent scores), with the
    interval of the difference. Older runs only stored the groups' indices: their difference
    from the whole sample is shown without an interval. Returns (rows, has_intervals)."""
    comparison = result.get("group_comparison")
    overall = result.get("index") or {}
    rows = []
    if comparison:
        for label, per_lv in comparison.items():
            cells = []
            for lv in lvs:
                entry = (per_lv or {}).get(lv["name"]) or {}
                bounds = entry.get("interval")
                bounds = list(bounds) if bounds and all(finite(v) for v in bounds) else None
                cells.append(
                    {
                        "lv": lv["name"],
                        "value": entry.get("index"),
                        "rest": entry.get("rest_index"),
                        "diff": entry.get("diff"),
                        "interval": bounds,
                        "p": entry.get("p"),
                        "tone": _tone(entry.get("diff"), bounds, lv["adverse"]),
                    }
                )
            n = next((c.get("n") for c in (per_lv or {}).values() if c and c.get("n")), None)
            rows.append(
                {"label": label, "n": n or (result.get("group_n") or {}).get(label), "cells": cells}
            )
        return rows, True
    for label, values in (result.get("group_index") or {}).items():
        cells = []
        for lv in lvs:
            value = (values or {}).get(lv["name"])
            diff = (
                value - overall[lv["name"]]
                if finite(value) and finite(overall.get(lv["name"]))
                else None
            )
            cells.append(
                {
                    "lv": lv["name"],
                    "value": value,
                    "rest": None,
                    "diff": diff,
                    "interval": None,
                    "p": None,
                    "tone": "",
                }
            )
        rows.append({"label": label, "n": (result.get("group_n") or {}).get(label), "cells": cells})
    return rows, False
