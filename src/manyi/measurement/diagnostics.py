"""Collinearity, effect sizes and model fit, from correlation matrices only.

* VIF (outer): within each block, the diagonal of the inverse of the block's
  indicator correlation matrix (VIF_j = 1 / (1 − R²_j), R²_j from regressing
  indicator j on the block's other indicators).
* VIF (inner): for each endogenous LV, the diagonal of the inverse of the
  correlation matrix of its predecessors (1 for a single predecessor).
* f² (Cohen 1988) of a path A→B: (R²incl − R²excl) / (1 − R²incl), R²excl
  the R² of B regressed on its predecessors without A.
* SRMR as SmartPLS defines it (Henseler et al. 2014; SmartPLS 3/4 "Model
  fit"): the root mean square of observed minus model-implied indicator
  correlations over the p(p + 1)/2 elements of the lower triangle, diagonal
  included.  Implied correlations: λ_i λ_j r_ab between indicators of blocks
  a ≠ b; λ_i λ_j within a Mode A block; the observed correlations within a
  Mode B block; 1 on the diagonal.  "saturated" takes r as the observed LV
  correlations, "estimated" as the correlations implied by the recursive
  structural model (exogenous LVs correlated as observed, each endogenous LV
  its predicted part plus an independent disturbance of variance 1 − R²).
"""

from __future__ import annotations

import numpy as np

from .pls import SINGULAR_RATIO, Structure


def inverse_diagonal(R: np.ndarray) -> np.ndarray:
    """diag(R⁻¹) of a correlation matrix; NaN when R is (numerically) singular."""
    if R.shape[0] == 1:
        return np.ones(1)
    eig = np.linalg.eigvalsh(R)
    if eig[0] <= SINGULAR_RATIO * eig[-1]:
        return np.full(R.shape[0], np.nan)
    return np.diag(np.linalg.inv(R)).copy()


def outer_vif(Rx: np.ndarray, st: Structure) -> np.ndarray:
    """(p,) VIF of each indicator within its block."""
    out = np.empty(st.p)
    for rows in st.blocks:
        out[rows] = inverse_diagonal(Rx[np.ix_(rows, rows)])
    return out


def inner_vif(lv_corr: np.ndarray, st: Structure) -> np.ndarray:
    """(k, k) [j, i] = VIF of predecessor j in the regression of LV i; NaN elsewhere."""
    out = np.full((st.k, st.k), np.nan)
    for row, i in enumerate(st.endogenous):
        preds = np.flatnonzero(st.pred_mask[row])
        out[preds, i] = inverse_diagonal(lv_corr[np.ix_(preds, preds)])
    return out


def r_squared(lv_corr: np.ndarray, predictors: np.ndarray, target: int) -> float:
    """R² of ``target`` regressed on ``predictors`` (0 for none), from correlations."""
    if predictors.size == 0:
        return 0.0
    r = lv_corr[predictors, target]
    return float(r @ np.linalg.solve(lv_corr[np.ix_(predictors, predictors)], r))


def effect_sizes(lv_corr: np.ndarray, r2: np.ndarray, st: Structure) -> np.ndarray:
    """(k, k) [j, i] = f² of the path j → i; NaN where there is no path."""
    out = np.full((st.k, st.k), np.nan)
    for row, i in enumerate(st.endogenous):
        preds = np.flatnonzero(st.pred_mask[row])
        for j in preds:
            excluded = r_squared(lv_corr, preds[preds != j], i)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[j, i] = (r2[i] - excluded) / (1.0 - r2[i])
    return out


def causal_order(st: Structure) -> list[int]:
    """LV indices so that every path goes forward (the model is known to be recursive)."""
    indegree = st.adjacency.sum(axis=0)
    order, ready = [], [i for i in range(st.k) if indegree[i] == 0]
    while ready:
        i = ready.pop(0)
        order.append(i)
        for j in np.flatnonzero(st.adjacency[i]):
            indegree[j] -= 1
            if indegree[j] == 0:
                ready.append(int(j))
    return order


def implied_lv_correlations(
    lv_corr: np.ndarray, paths: np.ndarray, r2: np.ndarray, st: Structure
) -> np.ndarray:
    """LV (co)variances implied by the structural model, built in causal order.

    The diagonal of an endogenous LV is b'Φb + (1 − R²): 1 when the model
    reproduces its predecessors' correlations, not exactly 1 otherwise.
    """
    endogenous = set(st.endogenous.tolist())
    exogenous = [i for i in range(st.k) if i not in endogenous]
    phi = np.zeros((st.k, st.k))
    phi[np.ix_(exogenous, exogenous)] = lv_corr[np.ix_(exogenous, exogenous)]
    done = list(exogenous)
    for i in causal_order(st):
        if i not in endogenous:
            continue
        preds = np.flatnonzero(st.adjacency[:, i])
        b = paths[preds, i]
        for j in done:
            phi[i, j] = phi[j, i] = b @ phi[preds, j]
        phi[i, i] = b @ phi[np.ix_(preds, preds)] @ b + (1.0 - r2[i])
        done.append(i)
    return phi


def implied_indicator_correlations(
    Rx: np.ndarray, loadings: np.ndarray, lv_corr: np.ndarray, st: Structure
) -> np.ndarray:
    """(p, p) indicator correlations implied by the loadings and LV correlations."""
    L = st.design * loadings[:, None]
    implied = L @ lv_corr @ L.T
    for b, rows in enumerate(st.blocks):
        block = np.ix_(rows, rows)
        if st.mode_b[b]:
            implied[block] = Rx[block]
        else:
            implied[block] = np.outer(loadings[rows], loadings[rows])
    np.fill_diagonal(implied, 1.0)
    return implied


def srmr(
    Rx: np.ndarray,
    loadings: np.ndarray,
    lv_corr: np.ndarray,
    paths: np.ndarray,
    r2: np.ndarray,
    st: Structure,
) -> dict[str, float]:
    """{"saturated": SRMR, "estimated": SRMR} (see the module docstring)."""
    lower = np.tril_indices(st.p)
    out = {}
    for name, phi in (
        ("saturated", lv_corr),
        ("estimated", implied_lv_correlations(lv_corr, paths, r2, st)),
    ):
        residual = Rx - implied_indicator_correlations(Rx, loadings, phi, st)
        out[name] = float(np.sqrt(np.mean(residual[lower] ** 2)))
    return out
