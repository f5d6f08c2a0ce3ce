"""The arithmetic of the experts' scores, pure (no database): computed, never typed in.

An expert's weighted total is on a 0–100 scale: every criterion contributes
``weight × value / max_score`` (the weights sum to 100), the expert criteria with the expert's
own values and the computed criteria (index, form) with the same value for every expert.

Across experts:
- mean and median of the totals;
- trimmed mean: with at least ``TRIM_FROM`` (4) experts the single highest and single lowest
  totals are dropped and the rest averaged; with fewer experts nothing is dropped and the
  trimmed mean equals the mean (trimming two of three would leave one expert's word);
- spread: the highest total minus the lowest;
- dispersed: the spread exceeds ``DISPERSION_POINTS`` (15 points), or the overall
  recommendations split (at least one "award" and one "not award").
"""

from dataclasses import dataclass
from decimal import Decimal
from statistics import mean, median

# Experts disagree widely when their totals lie more than this many points apart.
DISPERSION_POINTS = 15
# The trimmed mean drops the highest and the lowest total from this many experts on.
TRIM_FROM = 4
# Figures are kept to two decimals (the pages show one).
DIGITS = 2

AWARD = "award"
NOT_AWARD = "not_award"


@dataclass(frozen=True)
class Line:
    """One criterion's part of a total: its weight (%), the value given and its maximum.
    ``value`` None: not known yet (a computed criterion waiting for the survey's result)."""

    weight: Decimal | float
    value: Decimal | float | None
    max_score: int


def points(line: Line) -> float:
    """The criterion's contribution to the 0–100 total: weight × value / max (0 when unknown)."""
    if line.value is None or not line.max_score:
        return 0.0
    value = min(max(float(line.value), 0.0), float(line.max_score))
    return float(line.weight) * value / float(line.max_score)


@dataclass(frozen=True)
class Total:
    points: float
    # True when a criterion's value is not known yet: the total can still rise.
    provisional: bool


def weighted_total(lines) -> Total:
    lines = list(lines)
    return Total(
        points=round(sum(points(line) for line in lines), DIGITS),
        provisional=any(line.value is None for line in lines),
    )


def trimmed_mean(values: list[float]) -> float:
    """Mean without the highest and the lowest value from ``TRIM_FROM`` values on; else the
    plain mean."""
    ordered = sorted(values)
    if len(ordered) >= TRIM_FROM:
        ordered = ordered[1:-1]
    return mean(ordered)


def summarise(totals: list[float], recommendations: list[str]) -> dict:
    """The aggregate of one application's submitted totals (at least one)."""
    if not totals:
        raise ValueError("no totals")
    spread = max(totals) - min(totals)
    award = sum(1 for r in recommendations if r == AWARD)
    not_award = sum(1 for r in recommendations if r == NOT_AWARD)
    return {
        "n": len(totals),
        "mean": round(mean(totals), DIGITS),
        "median": round(median(totals), DIGITS),
        "trimmed_mean": round(trimmed_mean(totals), DIGITS),
        "spread": round(spread, DIGITS),
        "dispersed": spread > DISPERSION_POINTS or (award > 0 and not_award > 0),
        "recommend_award": award,
        "recommend_not": not_award,
    }
