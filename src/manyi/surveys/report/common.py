"""Small pieces every part of the report uses: thresholds, bootstrap statistics of one
estimate, the names to show, and which constructs are read the other way round."""

import math

from django.utils.translation import gettext_lazy

from manyi.surveys import words

# The usual thresholds: Hair et al. (2022) for reliability, loadings, VIF and f²;
# Henseler et al. (2015) for HTMT; Hu & Bentler (1999) for SRMR.
THRESHOLDS = {
    "alpha": 0.7,
    "rho_c": 0.7,
    "rho_a": 0.7,
    "ave": 0.5,
    "loading": 0.7,
    "htmt": 0.85,
    "vif_note": 3.0,
    "vif_flag": 5.0,
    "srmr": 0.08,
}
# Cohen's (1988) words for f², lowest first.
F2_WORDS = (
    (0.35, gettext_lazy("大")),
    (0.15, gettext_lazy("中")),
    (0.02, gettext_lazy("小")),
)
F2_NONE = gettext_lazy("无")
QUADRANTS = {
    "concentrate_here": gettext_lazy("重点改进"),
    "keep_up": gettext_lazy("继续保持"),
    "low_priority": gettext_lazy("次要改进"),
    "possible_overkill": gettext_lazy("可能过度投入"),
}
# What a quadrant means for someone who will act on it.
QUADRANT_ADVICE = {
    "concentrate_here": gettext_lazy("影响大、表现低：优先投入改进"),
    "keep_up": gettext_lazy("影响大、表现好：保持现有水平"),
    "low_priority": gettext_lazy("影响小、表现低：资源有余时再改进"),
    "possible_overkill": gettext_lazy("影响小、表现好：投入可能过多"),
}
# A result of a run computed before a statistic existed: recomputing shows it.
RECOMPUTE = gettext_lazy("重新计算后可见")


def finite(value) -> bool:
    return isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value))


def interval(entry: dict | None) -> list[float] | None:
    """BCa when it is defined, else the percentile interval (BCa fails when every resample
    lies on one side of the estimate)."""
    if not entry:
        return None
    bca = entry.get("bca")
    if bca and all(finite(v) for v in bca):
        return list(bca)
    percentile = entry.get("percentile")
    if percentile and all(finite(v) for v in percentile):
        return list(percentile)
    return None


def boot_stats(section: dict | None, key: str) -> dict:
    """SE, t, p and the interval of one bootstrapped estimate (empty values when absent)."""
    entry = (section or {}).get(key)
    if not entry:
        return {"se": None, "t": None, "p": None, "interval": None, "significant": None}
    bounds = interval(entry)
    se = entry.get("se")
    # An estimate fixed by the model (a single indicator's loading of 1) has no sampling
    # spread: its t would be rounding noise divided by rounding noise.
    degenerate = finite(se) and se < 1e-12
    return {
        "se": se,
        "t": None if degenerate else entry.get("t"),
        "p": None if degenerate else entry.get("p"),
        "interval": bounds,
        "significant": None if bounds is None else (bounds[0] > 0 or bounds[1] < 0),
    }


def at_least(value, threshold, *, below=False):
    if not finite(value):
        return None
    return value < threshold if below else value >= threshold


def f2_word(value) -> str:
    if not finite(value):
        return ""
    for bound, word in F2_WORDS:
        if value >= bound:
            return str(word)
    return str(F2_NONE)


def vif_level(value) -> str:
    """ "flag" above 5 (collinearity to fix), "note" above 3 (worth a look), else ""."""
    if not finite(value):
        return ""
    if value > THRESHOLDS["vif_flag"]:
        return "fail"
    return "warn" if value > THRESHOLDS["vif_note"] else ""


def labels_for(run) -> dict[str, str]:
    """Names of the run's constructs and indicators in the reader's language (an indicator's
    through the data dictionary's wording of the column mapped to it)."""
    return words.run_labels(run)


def binary_lvs(spec: dict, result: dict) -> list[str]:
    """Constructs measured only by yes/no items: their "index" is a percentage of yes."""
    binary = set(result.get("binary") or spec.get("binary") or [])
    if not binary:
        return []
    return [lv for lv, items in spec["blocks"].items() if items and set(items) <= binary]


def adverse_lvs(spec: dict, result: dict) -> set[str]:
    """Constructs where a higher number is worse news: complaints."""
    return {lv for lv in spec["blocks"] if lv == "COMPLAINT"} | set(binary_lvs(spec, result))
