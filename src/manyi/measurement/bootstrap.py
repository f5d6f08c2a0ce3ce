"""Bootstrap confidence intervals (percentile and BCa) through frequency weights.

A bootstrap resample is a vector of counts c (how often each row was drawn),
so its moments are ``c @ Q / Σc`` where Q holds each centred row and the
products of its columns.  A chunk of resamples is then one matrix product
``counts @ Q``; each resample costs a p×p covariance plus a few PLS
iterations on it, and all resamples of a chunk iterate together
(:func:`pls.estimate` is batched).

Reproducibility: resample r draws ``rng.integers(0, n, n)`` from
``numpy.random.Generator(PCG64(seed))``, in order, and counts the draws with
``np.bincount`` — the same rows ``X[idx]`` would select.  The jackknife groups
of the BCa acceleration are drawn from the same generator afterwards.

BCa (Efron 1987): bias correction z0 = Φ⁻¹(share of draws below the
estimate, ties counted half); acceleration a from a delete-a-group jackknife
with G = min(n, jackknife_groups) groups of a random, balanced partition
(G = n is the ordinary leave-one-out jackknife).  The acceleration is a ratio
of cumulant sums, so groups estimate the same quantity with more noise but at
a cost independent of n.

Failed resamples (a constant indicator in the resample, non-convergence, a
singular Mode B block) are counted by reason and left out of the intervals;
``failed`` and ``failures`` report them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import ndtr, ndtri, stdtr

from . import pls
from .data import Dataset, prepare_data
from .errors import ModelError
from .fit import Options, constant_threshold, fit_dataset
from .index import lv_index, scale_bounds
from .model import Model, load_model
from .quality import htmt_batch
from .results import PLSResult, clean, path_key

SECTIONS = ("paths", "weights", "loadings", "index", "r2", "indirect", "total", "htmt")
#: memory for one chunk of counts or of the row-moment matrix Q
CHUNK_BYTES = 32 * 2**20
#: largest Q (rows x moments) kept in memory between chunks
CACHE_BYTES = 256 * 2**20


@dataclass
class BootstrapResult:
    """Bootstrap draws, intervals and failure counts for one fit."""

    fit: PLSResult
    resamples: int
    seed: int
    level: float
    failures: dict[str, int]
    names: dict[str, list[str]]
    estimates: dict[str, np.ndarray]  # section -> (m,) full-sample estimate
    draws: dict[str, np.ndarray]  # section -> (successful resamples, m)
    jackknife: dict[str, np.ndarray] | None = None  # section -> (G, m)
    jackknife_groups: int = 0
    jackknife_failed: int = 0
    intervals: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        """Number of resamples that could not be estimated."""
        return sum(self.failures.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON form: resamples, failed, failures, seed and one table per section."""
        out: dict[str, Any] = {
            "resamples": self.resamples,
            "succeeded": self.resamples - self.failed,
            "failed": self.failed,
            "failures": dict(self.failures),
            "seed": self.seed,
            "level": self.level,
            "method": "nonparametric, frequency weights; percentile and BCa",
            "jackknife_groups": self.jackknife_groups,
            "jackknife_failed": self.jackknife_failed,
        }
        out.update(self.intervals)
        return clean(out)


def bootstrap(
    data: Any,
    model: Model | dict | str,
    *,
    resamples: int = 1000,
    seed: int | None = None,
    level: float = 0.95,
    bca: bool = True,
    jackknife_groups: int = 500,
    columns: Sequence[str] | None = None,
    groups: Sequence[Any] | np.ndarray | None = None,
    scheme: str = "path",
    scaling: str = "standardized",
    missing: str = "mean",
    tol: float = 1e-7,
    max_iter: int = 300,
    scale_min: float = 1.0,
    scale_max: float = 10.0,
) -> BootstrapResult:
    """Fit ``model`` and bootstrap paths, weights, loadings, indices and R².

    ``seed=None`` draws a fresh seed and reports it, so any run can be
    repeated.  Missing values are treated once on the full sample (mean
    replacement or casewise deletion) before resampling.
    """
    model = load_model(model)
    options = Options(
        scheme, scaling, missing, float(tol), int(max_iter), float(scale_min), float(scale_max)
    )
    options.check()
    if resamples < 2:
        raise ModelError("invalid_option", f"resamples must be at least 2, not {resamples}")
    if not 0 < level < 1:
        raise ModelError("invalid_option", f"level must lie in (0, 1), not {level}")
    ds = prepare_data(data, model, columns=columns, missing=missing, groups=groups)
    return bootstrap_dataset(
        ds,
        model,
        options,
        resamples=resamples,
        seed=seed,
        level=level,
        bca=bca,
        jackknife_groups=jackknife_groups,
    )


