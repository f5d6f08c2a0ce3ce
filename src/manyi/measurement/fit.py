"""``fit``: data + model -> PLSResult."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import pls
from .data import MISSING_METHODS, Dataset, prepare_data
from .diagnostics import effect_sizes, inner_vif, outer_vif, srmr
from .errors import ModelError
from .groups import compare_groups
from .index import check_scale, lv_index, respondent_scores, scale_bounds
from .model import Model, load_model
from .moments import covariance, lv_scores
from .quality import fornell_larcker, goodness_of_fit, htmt, indicator_correlations, reliability
from .results import PLSResult


@dataclass(frozen=True)
class Options:
    """Estimation settings shared by fit and bootstrap."""

    scheme: str = "path"
    scaling: str = "standardized"
    missing: str = "mean"
    tol: float = 1e-7
    max_iter: int = 300
    scale_min: float = 1.0
    scale_max: float = 10.0

    def check(self) -> None:
        """Raise ``invalid_option`` for a value the engine does not support."""
        if self.scheme not in pls.SCHEMES:
            raise ModelError(
                "invalid_option", f"scheme must be one of {pls.SCHEMES}, not {self.scheme!r}"
            )
        if self.scaling not in pls.SCALINGS:
            raise ModelError(
                "invalid_option", f"scaling must be one of {pls.SCALINGS}, not {self.scaling!r}"
            )
        if self.missing not in MISSING_METHODS:
            raise ModelError(
                "invalid_option", f"missing must be one of {MISSING_METHODS}, not {self.missing!r}"
            )
        if not (self.tol > 0):
            raise ModelError("invalid_option", f"tol must be positive, not {self.tol!r}")
        if int(self.max_iter) < 1:
            raise ModelError(
                "invalid_option", f"max_iter must be at least 1, not {self.max_iter!r}"
            )
        check_scale(self.scale_min, self.scale_max)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "scaling": self.scaling,
            "missing": self.missing,
            "tol": self.tol,
            "max_iter": int(self.max_iter),
            "scale_min": self.scale_min,
            "scale_max": self.scale_max,
        }


def fit(
    data: Any,
    model: Model | dict | str,
    *,
    columns: Sequence[str] | None = None,
    scheme: str = "path",
    scaling: str = "standardized",
    missing: str = "mean",
    tol: float = 1e-7,
    max_iter: int = 300,
    scale_min: float = 1.0,
    scale_max: float = 10.0,
    groups: Sequence[Any] | np.ndarray | None = None,
) -> PLSResult:
    """Estimate a PLS path model.

    ``data``: a 2-D float array (columns named by ``columns``, or already in
    model indicator order), a mapping column -> 1-D array, or a data frame.
    ``model``: a :class:`Model`, its JSON dict, a preset name or a JSON path.
    ``groups``: optional label per data row for per-group indices.
    Raises :class:`ModelError` when the model cannot be estimated.
    """
    model = load_model(model)
    options = Options(
        scheme, scaling, missing, float(tol), int(max_iter), float(scale_min), float(scale_max)
    )
    options.check()
    ds = prepare_data(data, model, columns=columns, missing=missing, groups=groups)
    return fit_dataset(ds, model, options)


def fit_dataset(ds: Dataset, model: Model, options: Options) -> PLSResult:
    """Fit a prepared dataset (shared by :func:`fit` and the bootstrap)."""
    st = pls.compile_structure(model)
    cov = covariance(ds.X, ds.means)
    bf, sd = estimate_from_covariance(cov, ds.means, st, options, model)

    W_metric = bf.weights[0]  # (p, k), metric of the working matrix
    if options.scaling == "standardized":
        W_std, W_unstd = W_metric, W_metric / sd[:, None]
    else:
        W_std, W_unstd = W_metric * sd[:, None], W_metric
    w_std, w_unstd = W_std.sum(axis=1), W_unstd.sum(axis=1)
    loadings = bf.loadings[0]
    B = bf.paths[0]
    total = pls.total_effects(B)
    r2 = bf.r2[0]
    n_pred = st.adjacency.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        dof = ds.n - n_pred - 1
        r2_adj = np.where(dof > 0, 1 - (1 - r2) * (ds.n - 1) / dof, np.nan)
    r2_adj[np.isnan(r2)] = np.nan

    Rx = indicator_correlations(cov)
    rel = reliability(Rx, w_std, loadings, st)
    R = bf.lv_corr[0]
    low, high = scale_bounds(model, options.scale_min, options.scale_max)
    index = lv_index(w_unstd, ds.means, st, low, high)
    group_index = comparison = None
    if ds.group_means is not None:
        group_index = lv_index(w_unstd, ds.group_means, st, low, high)
        scores_100 = respondent_scores(ds.X, w_unstd, st, low, high)
        comparison = compare_groups(scores_100, ds.group_codes, ds.group_labels, list(st.lvs))

    return PLSResult(
        model=model,
        lvs=list(st.lvs),
        indicators=list(st.indicators),
        weights=w_std,
        weights_unstd=w_unstd,
        loadings=loadings,
        cross_loadings=bf.cross_loadings[0],
        path_matrix=B,
        total_effect_matrix=total,
        indirect_effect_matrix=total - B,
        r2=r2,
        r2_adj=r2_adj,
        lv_correlations=R,
        scores=lv_scores(ds.X, ds.means, W_unstd),
        reliability=rel,
        fornell_larcker=fornell_larcker(rel["ave"], R),
        htmt=htmt(Rx, st),
        gof=goodness_of_fit(loadings, r2, st),
        index=index,
        means=ds.means,
        sds=sd,
        iterations=int(bf.iterations[0]),
        converged=True,
        n=ds.n,
        n_rows=ds.n_rows,
        missing_share=ds.missing_share,
        settings=options.as_dict(),
        group_labels=ds.group_labels,
        group_index=group_index,
        group_sizes=ds.group_sizes,
        warnings=_weight_warnings(w_std, st),
        vif_outer=outer_vif(Rx, st),
        vif_inner=inner_vif(R, st),
        f2=effect_sizes(R, r2, st),
        srmr=srmr(Rx, loadings, R, B, r2, st),
        item_low=np.broadcast_to(np.asarray(low, dtype=np.float64), (st.p,)).copy(),
        item_high=np.broadcast_to(np.asarray(high, dtype=np.float64), (st.p,)).copy(),
        group_comparison=comparison,
    )


def constant_threshold(means: np.ndarray) -> np.ndarray:
    """Variance at or below which an indicator counts as constant."""
    return (1e-10 * np.maximum(1.0, np.abs(means))) ** 2


def estimate_from_covariance(
    cov: np.ndarray, means: np.ndarray, st: pls.Structure, options: Options, model: Model
) -> tuple[pls.BatchFit, np.ndarray]:
    """Run PLS on one covariance matrix; turn a failure into its ModelError."""
    C, sd, status = pls.working_matrix(cov[None], options.scaling, constant_threshold(means))
    if status[0] == pls.CONSTANT:
        flat = [st.indicators[j] for j in np.flatnonzero(np.diag(cov) <= constant_threshold(means))]
        raise ModelError(
            "constant_indicator",
            f"indicator(s) with no variance: {', '.join(flat)}",
            indicators=flat,
        )
    bf = pls.estimate(C, st, scheme=options.scheme, tol=options.tol, max_iter=options.max_iter)
    code = pls.STATUS_CODES[bf.status[0]]
    if code == "not_converged":
        raise ModelError(
            "not_converged",
            f"no convergence after {options.max_iter} iterations (tol={options.tol:g})",
            max_iter=options.max_iter,
        )
    if code == "singular":
        raise _singular_error(C[0], st, model)
    return bf, sd[0]


def _singular_error(C: np.ndarray, st: pls.Structure, model: Model) -> ModelError:
    """Name the Mode B block(s) that are collinear, if that is the cause."""
    Rx = indicator_correlations(C)
    culprits = []
    for b in np.flatnonzero(st.mode_b):
        rows = st.blocks[b]
        eig = np.linalg.eigvalsh(Rx[np.ix_(rows, rows)])
        if eig[0] <= pls.SINGULAR_RATIO * eig[-1]:
            culprits.append(st.lvs[b])
    if culprits:
        return ModelError(
            "singular",
            f"Mode B block(s) with perfectly collinear indicators: {', '.join(culprits)}",
            lvs=culprits,
        )
    return ModelError(
        "singular",
        "the latent variables are perfectly collinear (a regression of the inner model cannot be solved)",
    )


def _weight_warnings(w_std: np.ndarray, st: pls.Structure) -> list[dict[str, Any]]:
    """Warn about negative outer weights: they make the index leave [0, 100]."""
    out = []
    for j in np.flatnonzero(w_std < 0):
        lv = st.lvs[st.block_of[j]]
        out.append(
            {
                "code": "negative_weight",
                "lv": lv,
                "indicator": st.indicators[j],
                "message": f"indicator {st.indicators[j]!r} has a negative weight on {lv!r}; "
                "its index is not a weighted mean of the items",
            }
        )
    return out
