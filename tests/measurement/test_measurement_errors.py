"""Every model that cannot be estimated fails with its ModelError code."""

from __future__ import annotations

import numpy as np
import pytest

from manyi.measurement import (
    ERROR_CODES,
    ModelError,
    bootstrap,
    fit,
    load_model,
    simulate,
    validate_model,
)

BASE = {
    "blocks": {"A": ["a1", "a2"], "B": ["b1", "b2"], "C": ["c1", "c2"]},
    "paths": [["A", "B"], ["B", "C"]],
}


@pytest.fixture
def data() -> dict[str, np.ndarray]:
    return simulate(BASE, 200, seed=1).data


def _code(excinfo) -> str:
    return excinfo.value.code


@pytest.mark.parametrize(
    ("model", "code"),
    [
        ({"blocks": {"A": [], "B": ["b1"]}, "paths": [["A", "B"]]}, "empty_block"),
        ({**BASE, "paths": [["A", "B"]]}, "isolated_lv"),
        ({**BASE, "paths": [["A", "B"], ["B", "C"], ["C", "A"]]}, "cyclic_model"),
        ({**BASE, "paths": [["A", "A"], ["B", "C"]]}, "cyclic_model"),
        ({**BASE, "paths": [["A", "B"], ["B", "Q"]]}, "unknown_lv"),
        ({**BASE, "modes": {"A": "C"}}, "invalid_mode"),
        ({**BASE, "modes": {"Q": "A"}}, "unknown_lv"),
        ({"blocks": {"A": ["a1"], "B": ["a1"]}, "paths": [["A", "B"]]}, "duplicate_indicator"),
        ({"blocks": ["A"], "paths": []}, "invalid_model"),
        ({"blocks": {"A": ["a1"]}}, "invalid_model"),
        ({**BASE, "extra_key": 1}, "invalid_model"),
        ("no_such_preset", "unknown_preset"),
    ],
)
def test_structural_errors(model, code):
    with pytest.raises(ModelError) as excinfo:
        load_model(model)
    assert _code(excinfo) == code
    assert code in ERROR_CODES


def test_unknown_indicator_lists_all_missing(data):
    model = {**BASE, "blocks": {**BASE["blocks"], "C": ["c1", "c9", "c8"]}}
    with pytest.raises(ModelError) as excinfo:
        fit(data, model)
    assert _code(excinfo) == "unknown_indicator"
    assert excinfo.value.details["indicators"] == ["c9", "c8"]
    with pytest.raises(ModelError):
        validate_model(model, list(data))


def test_constant_indicator(data):
    data["b2"] = np.full_like(data["b2"], 7.0)
    with pytest.raises(ModelError) as excinfo:
        fit(data, BASE)
    assert _code(excinfo) == "constant_indicator"
    assert excinfo.value.details["indicators"] == ["b2"]


def test_indicator_without_observed_values(data):
    data["a1"] = np.full_like(data["a1"], np.nan)
    with pytest.raises(ModelError) as excinfo:
        fit(data, BASE)
    assert _code(excinfo) == "constant_indicator"


def test_not_converged(data):
    with pytest.raises(ModelError) as excinfo:
        fit(data, BASE, max_iter=1, tol=1e-15)
    assert _code(excinfo) == "not_converged"


def test_singular_mode_b_block(data):
    data["a2"] = 2 * data["a1"] + 1  # perfectly collinear formative indicators
    with pytest.raises(ModelError) as excinfo:
        fit(data, {**BASE, "modes": {"A": "B"}})
    assert _code(excinfo) == "singular"
    assert excinfo.value.details["lvs"] == ["A"]
    fit(data, BASE)  # Mode A copes with collinear indicators


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"scheme": "magic"}, "invalid_option"),
        ({"scaling": "log"}, "invalid_option"),
        ({"missing": "pairwise"}, "invalid_option"),
        ({"scale_min": 10, "scale_max": 1}, "invalid_option"),
        ({"tol": 0}, "invalid_option"),
        ({"groups": ["g1", "g2"]}, "invalid_groups"),
    ],
)
def test_bad_options(data, kwargs, code):
    with pytest.raises(ModelError) as excinfo:
        fit(data, BASE, **kwargs)
    assert _code(excinfo) == code


def test_bad_data():
    with pytest.raises(ModelError) as excinfo:
        fit(np.ones((10, 3)), BASE)
    assert _code(excinfo) == "invalid_data"
    X = simulate(BASE, 50, seed=2).matrix()
    X[3, 2] = np.inf
    with pytest.raises(ModelError) as excinfo:
        fit(X, BASE)
    assert _code(excinfo) == "invalid_data"
    with pytest.raises(ModelError) as excinfo:
        fit(
            {
                "a1": ["x"] * 5,
                "a2": [1] * 5,
                "b1": [1] * 5,
                "b2": [1] * 5,
                "c1": [1] * 5,
                "c2": [1] * 5,
            },
            BASE,
        )
    assert _code(excinfo) == "invalid_data"


def test_too_few_observations():
    X = simulate(BASE, 10, seed=3).matrix()
    X[2:, 0] = np.nan
    with pytest.raises(ModelError) as excinfo:
        fit(X, BASE, missing="casewise")
    assert _code(excinfo) == "too_few_observations"


def test_bootstrap_counts_failed_resamples_instead_of_dropping_them():
    """A rare answer makes some resamples constant: counted, reported, left out."""
    X = simulate(BASE, 40, seed=4).matrix()
    X[:, 0] = 5.0
    X[0, 0] = 6.0  # a1 varies only through row 0: resamples without it are constant
    boot = bootstrap(X, BASE, resamples=200, seed=9)
    assert boot.failures.get("constant_indicator", 0) > 20
    assert boot.failed == sum(boot.failures.values())
    assert boot.draws["paths"].shape[0] == 200 - boot.failed
    doc = boot.to_dict()
    assert doc["failed"] == boot.failed
    assert doc["failures"] == boot.failures


def test_error_carries_code_message_and_details():
    err = ModelError("empty_block", "latent variable 'A' has no indicators", lv="A")
    assert isinstance(err, ValueError)
    assert err.to_dict() == {"code": "empty_block", "message": err.message, "details": {"lv": "A"}}
    with pytest.raises(KeyError):
        ModelError("no_such_code", "x")
