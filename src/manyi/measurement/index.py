"""Satisfaction indices on a 0–100 scale.

For each LV the unstandardized outer weights (those that apply to the raw
indicators, w_std / sd) are normalised to sum to one within the block and
applied to the raw item means; the result is rescaled by the questionnaire's
bounds (not the observed min/max)::

    index = 100 * (Σ_j wn_j · mean_j − scale_min) / (scale_max − scale_min)

A group's index (per enterprise, per industry ...) applies the whole-sample
weights to that group's item means, so groups are compared on one yardstick.
With all weights of a block non-negative the index is a convex combination of
rescaled means and lies in [0, 100] for data within the scale bounds; a
negative weight is reported as a warning by the fit.
"""

from __future__ import annotations

import numpy as np

from .errors import ModelError
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


def lv_index(
    w_unstd: np.ndarray, means: np.ndarray, st: Structure, scale_min: float, scale_max: float
) -> np.ndarray:
    """0–100 index per LV; (..., p) weights and means give (..., k) indices."""
    wn = normalised_weights(w_unstd, st)
    level = (wn * means) @ st.design
    return 100.0 * (level - scale_min) / (scale_max - scale_min)
