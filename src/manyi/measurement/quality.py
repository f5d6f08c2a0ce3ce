"""Reliability and validity of the measurement model, from correlations only.

* Cronbach's alpha: standardized alpha, from the block's indicator correlations
  (plspm's definition).
* rho_C (Dillon–Goldstein composite reliability): (Σλ)² / ((Σλ)² + Σ(1 − λ²))
  with the PLS outer loadings λ (as SmartPLS and seminr; plspm 0.5.7 uses the
  loadings on the block's first principal component instead).
* rho_A (Dijkstra–Henseler 2015): (w'w)² · w'(S − diag S)w / w'(ww' − diag ww')w
  with S the block's indicator correlations and w its standardized weights
  scaled to unit LV variance.
* AVE: mean squared loading.
* Fornell–Larcker: √AVE on the diagonal, LV correlations off it.
* HTMT (Henseler, Ringle & Sarstedt 2015) on absolute indicator correlations;
  a single-indicator block's monotrait mean is taken as 1.
* GoF: √(mean communality × mean R²); communality averaged over the indicators
  of Mode A blocks with more than one indicator, R² over the endogenous LVs.

Reflective measures (alpha, rho_C, rho_A, AVE) are reported for Mode A blocks
only (None for Mode B); alpha needs two indicators, for one it is None and
rho_C = rho_A = AVE = 1.
"""

from __future__ import annotations

import numpy as np

from .pls import Structure


def indicator_correlations(C: np.ndarray) -> np.ndarray:
    """Correlation matrix from a covariance (or correlation) matrix."""
    sd = np.sqrt(np.diag(C))
    return C / np.outer(sd, sd)


def reliability(
    Rx: np.ndarray, w_std: np.ndarray, loadings: np.ndarray, st: Structure
) -> dict[str, np.ndarray]:
    """alpha, rho_c, rho_a, ave per LV (NaN where not defined)."""
    k = st.k
    out = {name: np.full(k, np.nan) for name in ("alpha", "rho_c", "rho_a", "ave")}
    for b, rows in enumerate(st.blocks):
        if st.mode_b[b]:
            continue
        q = rows.size
        lam = loadings[rows]
        out["ave"][b] = float(np.mean(lam**2))
        out["rho_c"][b] = float(lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam**2)))
        if q == 1:
            out["rho_a"][b] = 1.0
            continue
        S = Rx[np.ix_(rows, rows)]
        total = S.sum()
        out["alpha"][b] = float(q / (q - 1) * (total - np.trace(S)) / total)
        w = w_std[rows]
        ww = np.outer(w, w)
        denominator = w @ (ww - np.diag(np.diag(ww))) @ w
        numerator = (w @ w) ** 2 * (w @ (S - np.diag(np.diag(S))) @ w)
        out["rho_a"][b] = float(numerator / denominator) if denominator != 0 else np.nan
    return out


def fornell_larcker(ave: np.ndarray, lv_corr: np.ndarray) -> np.ndarray:
    """LV correlations with √AVE on the diagonal."""
    out = lv_corr.copy()
    np.fill_diagonal(out, np.sqrt(ave))
    return out


def htmt(Rx: np.ndarray, st: Structure) -> np.ndarray:
    """Heterotrait–monotrait ratio for every pair of LVs (diagonal NaN)."""
    A = np.abs(Rx)
    k = st.k
    mono = np.ones(k)
    for b, rows in enumerate(st.blocks):
        q = rows.size
        if q > 1:
            block = A[np.ix_(rows, rows)]
            mono[b] = (block.sum() - np.trace(block)) / (q * (q - 1))
    out = np.full((k, k), np.nan)
    for a in range(k):
        for b in range(a + 1, k):
            hetero = A[np.ix_(st.blocks[a], st.blocks[b])].mean()
            out[a, b] = out[b, a] = hetero / np.sqrt(mono[a] * mono[b])
    return out


def goodness_of_fit(loadings: np.ndarray, r2: np.ndarray, st: Structure) -> float:
    """√(mean communality × mean R²) — NaN when no block qualifies."""
    rows = np.concatenate([st.blocks[b] for b in np.flatnonzero(st.multi_a)] or [np.array([], int)])
    if rows.size == 0 or st.endogenous.size == 0:
        return float("nan")
    communality = float(np.mean(loadings[rows] ** 2))
    return float(np.sqrt(communality * np.mean(r2[st.endogenous])))


def htmt_batch(cov: np.ndarray, st: Structure) -> np.ndarray:
    """HTMT of every LV pair for a stack of covariance matrices (B, p, p) -> (B, k, k).

    The same ratio as :func:`htmt`, written as block sums ``D'|R|D`` so that
    all bootstrap resamples are computed in a few array operations.
    """
    q = st.design.sum(axis=0)
    # a failed resample (constant indicator) gives NaN here; its row is discarded later
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        A = np.abs(cov / (sd[:, :, None] * sd[:, None, :]))
        sums = st.design.T @ A @ st.design  # (B, k, k) sums of |r| over block pairs
        own = np.diagonal(A, axis1=1, axis2=2) @ st.design  # the blocks' diagonal |r| = 1
        mono = np.where(
            q > 1,
            (np.diagonal(sums, axis1=1, axis2=2) - own) / (q * np.maximum(q - 1, 1)),
            1.0,
        )
        out = sums / np.outer(q, q) / np.sqrt(mono[:, :, None] * mono[:, None, :])
    out[:, np.arange(st.k), np.arange(st.k)] = np.nan
    return out
