"""Synthetic survey data from a known population model.

Two kinds of population, both with standardized latent variables that follow
the inner model with the given path coefficients:

* ``kind="factor"`` (default): the common factor model x = λη + ε.  Item
  correlations look like real survey data (within-block r = λ_i λ_j), but no
  weighted sum of the items equals η, so PLS estimates are slightly biased
  (loadings up, paths down) even for large n.
* ``kind="composite"`` (Dijkstra & Henseler): every latent variable is exactly
  a weighted sum of its indicators.  For Mode A blocks the within-block
  indicator correlations are built so that the weights are proportional to
  the loadings — the fixed point of Mode A — so PLS is consistent: with large
  n it recovers the given paths, loadings and weights exactly (the tests use
  this).  The price: small blocks get low item correlations (2λ² − 1 for two
  items), so this kind is for checking the estimator, not for demo data.

The indicator correlation matrix is assembled from
  * the LV correlation matrix Φ implied by the paths (exogenous LVs
    correlate ``exo_corr``; each endogenous LV gets the disturbance variance
    that makes its variance one),
  * within block b: Σ_bb with Σ_bb w_b = λ_b (loadings) and w_b'Σ_bb w_b = 1,
  * between blocks: Σ_bc = λ_b Φ_bc λ_c'.
Data are Gaussian draws from it; ``discrete=True`` maps them to integer
answers on the questionnaire scale (rounding makes the "true" values
approximate — tests use continuous data).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtri

from .errors import ModelError
from .model import Model, load_model
from .presets import is_preset, preset_dict
from .results import path_key

#: population kinds: "factor" (common factor model, realistic item
#: correlations, PLS slightly biased) or "composite" (PLS consistent)
KINDS = ("factor", "composite")


@dataclass
class Population:
    """The exact population quantities of a composite model."""

    model: Model
    covariance: np.ndarray  # (p, p) indicator correlation matrix
    lv_corr: np.ndarray  # (k, k)
    paths: dict[str, float]
    loadings: dict[str, float]
    weights: dict[str, float]  # standardized weights (LV = Σ w z)


@dataclass
class Simulation:
    """A simulated data set and the population it was drawn from."""

    data: dict[str, np.ndarray]
    population: Population
    groups: np.ndarray | None = None
    columns: list[str] = field(default_factory=list)

    def matrix(self) -> np.ndarray:
        """The indicator columns as an (n, p) array in model order."""
        return np.column_stack([self.data[c] for c in self.population.model.indicators])

    def write_csv(self, path: str, *, group_column: str = "group") -> None:
        """Write the data (and the group column, if any) as UTF-8 CSV."""
        names = list(self.data)
        columns = [self.data[c] for c in names]
        integer = all(np.all(np.isnan(c) | (c == np.round(c))) for c in columns)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(([group_column] if self.groups is not None else []) + names)
            for i in range(len(columns[0])):
                row = [_cell(c[i], integer) for c in columns]
                if self.groups is not None:
                    row.insert(0, str(self.groups[i]))
                writer.writerow(row)


def _cell(value: float, integer: bool) -> str:
    if np.isnan(value):
        return ""
    return str(int(value)) if integer else repr(float(value))


def population(
    model: Model | Mapping[str, Any] | str,
    *,
    paths: Mapping[str, float] | None = None,
    loadings: Mapping[str, float] | float | None = None,
    exo_corr: float = 0.3,
    kind: str = "factor",
) -> Population:
    """The population of ``model``: indicator correlations and true values (see module docstring).

    ``paths``: "FROM->TO" -> coefficient (default: preset's simulation values,
    else 0.7 / number of predecessors).  ``loadings``: one value for all
    indicators or indicator -> value (default preset's, else 0.8); in a
    composite population, Mode A blocks of two indicators need equal loadings.
    """
    model, preset_sim = _model_and_preset_settings(model)
    lvs = model.lvs
    pos = {lv: i for i, lv in enumerate(lvs)}
    k = len(lvs)
    beta = np.zeros((k, k))
    given = dict(paths if paths is not None else preset_sim.get("paths", {}))
    for a, b in model.paths:
        q = len(model.predecessors(b))
        beta[pos[a], pos[b]] = float(given.get(path_key(a, b), 0.7 / q))
    phi = _lv_correlations(model, beta, exo_corr)

    if loadings is None:
        loadings = preset_sim.get("loading", 0.8)
    if kind not in KINDS:
        raise ModelError("invalid_option", f"kind must be one of {KINDS}, not {kind!r}")
    blocks_sigma, lambdas, weights = [], [], []
    for lv, mvs in model.blocks.items():
        if isinstance(loadings, Mapping):
            lam = np.array([float(loadings.get(mv, 0.8)) for mv in mvs])
        else:
            lam = np.full(len(mvs), float(loadings))
        sigma, w, lam = _block(lam, model.modes[lv], lv, kind)
        blocks_sigma.append(sigma)
        lambdas.append(lam)
        weights.append(w)

    p = len(model.indicators)
    cov = np.zeros((p, p))
    starts = np.cumsum([0] + [len(m) for m in model.blocks.values()])
    for b in range(k):
        sb = slice(starts[b], starts[b + 1])
        cov[sb, sb] = blocks_sigma[b]
        for c in range(k):
            if c != b:
                sc = slice(starts[c], starts[c + 1])
                cov[sb, sc] = phi[b, c] * np.outer(lambdas[b], lambdas[c])
    indicators = model.indicators
    return Population(
        model=model,
        covariance=cov,
        lv_corr=phi,
        paths={path_key(a, b): float(beta[pos[a], pos[b]]) for a, b in model.paths},
        loadings=dict(zip(indicators, np.concatenate(lambdas).tolist(), strict=True)),
        weights=dict(zip(indicators, np.concatenate(weights).tolist(), strict=True)),
    )


def _model_and_preset_settings(model: Any) -> tuple[Model, dict[str, Any]]:
    if isinstance(model, str) and is_preset(model):
        return load_model(model), preset_dict(model).get("simulation", {})
    model = load_model(model)
    return model, dict(model.extra.get("simulation", {}))


def _lv_correlations(model: Model, beta: np.ndarray, exo_corr: float) -> np.ndarray:
    """Φ implied by standardized structural equations, built in causal order."""
    pos = {lv: i for i, lv in enumerate(model.lvs)}
    k = len(pos)
    phi = np.eye(k)
    exo = [pos[lv] for lv in model.lvs if lv not in set(model.endogenous)]
    for a in exo:
        for b in exo:
            if a != b:
                phi[a, b] = exo_corr
    done = list(exo)
    for lv in model.topological_order():
        i = pos[lv]
        if i in exo:
            continue
        preds = np.flatnonzero(beta[:, i])
        for j in done:
            phi[i, j] = phi[j, i] = beta[preds, i] @ phi[preds, j]
        explained = beta[preds, i] @ phi[np.ix_(preds, preds)] @ beta[preds, i]
        if explained >= 1:
            raise ModelError(
                "invalid_option",
                f"paths into {lv!r} explain {explained:.2f} >= 1 of its variance; use smaller coefficients",
                lv=lv,
            )
        done.append(i)
    if np.linalg.eigvalsh(phi)[0] < -1e-10:
        raise ModelError(
            "invalid_option", "the exogenous correlation makes the LV correlations impossible"
        )
    return phi


def _block(
    lam: np.ndarray, mode: str, lv: str, kind: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(Σ_bb, weights, loadings) of one block."""
    q = lam.size
    if q == 1:
        return np.ones((1, 1)), np.ones(1), np.ones(1)
    if np.any((lam <= 0) | (lam >= 1)):
        raise ModelError("invalid_option", f"loadings of {lv!r} must lie in (0, 1)", lv=lv)
    if kind == "factor":
        # common factor: x = λη + ε with independent ε; no composite equals η,
        # so the weights reported are the factor-score regression weights
        sigma = np.outer(lam, lam) + np.diag(1 - lam**2)
        w = np.linalg.solve(sigma, lam)
        return sigma, w / np.sqrt(w @ sigma @ w), lam
    if mode == "B":
        # formative indicators correlate like a one-factor block; the regression
        # weights Σ⁻¹λ (scaled to unit LV variance) are then what Mode B finds
        sigma = np.outer(lam, lam) + np.diag(1 - lam**2)
        w = np.linalg.solve(sigma, lam)
        w /= np.sqrt(w @ sigma @ w)
        return sigma, w, sigma @ w
    theta = _orthogonal_uniqueness(lam, lv)
    sigma = np.outer(lam, lam) + theta
    w = lam / (lam @ lam)  # Σλ = λ(λ'λ) so Mode A's fixed point is w ∝ λ
    return sigma, w, lam


def _orthogonal_uniqueness(lam: np.ndarray, lv: str) -> np.ndarray:
    """Θ ⪰ 0 with Θλ = 0 and diag Θ = 1 − λ², as D½(I − vv'/v'v)D½ with v = D½λ."""
    l2 = lam**2
    t0 = float(np.max(4 * l2 * (1 - l2)))

    def d_of(t: float) -> np.ndarray:
        return t * (1 - np.sqrt(np.maximum(0.0, 1 - 4 * l2 * (1 - l2) / t))) / (2 * l2)

    def excess(t: float) -> float:
        return float(d_of(t) @ l2 - t)

    if excess(t0) < 0:
        raise ModelError(
            "invalid_option",
            f"cannot build a composite population for {lv!r} with loadings {lam.round(3).tolist()}; "
            "use (more) equal loadings",
            lv=lv,
        )
    t = brentq(excess, t0, 1e6, xtol=1e-14, rtol=1e-14)
    d = d_of(t)
    v = np.sqrt(d) * lam
    root = np.sqrt(d)
    return root[:, None] * (np.eye(lam.size) - np.outer(v, v) / (v @ v)) * root[None, :]


def _binary_rates(
    model: Any, binary: tuple[str, ...], given: Mapping[str, float] | float | None
) -> dict[str, float]:
    """Share of "yes" for each yes/no item: given, else the preset's, else 0.15."""
    if given is None:
        given = _model_and_preset_settings(model)[1].get("binary_rates", {})
    if isinstance(given, Mapping):
        rates = {mv: float(given.get(mv, 0.15)) for mv in binary}
    else:
        rates = dict.fromkeys(binary, float(given))
    bad = [mv for mv, rate in rates.items() if not 0 < rate < 1]
    if bad:
        raise ModelError("invalid_option", f"yes-rates must lie in (0, 1): {', '.join(bad)}")
    return rates


def simulate(
    model: Model | Mapping[str, Any] | str,
    n: int,
    seed: int = 0,
    *,
    paths: Mapping[str, float] | None = None,
    loadings: Mapping[str, float] | float | None = None,
    exo_corr: float = 0.3,
    discrete: bool = True,
    scale_min: float = 1,
    scale_max: float = 10,
    missing_rate: float = 0.0,
    groups: int = 0,
    kind: str = "factor",
    binary_rate: Mapping[str, float] | float | None = None,
) -> Simulation:
    """Draw ``n`` respondents from the composite population of ``model``.

    Answers are centred at 70 % of the scale with an SD of a sixth of its
    range; ``discrete`` rounds and clips them to integers within the scale.
    ``missing_rate`` blanks cells completely at random; ``groups`` > 0 adds
    group labels G01, G02 ... with a group-level shift of the answers (the
    shift adds between-group covariance, so the population values then hold
    only approximately).

    Yes/no items (``model.binary``) are 1 when their latent answer lies above
    the quantile that gives them ``binary_rate`` "yes" answers in the
    population (a share for all, or indicator -> share; default the preset's
    ``binary_rates``, else 0.15), else 0.
    """
    if n < 1:
        raise ModelError("invalid_option", "n must be positive")
    pop = population(model, paths=paths, loadings=loadings, exo_corr=exo_corr, kind=kind)
    rng = np.random.Generator(np.random.PCG64(seed))
    vals, vecs = np.linalg.eigh(pop.covariance)
    root = vecs * np.sqrt(np.clip(vals, 0, None))  # Σ may be singular (Mode A blocks)
    Z = rng.standard_normal((n, root.shape[0])) @ root.T
    span = scale_max - scale_min
    X = scale_min + 0.7 * span + (span / 6) * Z
    labels = None
    if groups > 0:
        codes = rng.integers(0, groups, size=n)
        shift = rng.normal(0.0, 0.25 * span / 6, size=groups)
        X += shift[codes][:, None]
        labels = np.array([f"G{c + 1:02d}" for c in codes])
    if discrete:
        X = np.clip(np.rint(X), scale_min, scale_max)
    binary = pop.model.binary
    if binary:
        rates = _binary_rates(model, binary, binary_rate)
        for j, name in enumerate(pop.model.indicators):
            if name in rates:
                # the latent answer before rounding, in SDs: "yes" above its upper quantile
                latent = Z[:, j] + (shift[codes] / (span / 6) if groups > 0 else 0.0)
                X[:, j] = (latent > ndtri(1.0 - rates[name])).astype(np.float64)
    if missing_rate > 0:
        X[rng.random(X.shape) < missing_rate] = np.nan
    names = pop.model.indicators
    data = {name: X[:, j].copy() for j, name in enumerate(names)}
    return Simulation(data=data, population=pop, groups=labels, columns=list(names))
