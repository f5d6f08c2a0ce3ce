"""PLS path modelling (Lohmöller/Wold) on covariance matrices, batched.

Everything here works on ``p x p`` moment matrices, never on the data: the
outer weights of Mode A are covariances of indicators with the inner proxies
(``C W E``), Mode B weights are regressions solved from covariance blocks, the
inner weights come from the latent-variable correlation matrix ``W' C W`` and
the path coefficients from its normal equations.  The leading batch axis lets
the bootstrap and the jackknife run hundreds of fits in the same numpy calls;
an ordinary fit is a batch of one.

Metric: ``C`` is the correlation matrix (standardized scaling) or the
covariance matrix of the centred data (raw scaling).  Weights are returned in
the metric of ``C`` and normalised so every latent variable has unit variance,
as plspm does in both cases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Model

SCHEMES = ("path", "centroid", "factorial")
SCALINGS = ("standardized", "raw")

#: status codes of a batch item; 0 is success, the others are ModelError codes
STATUS_OK = 0
STATUS_CODES = ("ok", "not_converged", "singular", "constant_indicator")
NOT_CONVERGED, SINGULAR, CONSTANT = 1, 2, 3

#: a Mode B block whose indicator correlation matrix has a smaller
#: eigenvalue ratio than this cannot be inverted reliably
SINGULAR_RATIO = 1e-12


@dataclass(frozen=True)
class Structure:
    """The model compiled to index arrays and 0/1 matrices."""

    lvs: tuple[str, ...]
    indicators: tuple[str, ...]
    block_of: np.ndarray  # (p,) int: LV of each indicator
    design: np.ndarray  # (p, k) float 0/1
    adjacency: np.ndarray  # (k, k) float: [j, i] = 1 when j -> i
    mode_b: np.ndarray  # (k,) bool
    blocks: tuple[np.ndarray, ...]  # indicator indices of each LV
    endogenous: np.ndarray  # (m,) int
    pred_mask: np.ndarray  # (m, k) bool: predecessors of each endogenous LV
    multi_a: np.ndarray  # (k,) bool: Mode A block with more than one indicator

    @property
    def k(self) -> int:
        return len(self.lvs)

    @property
    def p(self) -> int:
        return len(self.indicators)


def compile_structure(model: Model) -> Structure:
    """Index arrays and design matrices of ``model``."""
    lvs = tuple(model.lvs)
    indicators = tuple(model.indicators)
    pos = {lv: i for i, lv in enumerate(lvs)}
    block_of = np.array([pos[lv] for lv, mvs in model.blocks.items() for _ in mvs], dtype=np.int64)
    k, p = len(lvs), len(indicators)
    design = np.zeros((p, k))
    design[np.arange(p), block_of] = 1.0
    adjacency = np.zeros((k, k))
    for a, b in model.paths:
        adjacency[pos[a], pos[b]] = 1.0
    endogenous = np.flatnonzero(adjacency.sum(axis=0) > 0)
    pred_mask = adjacency[:, endogenous].T > 0
    mode_b = np.array([model.modes[lv] == "B" for lv in lvs])
    blocks = tuple(np.flatnonzero(block_of == i) for i in range(k))
    sizes = np.array([len(b) for b in blocks])
    return Structure(
        lvs=lvs,
        indicators=indicators,
        block_of=block_of,
        design=design,
        adjacency=adjacency,
        mode_b=mode_b,
        blocks=blocks,
        endogenous=endogenous,
        pred_mask=pred_mask,
        multi_a=(~mode_b) & (sizes > 1),
    )


@dataclass
class BatchFit:
    """Estimates for a batch of moment matrices (leading axis = batch)."""

    weights: np.ndarray  # (B, p, k) block pattern, metric of C, unit LV variance
    lv_corr: np.ndarray  # (B, k, k)
    cross_loadings: np.ndarray  # (B, p, k) correlations of indicators with LVs
    loadings: np.ndarray  # (B, p) correlation of each indicator with its own LV
    paths: np.ndarray  # (B, k, k) [j, i] = coefficient of j in the regression of i
    r2: np.ndarray  # (B, k) NaN for exogenous LVs
    iterations: np.ndarray  # (B,) int
    status: np.ndarray  # (B,) int, STATUS_OK or an error index into STATUS_CODES

    def weight_vector(self) -> np.ndarray:
        """(B, p): each indicator's weight on its own LV."""
        return self.weights.sum(axis=2)


