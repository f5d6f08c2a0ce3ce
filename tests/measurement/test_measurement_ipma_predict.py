"""IPMA, impact and PLSpredict against straightforward re-computations."""

from __future__ import annotations

import numpy as np
import pytest

from manyi.measurement import ModelError, fit, impact, ipma, pls_predict, simulate
from manyi.measurement.presets import preset_dict
from tests.measurement.measurement_cases import SMALL_LOADINGS, SMALL_MODEL


def _scores_0_100(result, data) -> dict[str, np.ndarray]:
    """Each respondent's 0–100 LV score, by hand: weights on the items rescaled to 0–100."""
    out = {}
    for lv, mvs in result.model.blocks.items():
        rows = [result.indicators.index(mv) for mv in mvs]
        low = np.array([0.0 if mv in result.model.binary else 1.0 for mv in mvs])
        span = np.array([1.0 if mv in result.model.binary else 9.0 for mv in mvs])
        v = result.weights_unstd[rows] * span
        items = np.column_stack(
            [100 * (data[mv] - lo) / s for mv, lo, s in zip(mvs, low, span, strict=True)]
        )
        out[lv] = items @ (v / v.sum())
    return out


def _unstandardized_total_effects_by_ols(result, data) -> dict[tuple[str, str], float]:
    """OLS of each endogenous 0–100 score on its predecessors' scores, then B + B² + …"""
    scores = _scores_0_100(result, data)
    lvs = result.lvs
    k = len(lvs)
    B = np.zeros((k, k))
    for i, lv in enumerate(lvs):
        preds = result.model.predecessors(lv)
        if not preds:
            continue
        A = np.column_stack([np.ones(len(scores[lv]))] + [scores[p] for p in preds])
        coef = np.linalg.lstsq(A, scores[lv], rcond=None)[0][1:]
        for p, c in zip(preds, coef, strict=True):
            B[lvs.index(p), i] = c
    total, power = np.zeros_like(B), B.copy()
    while np.abs(power).sum() > 0:
        total += power
        power = power @ B
    return {(a, b): total[i, j] for i, a in enumerate(lvs) for j, b in enumerate(lvs)}


@pytest.fixture(scope="module")
def acsi_fit():
    sim = simulate("acsi", 800, seed=17)
    return sim, fit(sim.data, "acsi", tol=1e-12)


def test_ipma_importance_is_the_ols_effect_on_0_100_scores(acsi_fit):
    sim, result = acsi_fit
    effects = _unstandardized_total_effects_by_ols(result, sim.data)
    table = ipma(result)
    assert table["target"] == "SAT"
    assert [row["lv"] for row in table["constructs"]] == ["QUALITY", "VALUE"]  # the drivers
    for row in table["constructs"]:
        assert row["importance"] == pytest.approx(effects[(row["lv"], "SAT")], rel=1e-8)
        assert row["performance"] == pytest.approx(result.index[result.lvs.index(row["lv"])])
    # an indicator's importance: its normalised weight on the rescaled item × its LV's effect
    rows = {row["indicator"]: row for row in table["indicators"]}
    assert list(rows) == ["quality1", "quality2", "quality3", "value1", "value2"]
    for lv in ("QUALITY", "VALUE"):
        mvs = result.model.blocks[lv]
        w = result.weights_unstd[[result.indicators.index(m) for m in mvs]]
        for mv, wn in zip(mvs, w / w.sum(), strict=True):
            assert rows[mv]["importance"] == pytest.approx(wn * effects[(lv, "SAT")], rel=1e-8)
            assert rows[mv]["performance"] == pytest.approx(100 * (np.mean(sim.data[mv]) - 1) / 9)
    mean_i = np.mean([r["importance"] for r in table["constructs"]])
    assert table["mean_importance"] == pytest.approx(mean_i)
    for row in table["constructs"] + table["indicators"]:
        assert row["quadrant"] in {
            "concentrate_here",
            "keep_up",
            "low_priority",
            "possible_overkill",
        }


def test_impact_is_five_points_times_the_unstandardized_effect(acsi_fit):
    sim, result = acsi_fit
    effects = _unstandardized_total_effects_by_ols(result, sim.data)
    out = impact(result)
    assert out["points"] == 5
    assert set(out["targets"]) == {"SAT", "LOYAL"}
    for target, row in out["targets"].items():
        assert set(row) == {"QUALITY", "VALUE"}
        for lv, value in row.items():
            assert value == pytest.approx(5 * effects[(lv, target)], rel=1e-8)
    assert impact(result, points=1)["targets"]["SAT"]["QUALITY"] == pytest.approx(
        out["targets"]["SAT"]["QUALITY"] / 5
    )


def test_default_drivers_leave_out_exogenous_lvs():
    spec = {k: v for k, v in preset_dict("china").items() if k != "drivers"}
    sim = simulate(spec, 400, seed=2)
    result = fit(sim.data, spec)
    assert [row["lv"] for row in ipma(result)["constructs"]] == ["EXPECT", "QUALITY", "VALUE"]
    assert [row["lv"] for row in ipma(fit(sim.data, "china"))["constructs"]] == [
        "IMAGE",
        "QUALITY",
        "VALUE",
    ]
    assert list(impact(result)["targets"]["LOYAL"]) == ["EXPECT", "QUALITY", "VALUE", "SAT"]
    with pytest.raises(ModelError) as err:
        ipma(result, "NOPE")
    assert err.value.code == "unknown_lv"
    with pytest.raises(ModelError) as err:
        ipma(result, "EXPECT")  # only IMAGE, exogenous, acts on it
    assert err.value.code == "invalid_option"


