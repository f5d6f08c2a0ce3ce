"""The public API: models, presets, data forms, missing values, results, bootstrap, IPA."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from manyi.measurement import (
    Model,
    bootstrap,
    fit,
    importance_performance,
    ipa_echarts_option,
    list_presets,
    load_model,
    load_preset,
    simulate,
)
from tests.measurement.measurement_cases import SMALL_LOADINGS, SMALL_MODEL

ROOT = Path(__file__).resolve().parents[2]


def test_engine_does_not_import_django():
    code = (
        "import sys, manyi.measurement, manyi.measurement.cli;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'pandas')];"
        "assert not bad, bad"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_presets_load_with_labels_that_do_not_change_the_model():
    assert {"china", "acsi", "ecsi"} <= set(list_presets())
    china = load_preset("china")
    assert china.lvs == ["IMAGE", "EXPECT", "QUALITY", "VALUE", "SAT", "LOYAL"]
    assert china.label("SAT") == "用户满意度"
    assert all(
        mv.startswith(("image", "expect", "quality", "value", "sat", "loyal"))
        for mv in china.indicators
    )
    assert load_preset("acsi").lvs == ["EXPECT", "QUALITY", "VALUE", "SAT", "COMPLAINT", "LOYAL"]
    assert load_preset("ecsi").lvs == ["IMAGE", "EXPECT", "QUALITY", "VALUE", "SAT", "LOYAL"]
    plain = china.to_dict(with_labels=False)
    assert Model.from_dict(plain).sha256() == china.sha256()
    assert load_model(china.to_dict()) == china
    assert load_model(json.dumps(plain)).sha256() == china.sha256()


def test_data_forms_give_the_same_fit(ecsi_data):
    model = load_preset("ecsi")
    a = fit(ecsi_data, model)
    X = np.column_stack([ecsi_data[mv] for mv in model.indicators])
    b = fit(X, model)
    shuffled = list(reversed(model.indicators)) + ["unused"]
    Y = np.column_stack([ecsi_data[mv] for mv in reversed(model.indicators)] + [np.zeros(len(X))])
    c = fit(Y, "ecsi", columns=shuffled)
    for other in (b, c):
        np.testing.assert_array_equal(a.weights, other.weights)
        np.testing.assert_array_equal(a.index, other.index)


def test_result_quantities_are_consistent(ecsi_data):
    result = fit(ecsi_data, "ecsi", tol=1e-12)
    S = result.scores
    assert S.shape == (500, 6)
    np.testing.assert_allclose(S.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(S.std(axis=0), 1, atol=1e-10)
    np.testing.assert_allclose(np.corrcoef(S, rowvar=False), result.lv_correlations, atol=1e-10)
    # path coefficients are the OLS coefficients on the LV scores; R² their fit
    pos = {lv: i for i, lv in enumerate(result.lvs)}
    for lv in result.model.endogenous:
        preds = [pos[p] for p in result.model.predecessors(lv)]
        coef, *_ = np.linalg.lstsq(S[:, preds], S[:, pos[lv]], rcond=None)
        np.testing.assert_allclose(result.path_matrix[preds, pos[lv]], coef, atol=1e-10)
        resid = S[:, pos[lv]] - S[:, preds] @ coef
        assert result.r2[pos[lv]] == pytest.approx(1 - resid.var(), abs=1e-10)
    # loadings are correlations of each indicator with its LV score
    X = np.column_stack([ecsi_data[mv] for mv in result.indicators])
    for j, mv in enumerate(result.indicators):
        lv = pos[next(b for b, mvs in result.model.blocks.items() if mv in mvs)]
        assert result.loadings[j] == pytest.approx(np.corrcoef(X[:, j], S[:, lv])[0, 1], abs=1e-10)
    # scores are the unstandardized weights applied to the centred data
    W = np.zeros((len(result.indicators), len(result.lvs)))
    for j, mv in enumerate(result.indicators):
        W[j, pos[next(b for b, mvs in result.model.blocks.items() if mv in mvs)]] = (
            result.weights_unstd[j]
        )
    np.testing.assert_allclose((X - X.mean(axis=0)) @ W, S, atol=1e-10)
    # effects: total = direct + indirect, and IMAGE -> SAT also runs through EXPECT
    effects = result.effects()
    for entry in effects.values():
        assert entry["total"] == pytest.approx(entry["direct"] + entry["indirect"])
    assert effects["IMAGE->SAT"]["indirect"] != 0
    assert effects["IMAGE->QUALITY"]["direct"] == 0
    # index by hand
    wn = result.weights_unstd / np.array([result.weights_unstd[[result.indicators.index(m) for m in mvs]].sum()
                                          for b, mvs in result.model.blocks.items() for m in mvs])  # fmt: skip
    level = {b: sum(wn[result.indicators.index(m)] * X[:, result.indicators.index(m)].mean() for m in mvs)
             for b, mvs in result.model.blocks.items()}  # fmt: skip
    for lv, value in level.items():
        assert result.index[pos[lv]] == pytest.approx(100 * (value - 1) / 9)
    # reliability details
    ave = result.reliability["ave"]
    np.testing.assert_allclose(np.diag(result.fornell_larcker), np.sqrt(ave))
    assert np.all(result.htmt[~np.eye(6, dtype=bool)] > 0)
    assert 0 < result.gof < 1
    doc = result.to_dict()
    json.dumps(doc, allow_nan=False)
    assert "scores" not in doc
    assert len(result.to_dict(include_scores=True)["scores"]["SAT"]) == 500


def test_missing_values_mean_and_casewise():
    sim = simulate("ecsi", 300, seed=8, missing_rate=0.05)
    model = load_preset("ecsi")
    X = sim.matrix()
    share = np.isnan(X).mean(axis=0)
    mean_fit = fit(sim.data, model, missing="mean")
    np.testing.assert_allclose(mean_fit.missing_share, share)
    filled = np.where(np.isnan(X), np.nanmean(X, axis=0), X)
    np.testing.assert_allclose(fit(filled, model).weights, mean_fit.weights, atol=1e-12)
    assert np.isnan(sim.data["sat1"]).any()  # the caller's data were not imputed in place
    case = fit(sim.data, model, missing="casewise")
    keep = ~np.isnan(X).any(axis=1)
    assert case.n == keep.sum()
    assert case.n_rows == 300
    np.testing.assert_allclose(fit(X[keep], model).weights, case.weights, atol=1e-12)
    assert case.to_dict()["missing"]["rows_dropped"] == 300 - keep.sum()


def test_group_index_uses_whole_sample_weights_on_group_means():
    sim = simulate("china", 600, seed=4, groups=3, missing_rate=0.02)
    model = load_preset("china")
    result = fit(sim.data, model, groups=sim.groups)
    X = sim.matrix()
    for g, label in enumerate(result.group_labels):
        rows = sim.groups == label
        means = np.nanmean(X[rows], axis=0)
        manual = fit(X, model)  # same weights
        wn = manual.weights_unstd.copy()
        for mvs in model.blocks.values():
            idx = [model.indicators.index(m) for m in mvs]
            wn[idx] /= wn[idx].sum()
        for k, (lv, mvs) in enumerate(model.blocks.items()):
            idx = [model.indicators.index(m) for m in mvs]
            assert result.group_index[g, k] == pytest.approx(
                100 * (wn[idx] @ means[idx] - 1) / 9
            ), (label, lv)
        assert result.group_sizes[g] == rows.sum()


def test_bootstrap_is_reproducible_and_equals_explicit_resampling():
    X = simulate(SMALL_MODEL, 150, seed=21, loadings=SMALL_LOADINGS).matrix()
    boot = bootstrap(X, SMALL_MODEL, resamples=30, seed=123, tol=1e-12)
    again = bootstrap(X, SMALL_MODEL, resamples=30, seed=123, tol=1e-12)
    for section in boot.draws:
        np.testing.assert_array_equal(boot.draws[section], again.draws[section])
    assert boot.failed == 0
    rng = np.random.Generator(np.random.PCG64(123))
    for r in range(30):
        idx = rng.integers(0, 150, 150)
        one = fit(X[idx], SMALL_MODEL, tol=1e-12)
        np.testing.assert_allclose(boot.draws["paths"][r], list(one.paths.values()), atol=1e-8)
        np.testing.assert_allclose(boot.draws["weights"][r], one.weights, atol=1e-8)
        np.testing.assert_allclose(boot.draws["index"][r], one.index, atol=1e-8)


def test_jackknife_with_one_row_per_group_is_leave_one_out():
    X = simulate(SMALL_MODEL, 40, seed=3, loadings=SMALL_LOADINGS).matrix()
    boot = bootstrap(X, SMALL_MODEL, resamples=20, seed=1, jackknife_groups=40, tol=1e-12)
    assert boot.jackknife_groups == 40
    loo = np.array(
        [
            list(fit(np.delete(X, i, axis=0), SMALL_MODEL, tol=1e-12).paths.values())
            for i in range(40)
        ]
    )
    # rows were assigned to groups in a random order: compare as sets of values
    np.testing.assert_allclose(
        np.sort(boot.jackknife["paths"], axis=0), np.sort(loo, axis=0), atol=1e-8
    )


def test_importance_performance_table_and_echarts_option(ecsi_data):
    result = fit(ecsi_data, "ecsi")
    rows = importance_performance(result)
    assert [r["lv"] for r in rows] == [
        "IMAGE",
        "EXPECT",
        "QUALITY",
        "VALUE",
    ]  # everything upstream of SAT
    effects = result.total_effects_on("SAT")
    for row in rows:
        assert row["importance"] == pytest.approx(effects[row["lv"]])
        assert row["performance"] == pytest.approx(result.index[result.lvs.index(row["lv"])])
        assert row["quadrant"] in {
            "concentrate_here",
            "keep_up",
            "low_priority",
            "possible_overkill",
        }
    option = ipa_echarts_option(result, labels={"IMAGE": "企业形象"})
    json.dumps(option, allow_nan=False)
    points = option["series"][0]["data"]
    assert points[0]["name"] == "企业形象"
    assert len(points) == 4
    assert option["xAxis"]["name"]
    assert option["yAxis"]["name"]
    assert importance_performance(result, "LOYAL")[-1]["lv"] == "SAT"
