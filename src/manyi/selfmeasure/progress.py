"""What a measurement says to an enterprise that wants to improve (pure functions on a run's
stored result).

- `proposals`: the drivers and their indicators worth acting on, from the run's
  importance–performance map (contract B "ipma"): "concentrate here" first (important, and
  below the average performance), then by importance.
- `driver_changes`: for each targeted driver, the index in the plan's measurement (the
  baseline) and in the next one, the change, and whether the change is larger than the
  sampling uncertainty of the two bootstraps.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The 97.5 % quantile of the standard normal distribution (two-sided 95 %).
Z95 = 1.959963984540054
CONCENTRATE = "concentrate_here"


def target_of(run, default: str = "SAT") -> str:
    """The construct the run's map explains (satisfaction unless the map says otherwise)."""
    result = run.result or {}
    return (result.get("ipma") or {}).get("target") or default


def target_index(run) -> float | None:
    return ((run.result or {}).get("index") or {}).get(target_of(run))


def _priority(entry: dict) -> tuple:
    importance = entry.get("importance")
    return (
        entry.get("quadrant") != CONCENTRATE,
        -(importance if importance is not None else -math.inf),
    )


def proposals(run) -> dict[str, list[dict]]:
    """``{"constructs": [...], "indicators": [...]}`` of the run's map, most urgent first;
    each entry as stored (lv, indicator, importance, performance, quadrant, label) plus
    ``urgent`` for the "concentrate here" quadrant. Empty lists when the run has no map."""
    ipma = (run.result or {}).get("ipma") or {}
    out = {}
    for key in ("constructs", "indicators"):
        rows = sorted(ipma.get(key) or [], key=_priority)
        out[key] = [
            {
                **row,
                "urgent": row.get("quadrant") == CONCENTRATE,
                "quadrant_words": QUADRANT_WORDS.get(row.get("quadrant"), ""),
            }
            for row in rows
        ]
    return out


def drivers_of(run) -> list[str]:
    """The constructs an action may target: the drivers on the run's map, else the model's
    declared drivers, else every construct but the target."""
    ipma = (run.result or {}).get("ipma") or {}
    found = [row["lv"] for row in ipma.get("constructs") or []]
    if found:
        return found
    spec = run.model_spec or {}
    if spec.get("drivers"):
        return list(spec["drivers"])
    target = target_of(run)
    return [lv for lv in spec.get("blocks") or {} if lv != target]


def indicators_of(run, driver: str) -> list[str]:
    return list(((run.model_spec or {}).get("blocks") or {}).get(driver) or [])


def baseline(run, driver: str, indicator: str = "") -> float | None:
    """The 0–100 performance the action starts from: the indicator's on the map when the
    action names one, else the driver's index."""
    result = run.result or {}
    if indicator:
        for row in (result.get("ipma") or {}).get("indicators") or []:
            if row.get("indicator") == indicator:
                return row.get("performance")
        return None
    return (result.get("index") or {}).get(driver)


def _se(run, lv: str) -> float | None:
    """The bootstrap standard error of the construct's index, from its interval when the
    stored entry has one (the percentile interval spans 2 × 1.96 SE for a normal
    distribution), else from its SE."""
    entry = ((run.bootstrap_result or {}).get("index") or {}).get(lv) or {}
    interval = entry.get("percentile") or entry.get("bca")
    if interval and None not in interval[:2]:
        lo, hi = interval[:2]
        if hi > lo:
            return (hi - lo) / (2 * Z95)
    se = entry.get("se")
    return se if se is not None and se > 0 else None


@dataclass
class DriverChange:
    lv: str
    baseline: float | None
    current: float | None
    change: float | None
    # Half the width of the 95 % interval of the change (two independent samples).
    margin: float | None
    # True: the change is larger than the margin; False: within it; None: cannot tell.
    beyond_uncertainty: bool | None


def driver_change(base_run, next_run, lv: str) -> DriverChange:
    base = ((base_run.result or {}).get("index") or {}).get(lv)
    if next_run is None:
        return DriverChange(lv, base, None, None, None, None)
    current = ((next_run.result or {}).get("index") or {}).get(lv)
    if base is None or current is None:
        return DriverChange(lv, base, current, None, None, None)
    change = current - base
    se_base, se_next = _se(base_run, lv), _se(next_run, lv)
    if se_base is None or se_next is None:
        return DriverChange(lv, base, current, change, None, None)
    margin = Z95 * math.sqrt(se_base**2 + se_next**2)
    return DriverChange(lv, base, current, change, margin, abs(change) > margin)


def driver_changes(base_run, next_run, drivers) -> list[DriverChange]:
    return [driver_change(base_run, next_run, lv) for lv in dict.fromkeys(drivers)]


# The map's quadrants in the words of someone who acts on them (as the report says them).
QUADRANT_WORDS = {
    CONCENTRATE: _("重点改进"),
    "keep_up": _("继续保持"),
    "low_priority": _("次要改进"),
    "possible_overkill": _("可能过度投入"),
}
