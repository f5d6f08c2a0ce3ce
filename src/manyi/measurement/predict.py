"""PLSpredict: out-of-sample prediction of the endogenous LVs' indicators.

Shmueli, Ray, Velasquez Estrada & Chatla (2016), "The elephant in the room:
predictive performance of PLS models", Journal of Business Research 69(10);
Shmueli et al. (2019), "Predictive model assessment in PLS-SEM: guidelines
for using PLSpredict", European Journal of Marketing 53(11).

k-fold cross-validation, one repetition.  Rows are assigned to folds by a
seeded permutation: ``order = Generator(PCG64(seed)).permutation(n)`` and row
``order[i]`` goes to fold ``i % folds``.  For each fold the model is
estimated on the other rows (their means and SDs standardize everything),
then for the held-out rows:

1. exogenous LV scores from their indicators with the training weights;
2. endogenous LV scores predicted through the training total effects from
   the exogenous LVs only ("earliest antecedents": no predicted score is fed
   forward as if it were observed);
3. each endogenous indicator predicted as training mean + SD × loading ×
   predicted LV score.

Per endogenous indicator, over all held-out rows: Q²predict = 1 − SSE/SSO
with SSO the squared errors of the training mean (the naive benchmark),
RMSE, MAE, and the linear-model benchmark's RMSE and MAE (OLS of the
indicator on all exogenous LVs' indicators, fitted on the same training
rows).  Per endogenous LV: Q² of its predicted score against its score from
the training weights (naive benchmark 0, the training mean of a score).

Missing values are treated once on the full sample before the folds (mean
replacement or casewise deletion, as :func:`fit` and the bootstrap do).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import pls
from .data import prepare_data
from .errors import ModelError
from .fit import Options, constant_threshold
from .model import Model, load_model
from .moments import covariance
from .results import clean


def fold_assignment(n: int, folds: int, seed: int) -> np.ndarray:
    """(n,) fold of each row (see the module docstring)."""
    order = np.random.Generator(np.random.PCG64(seed)).permutation(n)
    fold_of = np.empty(n, dtype=np.int64)
    fold_of[order] = np.arange(n) % folds
    return fold_of


def pls_predict(
    data: Any,
    model: Model | dict | str,
    *,
    folds: int = 10,
    seed: int | None = 0,
    columns: Sequence[str] | None = None,
    scheme: str = "path",
    scaling: str = "standardized",
    missing: str = "mean",
    tol: float = 1e-7,
    max_iter: int = 300,
) -> dict[str, Any]:
    """PLSpredict with ``folds`` folds; returns ``{"folds", "seed", "n", "indicators", "lvs"}``.

    ``indicators``: endogenous indicator -> {q2, rmse, mae, lm_rmse, lm_mae};
    ``lvs``: endogenous LV -> {q2}.  ``seed=None`` draws a seed and reports it.
    """
    model = load_model(model)
    options = Options(scheme, scaling, missing, float(tol), int(max_iter))
    options.check()
    ds = prepare_data(data, model, columns=columns, missing=missing)
    folds = int(folds)
    if not 2 <= folds <= ds.n:
        raise ModelError(
            "invalid_option", f"folds must lie between 2 and the {ds.n} rows, not {folds}"
        )
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**63)
    st = pls.compile_structure(model)
    fold_of = fold_assignment(ds.n, folds, seed)
    X = ds.X
    means = np.empty((folds, st.p))
    covs = np.empty((folds, st.p, st.p))
    for f in range(folds):  # ten training sets: a loop over folds, not over rows
        train = X[fold_of != f]
        means[f] = train.mean(axis=0)
        covs[f] = covariance(train, means[f])
    C, sd, status = pls.working_matrix(covs, options.scaling, constant_threshold(ds.means))
    bf = pls.estimate(C, st, scheme=options.scheme, tol=options.tol, max_iter=options.max_iter,
                      status=status)  # fmt: skip
    _raise_failed_fold(bf.status, st, covs, ds.means)
    W = bf.weights / sd[:, :, None] if options.scaling == "standardized" else bf.weights
    total = pls.total_effects(bf.paths)

    endo = st.endogenous
    exo = np.setdiff1d(np.arange(st.k), endo)
    is_endo_item = np.isin(st.block_of, endo)
    y_items, x_items = np.flatnonzero(is_endo_item), np.flatnonzero(~is_endo_item)
    lv_col = np.searchsorted(endo, st.block_of[y_items])  # column of each item's LV in endo

    shape = (ds.n, y_items.size)
    pred, lm_pred, naive = np.empty(shape), np.empty(shape), np.empty(shape)
    eta, eta_hat = np.empty((ds.n, endo.size)), np.empty((ds.n, endo.size))
    for f in range(folds):
        test = fold_of == f
        Xc = X[test] - means[f]
        eta_hat[test] = (Xc @ W[f][:, exo]) @ total[f][np.ix_(exo, endo)]
        eta[test] = Xc @ W[f][:, endo]
        slope = (sd[f] * bf.loadings[f])[y_items]
        pred[test] = means[f, y_items] + eta_hat[test][:, lv_col] * slope
        beta = _ols(covs[f], x_items, y_items)
        lm_pred[test] = means[f, y_items] + Xc[:, x_items] @ beta
        naive[test] = means[f, y_items]

    Y = X[:, y_items]
    sso = ((Y - naive) ** 2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        q2 = 1 - ((Y - pred) ** 2).sum(axis=0) / sso
        lv_q2 = 1 - ((eta - eta_hat) ** 2).sum(axis=0) / (eta**2).sum(axis=0)
    indicators = {
        st.indicators[j]: {
            "q2": q2[c],
            "rmse": np.sqrt(np.mean((Y[:, c] - pred[:, c]) ** 2)),
            "mae": np.mean(np.abs(Y[:, c] - pred[:, c])),
            "lm_rmse": np.sqrt(np.mean((Y[:, c] - lm_pred[:, c]) ** 2)),
            "lm_mae": np.mean(np.abs(Y[:, c] - lm_pred[:, c])),
        }
        for c, j in enumerate(y_items)
    }
    return clean(
        {
            "folds": folds,
            "seed": seed,
            "n": ds.n,
            "indicators": indicators,
            "lvs": {st.lvs[i]: {"q2": lv_q2[c]} for c, i in enumerate(endo)},
        }
    )


def _ols(cov: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """OLS slopes of the y columns on the x columns from a covariance matrix."""
    Sxx, Sxy = cov[np.ix_(x, x)], cov[np.ix_(x, y)]
    try:
        return np.linalg.solve(Sxx, Sxy)
    except np.linalg.LinAlgError:  # collinear predictors: the minimum-norm solution
        return np.linalg.lstsq(Sxx, Sxy, rcond=None)[0]


def _raise_failed_fold(status: np.ndarray, st: pls.Structure, covs, means) -> None:
    """A training set that cannot be estimated stops the whole prediction."""
    failed = np.flatnonzero(status != pls.STATUS_OK)
    if not failed.size:
        return
    f = int(failed[0])
    code = pls.STATUS_CODES[status[f]]
    if code == "constant_indicator":
        flat = [
            st.indicators[j] for j in np.flatnonzero(np.diag(covs[f]) <= constant_threshold(means))
        ]
        raise ModelError(
            "constant_indicator",
            f"indicator(s) with no variance in training fold {f + 1}: {', '.join(flat)}",
            indicators=flat,
        )
    raise ModelError(code, f"the model cannot be estimated on training fold {f + 1} ({code})")
