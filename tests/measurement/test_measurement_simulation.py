"""Recovery of a known population, and bootstrap coverage.

The population is a composite model (see manyi.measurement.simulate), for
which PLS is consistent: the exact population covariance gives back the
generating paths, loadings and weights, and large samples come close to them.
"""

from __future__ import annotations

import numpy as np
import pytest

from manyi.measurement import bootstrap, fit, pls, population, simulate
from tests.measurement.measurement_cases import SMALL_LOADINGS, SMALL_PATHS


def _as_vector(mapping: dict, keys: list[str]) -> np.ndarray:
    return np.array([mapping[k] for k in keys])


@pytest.mark.parametrize("scheme", pls.SCHEMES)
def test_population_covariance_gives_back_the_generating_values(small_model, scheme):
    pop = population(small_model, paths=SMALL_PATHS, loadings=SMALL_LOADINGS, kind="composite")
    st = pls.compile_structure(pop.model)
    bf = pls.estimate(pop.covariance[None], st, scheme=scheme, tol=1e-14, max_iter=1000)
    assert bf.status[0] == pls.STATUS_OK
    assert bf.iterations[0] >= 2  # unequal loadings: the equal starting weights are not the answer
    indicators = pop.model.indicators
    np.testing.assert_allclose(
        bf.weight_vector()[0], _as_vector(pop.weights, indicators), atol=1e-10
    )
    np.testing.assert_allclose(bf.loadings[0], _as_vector(pop.loadings, indicators), atol=1e-10)
    pos = {lv: i for i, lv in enumerate(st.lvs)}
    for a, b in pop.model.paths:
        assert bf.paths[0, pos[a], pos[b]] == pytest.approx(SMALL_PATHS[f"{a}->{b}"], abs=1e-10)


def test_large_sample_recovers_population_within_sampling_error(small_model):
    sim = simulate(small_model, 40_000, seed=2024, paths=SMALL_PATHS, loadings=SMALL_LOADINGS,
                   kind="composite", discrete=False)  # fmt: skip
    result = fit(sim.data, small_model, tol=1e-10)
    pop = sim.population
    # standard errors at n = 40 000 are about 0.005; allow four of them
    for key, value in result.paths.items():
        assert value == pytest.approx(pop.paths[key], abs=0.02), key
    np.testing.assert_allclose(
        result.loadings, _as_vector(pop.loadings, result.indicators), atol=0.02
    )
    np.testing.assert_allclose(
        result.weights, _as_vector(pop.weights, result.indicators), atol=0.03
    )


def test_factor_population_shows_the_known_pls_bias(small_model):
    """With common-factor data PLS overstates loadings and understates paths."""
    model = {**small_model, "modes": {}}
    sim = simulate(
        model, 40_000, seed=7, paths=SMALL_PATHS, loadings=SMALL_LOADINGS, discrete=False
    )
    result = fit(sim.data, model)
    assert result.paths["X->M"] < SMALL_PATHS["X->M"] - 0.02
    m_rows = [result.indicators.index(mv) for mv in model["blocks"]["M"]]
    true = _as_vector(SMALL_LOADINGS, model["blocks"]["M"])
    assert np.mean(result.loadings[m_rows]) > np.mean(true) + 0.02


COVERAGE_MODEL = {
    "blocks": {"A": ["a1", "a2", "a3"], "B": ["b1", "b2", "b3"], "C": ["c1", "c2", "c3"]},
    "paths": [["A", "B"], ["A", "C"], ["B", "C"]],
}
COVERAGE_PATHS = {"A->B": 0.5, "A->C": 0.25, "B->C": 0.4}


@pytest.mark.slow
def test_bootstrap_intervals_cover_at_about_nominal_rate():
    """200 samples of n = 300, 199 resamples each: 95 % intervals cover ~95 %."""
    loadings = {"a1": 0.85, "a2": 0.75, "a3": 0.65, "b1": 0.8, "b2": 0.8, "b3": 0.7,
                "c1": 0.9, "c2": 0.7, "c3": 0.6}  # fmt: skip
    replications = 200
    covered = {"percentile": np.zeros(3), "bca": np.zeros(3)}
    keys = list(COVERAGE_PATHS)
    truth = np.array([COVERAGE_PATHS[k] for k in keys])
    for rep in range(replications):
        sim = simulate(COVERAGE_MODEL, 300, seed=10_000 + rep, paths=COVERAGE_PATHS, loadings=loadings,
                       kind="composite", discrete=False)  # fmt: skip
        boot = bootstrap(sim.data, COVERAGE_MODEL, resamples=199, seed=rep, jackknife_groups=100)
        table = boot.to_dict()["paths"]
        assert boot.failed == 0
        for method in covered:
            lo = np.array([table[k][method][0] for k in keys])
            hi = np.array([table[k][method][1] for k in keys])
            covered[method] += (lo <= truth) & (truth <= hi)
    for method, hits in covered.items():
        rate = hits / replications
        print(method, rate)
        assert np.all((rate >= 0.88) & (rate <= 0.99)), (method, rate)
