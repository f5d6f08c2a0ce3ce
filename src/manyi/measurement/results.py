"""The result of a fit and its JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .model import Model
from .version import ENGINE_VERSION


def clean(value: Any) -> Any:
    """Make ``value`` JSON-serialisable: numpy -> Python, NaN/inf -> None."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


def path_key(a: str, b: str) -> str:
    """The JSON key of the path a -> b."""
    return f"{a}->{b}"


@dataclass
class PLSResult:
    """Everything a PLS fit estimates; arrays follow ``lvs`` / ``indicators`` order."""

    model: Model
    lvs: list[str]
    indicators: list[str]
    weights: np.ndarray  # (p,) standardized outer weights (apply to z-scores)
    weights_unstd: np.ndarray  # (p,) weights that apply to the raw centred indicators
    loadings: np.ndarray  # (p,)
    cross_loadings: np.ndarray  # (p, k)
    path_matrix: np.ndarray  # (k, k) [j, i] = path j -> i
    total_effect_matrix: np.ndarray  # (k, k)
    indirect_effect_matrix: np.ndarray  # (k, k)
    r2: np.ndarray  # (k,) NaN for exogenous
    r2_adj: np.ndarray  # (k,)
    lv_correlations: np.ndarray  # (k, k)
    scores: np.ndarray  # (n, k) unit variance, mean zero
    reliability: dict[str, np.ndarray]  # alpha, rho_c, rho_a, ave -> (k,)
    fornell_larcker: np.ndarray  # (k, k)
    htmt: np.ndarray  # (k, k)
    gof: float
    index: np.ndarray  # (k,) 0–100
    means: np.ndarray  # (p,) raw item means (observed values)
    sds: np.ndarray  # (p,) raw item SDs (population, after missing-data treatment)
    iterations: int
    converged: bool
    n: int
    n_rows: int
    missing_share: np.ndarray  # (p,)
    settings: dict[str, Any]
    group_labels: list[str] = field(default_factory=list)
    group_index: np.ndarray | None = None  # (G, k)
    group_sizes: np.ndarray | None = None  # (G,)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    vif_outer: np.ndarray | None = None  # (p,) VIF within each block
    vif_inner: np.ndarray | None = None  # (k, k) [j, i] VIF of predecessor j of LV i, else NaN
    f2: np.ndarray | None = None  # (k, k) [j, i] f² of the path j -> i, else NaN
    srmr: dict[str, float] = field(default_factory=dict)  # "saturated", "estimated"
    item_low: np.ndarray | None = None  # (p,) scale minimum of each item (0 for yes/no items)
    item_high: np.ndarray | None = None  # (p,) scale maximum of each item (1 for yes/no items)
    #: group label -> LV -> n, index, rest_index, diff, interval, p (see fit.compare_groups)
    group_comparison: dict[str, dict[str, dict[str, Any]]] | None = None

    # -- convenient views -----------------------------------------------
    @property
    def paths(self) -> dict[str, float]:
        """Path coefficients keyed "FROM->TO", in model order."""
        pos = {lv: i for i, lv in enumerate(self.lvs)}
        return {
            path_key(a, b): float(self.path_matrix[pos[a], pos[b]]) for a, b in self.model.paths
        }

    def effects(self) -> dict[str, dict[str, float]]:
        """direct / indirect / total effect for every pair joined by a chain of paths."""
        out = {}
        for i, a in enumerate(self.lvs):
            for j, b in enumerate(self.lvs):
                if i != j and (self.total_effect_matrix[i, j] != 0 or self.path_matrix[i, j] != 0):
                    out[path_key(a, b)] = {
                        "direct": float(self.path_matrix[i, j]),
                        "indirect": float(self.indirect_effect_matrix[i, j]),
                        "total": float(self.total_effect_matrix[i, j]),
                    }
        return out

    def total_effects_on(self, target: str) -> dict[str, float]:
        """Total effect of every LV with a chain of paths into ``target``."""
        j = self.lvs.index(target)
        return {
            lv: float(self.total_effect_matrix[i, j])
            for i, lv in enumerate(self.lvs)
            if i != j and self.total_effect_matrix[i, j] != 0
        }

    def _by_path(self, matrix: np.ndarray) -> dict[str, float]:
        pos = {lv: i for i, lv in enumerate(self.lvs)}
        return {path_key(a, b): matrix[pos[a], pos[b]] for a, b in self.model.paths}

    def _inner_vif(self) -> dict[str, dict[str, float]]:
        return {
            lv: {p: self.vif_inner[self.lvs.index(p), i] for p in self.model.predecessors(lv)}
            for i, lv in enumerate(self.lvs)
            if lv in set(self.model.endogenous)
        }

    def _by_indicator(self, values: np.ndarray) -> dict[str, float]:
        return dict(zip(self.indicators, values.tolist(), strict=True))

    def _by_lv(self, values: np.ndarray) -> dict[str, float]:
        return dict(zip(self.lvs, values.tolist(), strict=True))

    def _lv_matrix(
        self, values: np.ndarray, *, diagonal: bool = True
    ) -> dict[str, dict[str, float]]:
        return {
            a: {b: values[i, j] for j, b in enumerate(self.lvs) if diagonal or i != j}
            for i, a in enumerate(self.lvs)
        }

    # -- JSON -----------------------------------------------------------
    def to_dict(self, *, include_scores: bool = False) -> dict[str, Any]:
        """JSON-serialisable summary (NaN becomes null); scores only on request."""
        endo = [lv for lv in self.lvs if lv in set(self.model.endogenous)]
        pos = {lv: i for i, lv in enumerate(self.lvs)}
        rel = {
            lv: {name: self.reliability[name][i] for name in ("alpha", "rho_c", "rho_a", "ave")}
            for i, lv in enumerate(self.lvs)
        }
        out: dict[str, Any] = {
            "engine_version": ENGINE_VERSION,
            "model_hash": self.model.sha256(),
            "model": self.model.to_dict(),
            "settings": self.settings,
            "n": self.n,
            "n_rows": self.n_rows,
            "iterations": self.iterations,
            "converged": self.converged,
            "paths": self.paths,
            "effects": self.effects(),
            "r2": {lv: self.r2[pos[lv]] for lv in endo},
            "r2_adj": {lv: self.r2_adj[pos[lv]] for lv in endo},
            "weights": self._by_indicator(self.weights),
            "weights_unstd": self._by_indicator(self.weights_unstd),
            "loadings": self._by_indicator(self.loadings),
            "cross_loadings": {
                mv: self._by_lv(self.cross_loadings[j]) for j, mv in enumerate(self.indicators)
            },
            "lv_correlations": self._lv_matrix(self.lv_correlations),
            "reliability": rel,
            "fornell_larcker": self._lv_matrix(self.fornell_larcker),
            "htmt": self._lv_matrix(self.htmt, diagonal=False),
            "gof": self.gof,
            "vif": {
                "outer": self._by_indicator(self.vif_outer),
                "inner": self._inner_vif(),
            },
            "f2": self._by_path(self.f2),
            "srmr": dict(self.srmr),
            "binary": list(self.model.binary),
            "index": self._by_lv(self.index),
            "item_means": self._by_indicator(self.means),
            "item_sds": self._by_indicator(self.sds),
            "missing": {
                "method": self.settings["missing"],
                "share": self._by_indicator(self.missing_share),
                "rows_dropped": self.n_rows - self.n,
            },
            "warnings": self.warnings,
        }
        if self.group_index is not None:
            out["group_index"] = {
                label: self._by_lv(self.group_index[g]) for g, label in enumerate(self.group_labels)
            }
            out["group_n"] = dict(zip(self.group_labels, self.group_sizes.tolist(), strict=True))
        if self.group_comparison is not None:
            out["group_comparison"] = self.group_comparison
        if include_scores:
            out["scores"] = {lv: self.scores[:, i] for i, lv in enumerate(self.lvs)}
        return clean(out)