def bootstrap_dataset(
    ds: Dataset,
    model: Model,
    options: Options,
    *,
    resamples: int,
    seed: int | None,
    level: float,
    bca: bool,
    jackknife_groups: int,
) -> BootstrapResult:
    """Bootstrap a prepared dataset (see :func:`bootstrap`)."""
    result = fit_dataset(ds, model, options)
    st = pls.compile_structure(model)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**63)
    rng = np.random.Generator(np.random.PCG64(seed))
    moments = _RowMoments(ds)
    names = _section_names(model, st)
    estimates = _full_sample_estimates(result, model, st)

    n = ds.n
    per_chunk = max(1, min(resamples, CHUNK_BYTES // (8 * n)))
    collected: dict[str, list[np.ndarray]] = {s: [] for s in SECTIONS}
    failures: Counter[str] = Counter()
    done = 0
    while done < resamples:
        size = min(per_chunk, resamples - done)
        counts = np.empty((size, n))
        for r in range(size):
            counts[r] = np.bincount(rng.integers(0, n, n), minlength=n)
        stats, status = _statistics(moments.from_counts(counts), ds, st, options, model)
        for code, count in Counter(status[status != pls.STATUS_OK].tolist()).items():
            failures[pls.STATUS_CODES[code]] += count
        ok = status == pls.STATUS_OK
        for s in SECTIONS:
            collected[s].append(stats[s][ok])
        done += size
    draws = {s: np.concatenate(collected[s]) for s in SECTIONS}

    out = BootstrapResult(
        fit=result,
        resamples=resamples,
        seed=seed,
        level=level,
        failures=dict(failures),
        names=names,
        estimates=estimates,
        draws=draws,
    )
    if bca:
        groups_n = int(min(n, jackknife_groups))
        assign = rng.permutation(n) % groups_n
        stats, status = _statistics(
            moments.leave_group_out(assign, groups_n), ds, st, options, model
        )
        ok = status == pls.STATUS_OK
        out.jackknife = {s: stats[s][ok] for s in SECTIONS}
        out.jackknife_groups = groups_n
        out.jackknife_failed = int((~ok).sum())
    out.intervals = {s: _interval_table(out, s) for s in SECTIONS}
    return out


class _RowMoments:
    """Weighted first and second moments of the rows, for many weight vectors.

    Row i contributes q_i = [x_i - m, upper triangle of (x_i - m)(x_i - m)',
    observed_i] (the last part only when missing values were imputed: imputed
    cells sit exactly at the mean, so the index means of observed values need
    only the observed counts).
    """

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        n, p = ds.X.shape
        self.p = p
        self.iu = np.triu_indices(p)
        self.track_observed = ds.observed is not None
        self.q = p + self.iu[0].size + (p if self.track_observed else 0)
        self.rows_per_chunk = max(1, CHUNK_BYTES // (8 * self.q))
        self.cache = self._rows(0, n) if n * self.q * 8 <= CACHE_BYTES else None

    def _rows(self, start: int, stop: int) -> np.ndarray:
        Xc = self.ds.X[start:stop] - self.ds.means
        parts = [Xc, Xc[:, self.iu[0]] * Xc[:, self.iu[1]]]
        if self.track_observed:
            parts.append(self.ds.observed[start:stop].astype(np.float64))
        return np.hstack(parts)

    def _chunks(self):
        if self.cache is not None:
            yield 0, self.cache.shape[0], self.cache
            return
        n = self.ds.n
        for start in range(0, n, self.rows_per_chunk):
            stop = min(n, start + self.rows_per_chunk)
            yield start, stop, self._rows(start, stop)

    def from_counts(self, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(covariances (b,p,p), index means (b,p), totals (b,)) for count vectors."""
        sums = np.zeros((counts.shape[0], self.q))
        for start, stop, Q in self._chunks():
            sums += counts[:, start:stop] @ Q
        return self._finish(sums, counts.sum(axis=1))

    def leave_group_out(self, assign: np.ndarray, groups: int):
        """Moments of the data without each group, from total minus group sums."""
        n = self.ds.n
        total = np.zeros(self.q)
        group_sums = np.zeros((groups, self.q))
        for start, stop, Q in self._chunks():
            rows = np.arange(start, stop)
            member = sp.csr_array(
                (np.ones(rows.size), (assign[rows], rows - start)), shape=(groups, stop - start)
            )
            group_sums += member @ Q
            total += Q.sum(axis=0)
        sizes = np.bincount(assign, minlength=groups)
        return self._finish(total[None, :] - group_sums, (n - sizes).astype(np.float64))

    def _finish(self, sums: np.ndarray, totals: np.ndarray):
        p = self.p
        b = sums.shape[0]
        shift = sums[:, :p] / totals[:, None]
        second = np.zeros((b, p, p))
        pairs = sums[:, p : p + self.iu[0].size] / totals[:, None]
        second[:, self.iu[0], self.iu[1]] = pairs
        second[:, self.iu[1], self.iu[0]] = pairs
        cov = second - shift[:, :, None] * shift[:, None, :]
        if self.track_observed:
            observed = sums[:, -p:]
            with np.errstate(invalid="ignore", divide="ignore"):
                means = self.ds.means + sums[:, :p] / observed
        else:
            means = self.ds.means + shift
        return cov, means, totals


def _section_names(model: Model, st: pls.Structure) -> dict[str, list[str]]:
    indirect, total = _effect_pairs(st)
    return {
        "paths": [path_key(a, b) for a, b in model.paths],
        "weights": list(st.indicators),
        "loadings": list(st.indicators),
        "index": list(st.lvs),
        "r2": [st.lvs[i] for i in st.endogenous],
        "indirect": [path_key(st.lvs[i], st.lvs[j]) for i, j in indirect],
        "total": [path_key(st.lvs[i], st.lvs[j]) for i, j in total],
        "htmt": [f"{st.lvs[i]}|{st.lvs[j]}" for i, j in zip(*_htmt_pairs(st), strict=True)],
    }


def _effect_pairs(st: pls.Structure) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(from, to) pairs joined by a chain of two or more paths, and by any chain.

    Read from the structure (powers of the adjacency matrix), not from the
    estimates, so the keys never depend on a coefficient being exactly zero.
    """
    A = st.adjacency
    longer = np.zeros_like(A)
    power = A @ A
    while power.any():
        longer += power
        power = power @ A
    pairs = [(i, j) for i in range(st.k) for j in range(st.k) if i != j]
    return (
        [(i, j) for i, j in pairs if longer[i, j] > 0],
        [(i, j) for i, j in pairs if longer[i, j] + A[i, j] > 0],
    )


def _htmt_pairs(st: pls.Structure) -> tuple[np.ndarray, np.ndarray]:
    """Lower triangle in LV order: (A, B) with A after B."""
    return np.tril_indices(st.k, -1)


def _full_sample_estimates(
    result: PLSResult, model: Model, st: pls.Structure
) -> dict[str, np.ndarray]:
    indirect, total = _effect_pairs(st)
    return {
        "paths": np.array(list(result.paths.values())),
        "weights": result.weights,
        "loadings": result.loadings,
        "index": result.index,
        "r2": result.r2[st.endogenous],
        "indirect": np.array([result.indirect_effect_matrix[i, j] for i, j in indirect]),
        "total": np.array([result.total_effect_matrix[i, j] for i, j in total]),
        "htmt": result.htmt[_htmt_pairs(st)],
    }


def _statistics(moments, ds: Dataset, st: pls.Structure, options: Options, model: Model):
    """Fit every resample of a chunk; return section arrays and statuses."""
    cov, means, _ = moments
    C, sd, status = pls.working_matrix(cov, options.scaling, constant_threshold(ds.means))
    bf = pls.estimate(
        C, st, scheme=options.scheme, tol=options.tol, max_iter=options.max_iter, status=status
    )
    w = bf.weight_vector()
    if options.scaling == "standardized":
        w_std, w_unstd = w, w / sd
    else:
        w_std, w_unstd = w * sd, w
    pos = {lv: i for i, lv in enumerate(st.lvs)}
    src = np.array([pos[a] for a, _ in model.paths], dtype=np.int64)
    dst = np.array([pos[b] for _, b in model.paths], dtype=np.int64)
    low, high = scale_bounds(model, options.scale_min, options.scale_max)
    total = pls.total_effects(bf.paths)
    indirect_pairs, total_pairs = _effect_pairs(st)
    stats = {
        "paths": bf.paths[:, src, dst],
        "weights": w_std,
        "loadings": bf.loadings,
        "index": lv_index(w_unstd, means, st, low, high),
        "r2": bf.r2[:, st.endogenous],
        "indirect": _pick(total - bf.paths, indirect_pairs),
        "total": _pick(total, total_pairs),
        "htmt": htmt_batch(cov, st)[(slice(None), *_htmt_pairs(st))],
    }
    return stats, bf.status


def _pick(matrices: np.ndarray, pairs: list[tuple[int, int]]) -> np.ndarray:
    """(B, len(pairs)) entries [i, j] of a (B, k, k) stack."""
    rows = np.array([i for i, _ in pairs], dtype=np.int64)
    cols = np.array([j for _, j in pairs], dtype=np.int64)
    return matrices[:, rows, cols]


def _interval_table(res: BootstrapResult, section: str) -> dict[str, dict[str, Any]]:
    """estimate, bootstrap mean and SE, percentile and BCa interval per key."""
    draws = res.draws[section]
    estimate = res.estimates[section]
    alpha = 1 - res.level
    table = {}
    ok_rows = draws.shape[0]
    percentile = _quantiles(draws, np.array([alpha / 2, 1 - alpha / 2]))
    bca = _bca(draws, estimate, res.jackknife[section] if res.jackknife else None, alpha)
    for j, key in enumerate(res.names[section]):
        column = draws[:, j]
        finite = column[np.isfinite(column)]
        se = finite.std(ddof=1) if finite.size > 1 else np.nan
        t, p = _t_test(estimate[j], se, finite.size)
        table[key] = {
            "estimate": estimate[j],
            "mean": finite.mean() if finite.size else np.nan,
            "se": se,
            "t": t,
            "p": p,
            "percentile": [percentile[0, j], percentile[1, j]] if ok_rows else [np.nan, np.nan],
            "bca": [bca[0, j], bca[1, j]],
        }
    return table


def _t_test(estimate: float, se: float, draws: int) -> tuple[float, float]:
    """t = estimate / bootstrap SE, two-sided p from Student t with draws − 1 df (SmartPLS)."""
    if not (se > 0) or draws < 2 or not np.isfinite(estimate):
        return np.nan, np.nan
    t = estimate / se
    return t, 2.0 * stdtr(draws - 1, -abs(t))


def _quantiles(draws: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Linear-interpolation quantiles (numpy's default) per column; q is (r,) or (r, m)."""
    b, m = draws.shape
    q = np.broadcast_to(np.asarray(q, dtype=np.float64).reshape(len(q), -1), (len(q), m))
    if b == 0:
        return np.full(q.shape, np.nan)
    ordered = np.sort(draws, axis=0)  # NaN sort last; such columns give NaN below
    valid = np.isfinite(q)
    h = np.clip(np.where(valid, q, 0.0), 0, 1) * (b - 1)
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, b - 1)
    cols = np.arange(m)
    low, high = ordered[lo, cols], ordered[hi, cols]
    out = low + (h - lo) * (high - low)
    out[:, ~np.isfinite(draws).all(axis=0)] = np.nan
    out[~valid] = np.nan
    return out


def _bca(
    draws: np.ndarray, estimate: np.ndarray, jack: np.ndarray | None, alpha: float
) -> np.ndarray:
    """BCa interval bounds (2, m); NaN where undefined (no jackknife, z0 infinite)."""
    m = draws.shape[1]
    if jack is None or draws.shape[0] == 0 or jack.shape[0] < 2:
        return np.full((2, m), np.nan)
    below = (draws < estimate).mean(axis=0) + 0.5 * (draws == estimate).mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = ndtri(below)
        u = jack.mean(axis=0) - jack
        num = (u**3).sum(axis=0)
        den = 6 * (u**2).sum(axis=0) ** 1.5
        a = np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)
        z = ndtri(np.array([alpha / 2, 1 - alpha / 2]))[:, None]
        adjusted = ndtr(z0 + (z0 + z) / (1 - a * (z0 + z)))
    adjusted[:, ~np.isfinite(z0)] = np.nan
    return _quantiles(draws, adjusted)