def working_matrix(cov: np.ndarray, scaling: str, min_var: np.ndarray | float = 0.0):
    """The matrix PLS iterates on, the indicator SDs and a per-item status.

    ``cov`` is (B, p, p).  Items with an indicator variance ``<= min_var`` are
    marked CONSTANT (their matrix is replaced by the identity so the batch
    arithmetic stays finite).
    """
    var = np.diagonal(cov, axis1=1, axis2=2)
    constant = (var <= min_var).any(axis=1)
    sd = np.sqrt(np.where(var > 0, var, 1.0))
    status = np.where(constant, CONSTANT, STATUS_OK).astype(np.int64)
    # standardizing is folded into the moments: correlation = cov / (sd sd')
    C = cov / (sd[:, :, None] * sd[:, None, :]) if scaling == "standardized" else cov.copy()
    if constant.any():
        C[constant] = np.eye(cov.shape[1])
    return C, sd, status


def estimate(
    C: np.ndarray,
    st: Structure,
    *,
    scheme: str = "path",
    tol: float = 1e-7,
    max_iter: int = 300,
    status: np.ndarray | None = None,
) -> BatchFit:
    """Run the PLS algorithm on each (p, p) matrix of the batch ``C``.

    Convergence: the largest change of an absolute outer weight, expressed in
    the standardized metric, falls below ``tol``.  Each item stops on its own
    iteration, so a batch item gives the same numbers as a fit on its own.
    """
    nb, p, _ = C.shape
    k = st.k
    status = np.zeros(nb, dtype=np.int64) if status is None else status.copy()
    s = np.sqrt(np.diagonal(C, axis1=1, axis2=2))  # indicator SDs in the metric of C
    inverses = _mode_b_inverses(C, s, st, status)

    W_out = np.full((nb, p, k), np.nan)
    iterations = np.zeros(nb, dtype=np.int64)
    idx = np.flatnonzero(status == STATUS_OK)
    Ca, sa = C[idx], s[idx]
    inv_a = [inv[idx] for inv in inverses]
    W, CW = _normalise(Ca, np.broadcast_to(st.design, (idx.size, p, k)))
    for it in range(1, max_iter + 1):
        if idx.size == 0:
            break
        R = np.swapaxes(W, 1, 2) @ CW
        E, bad = _inner_weights(R, st, scheme)
        V = (CW @ E) * st.design
        for inv, b in zip(inv_a, np.flatnonzero(st.mode_b), strict=True):
            rows = st.blocks[b]
            V[:, rows, b] = (inv @ V[:, rows, b, None])[..., 0]
        W_new, CW_new = _normalise(Ca, V)
        bad |= ~np.isfinite(W_new).all(axis=(1, 2))
        delta = np.abs(np.abs(W_new) - np.abs(W)) * sa[:, :, None]
        done = (delta.max(axis=(1, 2)) < tol) | bad
        if bad.any():
            status[idx[bad]] = SINGULAR
        if done.any():
            W_out[idx[done]] = W_new[done]
            iterations[idx[done]] = it
            keep = ~done
            idx, Ca, sa = idx[keep], Ca[keep], sa[keep]
            inv_a = [inv[keep] for inv in inv_a]
            W, CW = W_new[keep], CW_new[keep]
        else:
            W, CW = W_new, CW_new
    if idx.size:
        status[idx] = NOT_CONVERGED
        W_out[idx] = W
        iterations[idx] = max_iter
    return _summarise(C, s, W_out, st, iterations, status)