# -- PLSpredict ---------------------------------------------------------------------


def _predict_by_loop(X: np.ndarray, model: dict, folds: int, seed: int, scaling: str):
    """Fold by fold with fit() on the training rows and explicit formulas for the rest."""
    order = np.random.Generator(np.random.PCG64(seed)).permutation(len(X))
    fold_of = np.empty(len(X), dtype=int)
    fold_of[order] = np.arange(len(X)) % folds
    lvs = list(model["blocks"])
    indicators = [mv for mvs in model["blocks"].values() for mv in mvs]
    targets = {b for _, b in model["paths"]}
    exo = [i for i, lv in enumerate(lvs) if lv not in targets]
    endo = [i for i, lv in enumerate(lvs) if lv in targets]
    block_of = [lvs.index(lv) for lv, mvs in model["blocks"].items() for _ in mvs]
    y_cols = [j for j, b in enumerate(block_of) if b in endo]
    x_cols = [j for j, b in enumerate(block_of) if b in exo]
    pred, lm, naive = (np.zeros((len(X), len(y_cols))) for _ in range(3))
    eta, eta_hat = np.zeros((len(X), len(endo))), np.zeros((len(X), len(endo)))
    for f in range(folds):
        train, test = X[fold_of != f], X[fold_of == f]
        result = fit(train, model, tol=1e-12, scaling=scaling)
        m, sd = train.mean(axis=0), train.std(axis=0)
        W = np.zeros((len(indicators), len(lvs)))
        W[np.arange(len(indicators)), block_of] = result.weights_unstd
        scores = (test - m) @ W
        T = result.total_effect_matrix
        h = scores[:, exo] @ T[np.ix_(exo, endo)]
        eta[fold_of == f], eta_hat[fold_of == f] = scores[:, endo], h
        for c, j in enumerate(y_cols):
            pred[fold_of == f, c] = (
                m[j] + sd[j] * result.loadings[j] * h[:, endo.index(block_of[j])]
            )
            A = np.column_stack([np.ones(len(train)), train[:, x_cols]])
            beta = np.linalg.lstsq(A, train[:, j], rcond=None)[0]
            lm[fold_of == f, c] = np.column_stack([np.ones(len(test)), test[:, x_cols]]) @ beta
            naive[fold_of == f, c] = m[j]
    Y = X[:, y_cols]
    return {
        "indicators": {
            indicators[j]: {
                "q2": 1
                - ((Y[:, c] - pred[:, c]) ** 2).sum() / ((Y[:, c] - naive[:, c]) ** 2).sum(),
                "rmse": np.sqrt(np.mean((Y[:, c] - pred[:, c]) ** 2)),
                "mae": np.mean(np.abs(Y[:, c] - pred[:, c])),
                "lm_rmse": np.sqrt(np.mean((Y[:, c] - lm[:, c]) ** 2)),
                "lm_mae": np.mean(np.abs(Y[:, c] - lm[:, c])),
            }
            for c, j in enumerate(y_cols)
        },
        "lvs": {
            lvs[i]: {"q2": 1 - ((eta[:, c] - eta_hat[:, c]) ** 2).sum() / (eta[:, c] ** 2).sum()}
            for c, i in enumerate(endo)
        },  # fmt: skip
    }


@pytest.mark.parametrize("scaling", ["standardized", "raw"])
def test_pls_predict_matches_a_fold_by_fold_loop(scaling):
    X = simulate(SMALL_MODEL, 240, seed=8, loadings=SMALL_LOADINGS).matrix()
    X[:, 3] *= 4.0  # one column in other units, so that raw and standardized differ
    ours = pls_predict(X, SMALL_MODEL, folds=7, seed=3, tol=1e-12, scaling=scaling)
    theirs = _predict_by_loop(X, SMALL_MODEL, folds=7, seed=3, scaling=scaling)
    assert ours["folds"] == 7
    assert ours["seed"] == 3
    assert list(ours["indicators"]) == ["m1", "m2", "m3", "m4", "y1", "y2", "y3", "s1"]
    for mv, row in theirs["indicators"].items():
        for key, value in row.items():
            assert ours["indicators"][mv][key] == pytest.approx(value, rel=1e-8, abs=1e-10), (
                mv,
                key,
            )
    for lv, row in theirs["lvs"].items():
        assert ours["lvs"][lv]["q2"] == pytest.approx(row["q2"], rel=1e-8), lv
    # the structure predicts: M and Y are well above the naive benchmark
    assert ours["lvs"]["M"]["q2"] > 0.1
    assert ours["indicators"]["m1"]["q2"] > 0.1


def test_pls_predict_is_seeded_and_checks_its_options():
    sim = simulate("acsi", 300, seed=4, missing_rate=0.02)
    a = pls_predict(sim.data, "acsi", seed=5)
    assert a == pls_predict(sim.data, "acsi", seed=5)
    assert a != pls_predict(sim.data, "acsi", seed=6)
    assert a["folds"] == 10
    assert set(a["lvs"]) == {"QUALITY", "VALUE", "SAT", "COMPLAINT", "LOYAL"}
    assert "expect1" not in a["indicators"]  # exogenous indicators are the predictors
    assert a["n"] == 300
    assert pls_predict(sim.data, "acsi", missing="casewise")["n"] < 300
    for folds in (1, 301):
        with pytest.raises(ModelError) as err:
            pls_predict(sim.data, "acsi", folds=folds)
        assert err.value.code == "invalid_option"
