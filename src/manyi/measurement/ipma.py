"""Importance–performance map (IPMA) and ACSI-style "impact", on unstandardized effects.

Ringle & Sarstedt (2016), "Gain more insight from your PLS-SEM results: the
importance-performance map analysis", Industrial Management & Data Systems
116(9).  Every LV gets a 0–100 score (its index formula applied to each
respondent); an unstandardized total effect is how many points the target's
score moves when the driver's score rises one point:

    T_unstd[d, t] = T[d, t] · sd(score_t) / sd(score_d)

(T the standardized total effect; the score SDs are :func:`index.score_scale`).
Indicator importance = the indicator's normalised weight on its 0–100
rescaled item × its LV's unstandardized total effect on the target;
indicator performance = the rescaled item mean (0–100).

Only **drivers** are mapped: ``Model.drivers`` when the model names them,
else every LV with a total effect on the target that is not exogenous
(exogenous LVs such as expectations are what customers bring, not a thing
to improve).  Quadrants as in :mod:`ipa`, relative to the means of the
mapped points (constructs and indicators separately).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import pls
from .errors import ModelError
from .index import rescaled_means, rescaled_weights, score_scale
from .ipa import QUADRANTS, default_target
from .results import PLSResult, clean

#: the second target of "impact" when the model has it
LOYALTY = "LOYAL"


def unstandardized_total_effects(result: PLSResult) -> np.ndarray:
    """(k, k) [d, t]: points of t's 0–100 score per point of d's."""
    st = pls.compile_structure(result.model)
    scale = score_scale(result.weights_unstd, st, result.item_low, result.item_high)
    return result.total_effect_matrix * scale[None, :] / scale[:, None]


def drivers(result: PLSResult, target: str) -> list[str]:
    """The drivers with a total effect on ``target``, in block order."""
    _check_target(result, target)
    effects = result.total_effects_on(target)
    if result.model.drivers:
        return [lv for lv in result.model.drivers if lv in effects]
    endogenous = set(result.model.endogenous)
    return [lv for lv in effects if lv in endogenous]


def quadrant(importance: float, performance: float, mean_i: float, mean_p: float) -> str:
    """Quadrant code of a point relative to the means (see :mod:`ipa`)."""
    return QUADRANTS[(0 if importance >= mean_i else 2) + (1 if performance >= mean_p else 0)]


def ipma(result: PLSResult, target: str | None = None) -> dict[str, Any]:
    """The importance–performance map of the drivers of ``target`` (default: satisfaction).

    Returns ``{"target", "constructs": [{lv, importance, performance, quadrant}],
    "indicators": [{indicator, lv, importance, performance, quadrant}],
    "mean_importance", "mean_performance", "indicator_mean_importance",
    "indicator_mean_performance"}``; raises ``invalid_option`` when no driver
    has an effect on the target.
    """
    target = target or default_target(result)
    lvs = drivers(result, target)
    if not lvs:
        raise ModelError("invalid_option", f"no driver has an effect on {target!r}", lv=target)
    st = pls.compile_structure(result.model)
    pos = {lv: i for i, lv in enumerate(result.lvs)}
    effect = unstandardized_total_effects(result)[:, pos[target]]
    constructs = [
        {"lv": lv, "importance": effect[pos[lv]], "performance": result.index[pos[lv]]}
        for lv in lvs
    ]
    weights = rescaled_weights(result.weights_unstd, st, result.item_low, result.item_high)
    item_performance = rescaled_means(result.means, result.item_low, result.item_high)
    indicators = [
        {
            "indicator": mv,
            "lv": lv,
            "importance": weights[j] * effect[pos[lv]],
            "performance": item_performance[j],
        }
        for lv in lvs
        for j, mv in enumerate(result.indicators)
        if st.block_of[j] == pos[lv]
    ]
    out: dict[str, Any] = {"target": target, "constructs": constructs, "indicators": indicators}
    for rows, prefix in ((constructs, "mean_"), (indicators, "indicator_mean_")):
        mean_i = float(np.mean([r["importance"] for r in rows]))
        mean_p = float(np.nanmean([r["performance"] for r in rows]))
        for row in rows:
            row["quadrant"] = quadrant(row["importance"], row["performance"], mean_i, mean_p)
        out[prefix + "importance"], out[prefix + "performance"] = mean_i, mean_p
    return clean(out)


def impact(result: PLSResult, points: float = 5) -> dict[str, Any]:
    """ACSI "impact": how many points each target's index moves when a driver's rises ``points``.

    Targets: the satisfaction LV (see :func:`ipa.default_target`) and LOYAL when
    the model has it; per target every driver with a total effect on it.
    """
    first = default_target(result)
    targets = [first] + ([LOYALTY] if LOYALTY in result.lvs and first != LOYALTY else [])
    effect = unstandardized_total_effects(result)
    pos = {lv: i for i, lv in enumerate(result.lvs)}
    return clean(
        {
            "points": points,
            "targets": {
                target: {
                    lv: points * effect[pos[lv], pos[target]] for lv in drivers(result, target)
                }
                for target in targets
            },
        }
    )


def _check_target(result: PLSResult, target: str) -> None:
    if target not in result.lvs:
        raise ModelError(
            "unknown_lv", f"target {target!r} is not a latent variable of the model", lv=target
        )