def _normalise(C: np.ndarray, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale each LV's weights to unit LV variance; also return C @ W."""
    CV = C @ V
    var = np.einsum("bpk,bpk->bk", V, CV)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = 1.0 / np.sqrt(var)
    scale = scale[:, None, :]
    return V * scale, CV * scale


def _mode_b_inverses(
    C: np.ndarray, s: np.ndarray, st: Structure, status: np.ndarray
) -> list[np.ndarray]:
    """Inverse indicator covariance of each Mode B block (computed once per fit).

    Items whose block is (numerically) singular are marked SINGULAR.
    """
    out = []
    for b in np.flatnonzero(st.mode_b):
        rows = st.blocks[b]
        Cbb = C[:, rows[:, None], rows[None, :]]
        corr = Cbb / (s[:, rows, None] * s[:, None, rows])
        eig = np.linalg.eigvalsh(corr)
        singular = eig[:, 0] <= SINGULAR_RATIO * eig[:, -1]
        status[singular & (status == STATUS_OK)] = SINGULAR
        safe = np.where(singular[:, None, None], np.eye(rows.size), Cbb)
        out.append(np.linalg.inv(safe))
    return out


def _inner_weights(R: np.ndarray, st: Structure, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    """Inner weights E with Z = Y E; also a per-item 'singular' flag."""
    sym = st.adjacency + st.adjacency.T
    if scheme == "centroid":
        return np.sign(R) * sym, np.zeros(R.shape[0], dtype=bool)
    if scheme == "factorial":
        return R * sym, np.zeros(R.shape[0], dtype=bool)
    # path weighting (Lohmöller): a predecessor j of i gets the coefficient of j
    # in the regression of i on its predecessors, a successor the correlation.
    B, bad = path_coefficients(R, st)
    return B + R * st.adjacency.T, bad


def path_coefficients(R: np.ndarray, st: Structure) -> tuple[np.ndarray, np.ndarray]:
    """Regress each endogenous LV on its predecessors from the LV correlations.

    All regressions of all batch items are one batched ``solve``: the system of
    endogenous LV i is R restricted to its predecessors, padded with the
    identity elsewhere so that the other coefficients come out as zero.
    Returns (B, k, k) with [j, i] = coefficient of j for i, and a singular flag.
    """
    nb, k, _ = R.shape
    out = np.zeros((nb, k, k))
    bad = np.zeros(nb, dtype=bool)
    if st.endogenous.size == 0:
        return out, bad
    mask = st.pred_mask  # (m, k)
    pair = (mask[:, :, None] & mask[:, None, :]).astype(np.float64)
    fill = np.einsum("mk,kl->mkl", (~mask).astype(np.float64), np.eye(k))
    M = R[:, None, :, :] * pair + fill
    rhs = np.swapaxes(R[:, :, st.endogenous], 1, 2) * mask  # (B, m, k)
    try:
        sol = np.linalg.solve(M, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        sol = np.full(rhs.shape, np.nan)
        for b in range(nb):
            try:
                sol[b] = np.linalg.solve(M[b], rhs[b][..., None])[..., 0]
            except np.linalg.LinAlgError:
                bad[b] = True
    bad |= ~np.isfinite(sol).all(axis=(1, 2))
    out[:, :, st.endogenous] = np.swapaxes(sol, 1, 2)
    return out, bad


def _summarise(C, s, W, st: Structure, iterations, status) -> BatchFit:
    """Sign-fix the converged weights and derive loadings, paths and R²."""
    ok = status == STATUS_OK
    CW = C @ np.nan_to_num(W)
    cross = CW / s[:, :, None]
    own = (cross * st.design).sum(axis=2)  # (B, p)
    # Sign rule: an LV is flipped when more of its indicators load negatively
    # than positively; a tie goes by the sign of the sum of its loadings.
    votes = np.sign(own) @ st.design
    total = own @ st.design
    flip = np.where((votes < 0) | ((votes == 0) & (total < 0)), -1.0, 1.0)
    W = W * flip[:, None, :]
    cross = cross * flip[:, None, :]
    CW = CW * flip[:, None, :]
    R = np.swapaxes(np.nan_to_num(W), 1, 2) @ CW
    d = np.sqrt(np.abs(np.diagonal(R, axis1=1, axis2=2)))
    d = np.where(d > 0, d, 1.0)
    R = R / (d[:, :, None] * d[:, None, :])  # exact unit diagonal
    B, bad = path_coefficients(R, st)
    status = status.copy()
    status[ok & bad] = SINGULAR
    r2 = np.full((C.shape[0], st.k), np.nan)
    r2[:, st.endogenous] = (B * R).sum(axis=1)[:, st.endogenous]
    failed = status != STATUS_OK
    for arr in (W, cross, R, B, r2):
        arr[failed] = np.nan
    return BatchFit(
        weights=W,
        lv_corr=R,
        cross_loadings=cross,
        loadings=np.where(failed[:, None], np.nan, (cross * st.design).sum(axis=2)),
        paths=B,
        r2=r2,
        iterations=iterations,
        status=status,
    )


def total_effects(B: np.ndarray) -> np.ndarray:
    """Total effects T = B + B² + ... (the path matrix is nilpotent: recursive model)."""
    k = B.shape[-1]
    total = np.zeros_like(B)
    power = B
    for _ in range(k):
        if not power.any():
            break
        total = total + power
        power = power @ B
    return total
