"""Satisfaction indices on a 0–100 scale.

For each LV the unstandardized outer weights (those that apply to the raw
indicators, w_std / sd) are normalised to sum to one within the block and
applied to the raw item means; the result is rescaled by the questionnaire's
bounds (not the observed min/max)::

    index = 100 * (Σ_j wn_j · mean_j − scale_min) / (scale_max − scale_min)

Yes/no indicators (``Model.binary``) are on a 0–1 scale whatever the
questionnaire's: each indicator then has its own bounds, the item means are
rescaled to 0–100 one by one and the weights applied to them are the ones
that apply to the rescaled items (w_unstd × range, normalised in the block)::

    index = Σ_j vn_j · 100 · (mean_j − low_j) / (high_j − low_j),  vn ∝ w_j (high_j − low_j)

which is the formula above when all bounds are equal, and the weighted share
of "yes" in % for a block of yes/no items.

A group's index (per enterprise, per industry ...) applies the whole-sample
weights to that group's item means, so groups are compared on one yardstick.
With all weights of a block non-negative the index is a convex combination of
rescaled means and lies in [0, 100] for data within the scale bounds; a
negative weight is reported as a warning by the fit.
"""

from __future__ import annotations

import numpy as np

from .errors import ModelError
from .model import Model
from .pls import Structure


def check_scale(scale_min: float, scale_max: float) -> None:
    """Raise ``invalid_option`` unless scale_min < scale_max (finite)."""
    if not (np.isfinite(scale_min) and np.isfinite(scale_max) and scale_min < scale_max):
        raise ModelError(
            "invalid_option",
            f"scale bounds must satisfy scale_min < scale_max, got {scale_min}, {scale_max}",
        )


def normalised_weights(w_unstd: np.ndarray, st: Structure) -> np.ndarray:
    """Unstandardized weights divided by their block sum (works on (..., p))."""
    sums = w_unstd @ st.design  # (..., k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return w_unstd / sums[..., st.block_of]


#: a scale bound: one number for every indicator, or a (p,) array
Bound = float | np.ndarray


def scale_bounds(model: Model, scale_min: float, scale_max: float) -> tuple[Bound, Bound]:
    """Each indicator's scale bounds: the questionnaire's, 0–1 for yes/no items.

    Plain numbers when no item is yes/no, so such models compute exactly as before.
    """
    if not model.binary:
        return scale_min, scale_max
    binary = np.isin(model.indicators, model.binary)
    return np.where(binary, 0.0, scale_min), np.where(binary, 1.0, scale_max)


def rescaled_weights(w_unstd: np.ndarray, st: Structure, low: Bound, high: Bound) -> np.ndarray:
    """Normalised weights that apply to the items rescaled to 0–100 (works on (..., p))."""
    return normalised_weights(w_unstd * (np.asarray(high) - low), st)


def score_scale(w_unstd: np.ndarray, st: Structure, low: Bound, high: Bound) -> np.ndarray:
    """(k,) factor turning a unit-variance LV score into its 0–100 score (up to a shift).

    The 0–100 score Σ vn_j · 100 (x_j − low_j) / range_j equals a constant plus
    100 / Σ_j w_j range_j times the standardized score Σ w_j (x_j − mean_j); so
    this factor is also the SD of the 0–100 score (with the sign of the block sum).
    """
    return 100.0 / ((w_unstd * (np.asarray(high) - low)) @ st.design)


def lv_index(
    w_unstd: np.ndarray, means: np.ndarray, st: Structure, low: Bound, high: Bound
) -> np.ndarray:
    """0–100 index per LV; (..., p) weights and means give (..., k) indices."""
    if np.ndim(low) == 0 and np.ndim(high) == 0:
        wn = normalised_weights(w_unstd, st)
        level = (wn * means) @ st.design
        return 100.0 * (level - low) / (high - low)
    vn = rescaled_weights(w_unstd, st, low, high)
    return (vn * rescaled_means(means, low, high)) @ st.design


def rescaled_means(means: np.ndarray, low: Bound, high: Bound) -> np.ndarray:
    """Item means (or answers) on 0–100: 100 (x − low) / (high − low)."""
    return 100.0 * (means - low) / (np.asarray(high) - low)


def respondent_scores(
    X: np.ndarray, w_unstd: np.ndarray, st: Structure, low: Bound, high: Bound
) -> np.ndarray:
    """(n, k) 0–100 LV score of each respondent: the index formula applied to one row."""
    vn = rescaled_weights(w_unstd, st, low, high)
    return rescaled_means(X, low, high) @ (vn[:, None] * st.design)
