"""Properties that must hold for any data (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from manyi.measurement import fit, simulate
from tests.measurement.measurement_cases import SMALL_LOADINGS, SMALL_MODEL

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCHEMES = st.sampled_from(["path", "centroid", "factorial"])
SEEDS = st.integers(min_value=0, max_value=2**31 - 1)


def _data(seed: int, n: int = 120, **kwargs) -> np.ndarray:
    sim = simulate(SMALL_MODEL, n, seed=seed, loadings=SMALL_LOADINGS, **kwargs)
    return sim.matrix()


def _same(a, b, tol=1e-9):
    np.testing.assert_allclose(a.weights, b.weights, atol=tol)
    np.testing.assert_allclose(a.loadings, b.loadings, atol=tol)
    np.testing.assert_allclose(a.path_matrix, b.path_matrix, atol=tol)
    np.testing.assert_allclose(a.r2, b.r2, atol=tol)


@FAST
@given(seed=SEEDS, scheme=SCHEMES, scaling=st.sampled_from(["standardized", "raw"]))
def test_row_order_does_not_matter(seed, scheme, scaling):
    X = _data(seed)
    order = np.random.default_rng(seed).permutation(X.shape[0])
    a = fit(X, SMALL_MODEL, scheme=scheme, scaling=scaling, tol=1e-12)
    b = fit(X[order], SMALL_MODEL, scheme=scheme, scaling=scaling, tol=1e-12)
    _same(a, b)
    np.testing.assert_allclose(a.index, b.index, atol=1e-9)
    np.testing.assert_allclose(a.scores[order], b.scores, atol=1e-8)


@FAST
@given(
    seed=SEEDS,
    scheme=SCHEMES,
    column=st.integers(min_value=0, max_value=10),
    factor=st.floats(min_value=1e-3, max_value=1e3),
    shift=st.floats(min_value=-1e3, max_value=1e3),
)
def test_standardized_fit_ignores_indicator_units(seed, scheme, column, factor, shift):
    X = _data(seed, discrete=False)
    Y = X.copy()
    Y[:, column] = Y[:, column] * factor + shift
    a = fit(X, SMALL_MODEL, scheme=scheme, tol=1e-12)
    b = fit(Y, SMALL_MODEL, scheme=scheme, tol=1e-12)
    _same(a, b, tol=1e-7)
    # the unstandardized weight of the rescaled indicator carries the unit change
    assert np.isclose(b.weights_unstd[column] * factor, a.weights_unstd[column], rtol=1e-6)


@FAST
@given(
    seed=SEEDS,
    scale=st.sampled_from([(1, 5), (1, 7), (0, 10), (1, 10), (1, 100)]),
    scheme=SCHEMES,
)
def test_index_lies_within_0_100_for_answers_within_the_scale(seed, scale, scheme):
    lo, hi = scale
    X = simulate(
        SMALL_MODEL, 80, seed=seed, scale_min=lo, scale_max=hi, loadings=SMALL_LOADINGS
    ).matrix()
    assert X.min() >= lo
    assert X.max() <= hi
    result = fit(X, SMALL_MODEL, scheme=scheme, scale_min=lo, scale_max=hi)
    negative = result.weights_unstd < 0
    assert bool(negative.any()) == bool(result.warnings)
    assume(not negative.any())  # a negative weight is warned about, not hidden
    assert np.all((result.index >= -1e-9) & (result.index <= 100 + 1e-9))


@FAST
@given(
    seed=SEEDS,
    scheme=SCHEMES,
    scaling=st.sampled_from(["standardized", "raw"]),
    lo=st.integers(0, 3),
)
def test_single_indicator_block_has_unit_weight_and_loading(seed, scheme, scaling, lo):
    hi = lo + 9
    X = simulate(
        SMALL_MODEL, 100, seed=seed, scale_min=lo, scale_max=hi, loadings=SMALL_LOADINGS
    ).matrix()
    result = fit(X, SMALL_MODEL, scheme=scheme, scaling=scaling, scale_min=lo, scale_max=hi)
    j = result.indicators.index("s1")
    k = result.lvs.index("S")
    assert np.isclose(result.weights[j], 1.0)
    assert np.isclose(result.loadings[j], 1.0)
    assert np.isclose(result.index[k], 100 * (X[:, j].mean() - lo) / (hi - lo))
