"""Each group against the rest of the sample: Welch's t on respondent 0–100 scores.

A respondent's 0–100 score of an LV is the index formula applied to that
respondent's answers (whole-sample weights, rows after the missing-value
treatment: mean-imputed cells count at the item mean, casewise-deleted rows
not at all), so the mean score of a group is its index on the same yardstick
as the whole sample.  Rows without a group label belong to "the rest".

Welch (1947): t = (m₁ − m₂) / √(s₁²/n₁ + s₂²/n₂) with the Welch–Satterthwaite
degrees of freedom; the interval is the difference ± t_{df, 1−α/2} · SE and
p is two-sided.  Undefined (null) when either side has fewer than two rows or
both have no variance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import stdtr, stdtrit

from .results import clean


def welch(
    n1: np.ndarray, m1: np.ndarray, v1: np.ndarray, n2: np.ndarray, m2: np.ndarray, v2: np.ndarray,
    level: float = 0.95,
) -> dict[str, np.ndarray]:  # fmt: skip
    """Welch's test from sizes, means and variances (ddof 1), elementwise: diff, lo, hi, p."""
    with np.errstate(divide="ignore", invalid="ignore"):
        u1, u2 = v1 / n1, v2 / n2
        se = np.sqrt(u1 + u2)
        df = (u1 + u2) ** 2 / (u1**2 / (n1 - 1) + u2**2 / (n2 - 1))
        diff = m1 - m2
        half = stdtrit(df, 0.5 + level / 2) * se
        p = 2 * stdtr(df, -np.abs(diff / se))
    undefined = ~(se > 0) | (n1 < 2) | (n2 < 2)
    half, p = np.where(undefined, np.nan, half), np.where(undefined, np.nan, p)
    return {"diff": diff, "lo": diff - half, "hi": diff + half, "p": p}


def compare_groups(
    scores: np.ndarray, codes: np.ndarray, labels: list[str], lvs: list[str], level: float = 0.95
) -> dict[str, dict[str, dict[str, Any]]]:
    """group label -> LV -> {n, index, rest_index, diff, interval, p} (JSON-ready).

    All groups at once: group sums of the scores and of their squares (around
    the overall mean, against cancellation) in one sparse product; the rest's
    are the totals minus the group's.
    """
    n, k = scores.shape
    G = len(labels)
    rows = np.flatnonzero(codes >= 0)
    member = sp.csr_array((np.ones(rows.size), (codes[rows], rows)), shape=(G, n))
    d = scores - scores.mean(axis=0)
    both = member @ np.hstack([d, d * d])  # (G, 2k)
    n1 = np.bincount(codes[rows], minlength=G).astype(np.float64)[:, None]
    n2 = n - n1
    s1, q1 = both[:, :k], both[:, k:]
    s2, q2 = d.sum(axis=0) - s1, (d * d).sum(axis=0) - q1
    with np.errstate(divide="ignore", invalid="ignore"):
        m1, m2 = s1 / n1, s2 / n2
        v1 = (q1 - s1 * m1) / (n1 - 1)
        v2 = (q2 - s2 * m2) / (n2 - 1)
    test = welch(n1, m1, v1, n2, m2, v2, level)
    shift = scores.mean(axis=0)
    index, rest_index = m1 + shift, m2 + shift
    return clean(
        {
            label: {
                lv: {
                    "n": int(n1[g, 0]),
                    "index": index[g, i],
                    "rest_index": rest_index[g, i],
                    "diff": test["diff"][g, i],
                    "interval": [test["lo"][g, i], test["hi"][g, i]],
                    "p": test["p"][g, i],
                }
                for i, lv in enumerate(lvs)
            }
            for g, label in enumerate(labels)
        }
    )
