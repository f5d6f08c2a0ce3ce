"""The one pass over the data: the indicator covariance matrix.

PLS needs nothing from the data but its means and its covariance matrix (the
LV scores at the very end aside).  No centred ``n x p`` copy of the
data is ever made (see :func:`covariance`).
"""

from __future__ import annotations

import numpy as np

#: rows per chunk: 8192 x 24 float64 = 1.5 MB, small enough to stay in cache
CHUNK_ROWS = 8192


def covariance(X: np.ndarray, means: np.ndarray, chunk_rows: int = CHUNK_ROWS) -> np.ndarray:
    """Population covariance (divisor n) of the columns of ``X`` around ``means``.

    Fast path: one BLAS product ``X'X`` and ``X'X/n - m m'``.  That formula
    loses about log10(E[x²]/var) digits to cancellation — nothing for survey
    answers (mean 7, SD 2 costs one digit) — so it is kept only when at most
    six of the sixteen digits are lost; otherwise the covariance is
    accumulated over row chunks centred on the fly (no centred copy of X).
    """
    n, p = X.shape
    gram = X.T @ X
    gram /= n
    cov = gram - np.outer(means, means)
    raw_second = np.diag(gram)
    var = np.diag(cov)
    if np.all(var > 0) and np.all(raw_second <= 1e6 * var):
        return (cov + cov.T) * 0.5
    return centred_covariance(X, means, chunk_rows)


def centred_covariance(
    X: np.ndarray, means: np.ndarray, chunk_rows: int = CHUNK_ROWS
) -> np.ndarray:
    """Covariance accumulated over row chunks centred on the fly (stable for any offset)."""
    n, p = X.shape
    acc = np.zeros((p, p))
    for start in range(0, n, chunk_rows):
        block = X[start : start + chunk_rows] - means
        acc += block.T @ block
    acc /= n
    return (acc + acc.T) * 0.5  # exact symmetry for eigen-solvers downstream


def lv_scores(X: np.ndarray, means: np.ndarray, W_unstd: np.ndarray) -> np.ndarray:
    """LV scores ``(X - means) @ W`` computed as one product and an (n, k) shift."""
    scores = X @ W_unstd
    scores -= means @ W_unstd
    return scores
