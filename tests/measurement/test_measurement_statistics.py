"""VIF, f², SRMR, HTMT, yes/no items and group comparisons, each against an
independent computation on the same data (plain numpy loops, scipy,
statsmodels through the plspm venv)."""

from __future__ import annotations

import json
import subprocess
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from manyi.measurement import Model, ModelError, fit, load_preset, simulate
from manyi.measurement.presets import preset_dict
from manyi.measurement.quality import htmt_batch
from tests.measurement.measurement_cases import SMALL_LOADINGS, SMALL_MODEL

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_PYTHON = ROOT / ".venv-plspm" / "bin" / "python"
STATSMODELS_SCRIPT = ROOT / "scripts" / "statsmodels_reference.py"

#: model hashes computed by engine 1.0.0: models without yes/no items keep them
HASHES_1_0 = {
    "china": "82859837ee6e1321787bf79ef86591f88a10e90600545975a9cfff033a5d9ee4",
    "ecsi": "d6973017f93ecbb609fd3e901071826948931ef98ab7de443cb73f6e4ebc7ecd",
    "small": "6e4cc76c900f6df4afba6bf48ce51f0ba1dfeec148aa518f148827e1489891f5",
}


def _matrix(result, data) -> np.ndarray:
    return np.column_stack([data[mv] for mv in result.indicators])


def _block_rows(result) -> dict[str, list[int]]:
    return {
        lv: [result.indicators.index(mv) for mv in mvs] for lv, mvs in result.model.blocks.items()
    }


# -- model keys --------------------------------------------------------------


def test_binary_and_drivers_are_validated_and_kept_in_the_json(small_model):
    spec = {**small_model, "binary": ["s1"], "drivers": ["M"]}
    model = Model.from_dict(spec)
    assert model.binary == ("s1",)
    assert model.drivers == ("M",)
    assert model.to_dict()["binary"] == ["s1"]
    assert model.to_dict()["drivers"] == ["M"]
    assert Model.from_dict(model.to_dict()) == model
    assert model.binary_lvs() == ["S"]
    with pytest.raises(ModelError) as err:
        Model.from_dict({**small_model, "binary": ["nope"]})
    assert err.value.code == "invalid_model"
    assert err.value.details["indicators"] == ["nope"]
    with pytest.raises(ModelError) as err:
        Model.from_dict({**small_model, "binary": "s1"})
    assert err.value.code == "invalid_model"
    with pytest.raises(ModelError) as err:
        Model.from_dict({**small_model, "drivers": ["NOPE"]})
    assert err.value.code == "unknown_lv"


def test_hash_changes_with_binary_items_only(small_model):
    plain = Model.from_dict(small_model)
    with_drivers = Model.from_dict({**small_model, "drivers": ["M"]})
    with_binary = Model.from_dict({**small_model, "binary": ["s1"]})
    assert "binary" not in plain.to_dict()
    assert "drivers" not in plain.to_dict()
    assert with_drivers.sha256() == plain.sha256()  # drivers change no estimate
    assert with_binary.sha256() != plain.sha256()
    # the order in which yes/no items are listed does not matter
    two = {**small_model, "binary": ["s1", "x1"]}
    assert (
        Model.from_dict(two).sha256() == Model.from_dict({**two, "binary": ["x1", "s1"]}).sha256()
    )


def test_presets_keep_their_hash_unless_they_have_yes_no_items():
    assert Model.from_dict(SMALL_MODEL).sha256() == HASHES_1_0["small"]
    assert load_preset("china").sha256() == HASHES_1_0["china"]
    assert load_preset("ecsi").sha256() == HASHES_1_0["ecsi"]
    china = load_preset("china")
    assert china.drivers == ("IMAGE", "QUALITY", "VALUE")
    without = {k: v for k, v in preset_dict("china").items() if k != "drivers"}
    assert Model.from_dict(without).sha256() == china.sha256()
    assert load_preset("acsi").binary == ("complaint1",)
    assert load_preset("ecsi7").binary == ("complaint1", "complaint2")
    assert load_preset("acsi").drivers == ("QUALITY", "VALUE")
    assert load_preset("ecsi").drivers == ("IMAGE", "QUALITY", "VALUE")


# -- yes/no items --------------------------------------------------------------


def test_yes_no_item_with_another_value_is_refused():
    sim = simulate("acsi", 200, seed=1)
    data = dict(sim.data)
    data["complaint1"] = data["complaint1"].copy()
    data["complaint1"][5] = 2.0
    with pytest.raises(ModelError) as err:
        fit(data, "acsi")
    assert err.value.code == "invalid_data"
    assert err.value.details == {"indicators": ["complaint1"]}
    assert "0 (no) or 1 (yes)" in err.value.message
    data["complaint1"][5] = np.nan  # a missing answer is fine
    assert fit(data, "acsi").n == 200


def test_simulate_draws_yes_no_items_at_the_preset_rate():
    sim = simulate("ecsi7", 20_000, seed=3)
    for mv, rate in (("complaint1", 0.15), ("complaint2", 0.06)):
        values = sim.data[mv]
        assert set(np.unique(values)) == {0.0, 1.0}
        assert values.mean() == pytest.approx(rate, abs=0.01)
    # complaints fall as satisfaction rises (the preset's SAT -> COMPLAINT is negative)
    assert np.corrcoef(sim.data["complaint1"], sim.data["sat1"])[0, 1] < -0.05


def test_complaint_index_is_the_complaint_rate():
    sim = simulate("acsi", 500, seed=2, missing_rate=0.02)
    result = fit(sim.data, "acsi")
    answered = sim.data["complaint1"][~np.isnan(sim.data["complaint1"])]
    rate = 100 * answered.sum() / answered.size
    assert result.index[result.lvs.index("COMPLAINT")] == pytest.approx(rate, abs=1e-10)
    assert result.to_dict()["binary"] == ["complaint1"]
    # the 1–10 blocks are indexed exactly as before
    sat = [result.indicators.index(m) for m in result.model.blocks["SAT"]]
    wn = result.weights_unstd[sat] / result.weights_unstd[sat].sum()
    means = np.nanmean(_matrix(result, sim.data)[:, sat], axis=0)
    assert result.index[result.lvs.index("SAT")] == pytest.approx(100 * (wn @ means - 1) / 9)


def test_mixed_block_weights_apply_to_items_rescaled_to_0_100():
    spec = {
        "blocks": {"Q": ["q1", "q2"], "C": ["c1", "c2"], "Y": ["y1", "y2"]},
        "paths": [["Q", "Y"], ["C", "Y"]],
        "binary": ["c2"],
    }
    rng = np.random.default_rng(4)
    base = rng.normal(size=(300, 1))
    data = {f"{b}{i}": np.clip(np.rint(7 + 1.5 * base[:, 0] + rng.normal(size=300)), 1, 10)
            for b in "qcy" for i in (1, 2)}  # fmt: skip
    data["c2"] = (base[:, 0] + rng.normal(size=300) > 0.5).astype(float)
    result = fit(data, spec, scale_min=1, scale_max=10)
    c1, c2 = result.indicators.index("c1"), result.indicators.index("c2")
    v = np.array([result.weights_unstd[c1] * 9, result.weights_unstd[c2] * 1])
    v /= v.sum()
    expected = v @ [100 * (data["c1"].mean() - 1) / 9, 100 * data["c2"].mean()]
    assert result.index[result.lvs.index("C")] == pytest.approx(expected, abs=1e-10)


# -- VIF -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_fit():
    sim = simulate(SMALL_MODEL, 400, seed=9, loadings=SMALL_LOADINGS)
    return sim, fit(sim.data, SMALL_MODEL, tol=1e-12)


def test_vif_equals_one_over_one_minus_r2_of_auxiliary_regressions(small_fit):
    sim, result = small_fit
    X = _matrix(result, sim.data)
    for lv, rows in _block_rows(result).items():
        for j in rows:
            others = [r for r in rows if r != j]
            if not others:
                assert result.vif_outer[j] == 1.0
                continue
            A = np.column_stack([np.ones(len(X)), X[:, others]])
            resid = X[:, j] - A @ np.linalg.lstsq(A, X[:, j], rcond=None)[0]
            r2 = 1 - resid.var() / X[:, j].var()
            assert result.vif_outer[j] == pytest.approx(1 / (1 - r2), rel=1e-9), (lv, j)
    inner = result.to_dict()["vif"]["inner"]
    assert inner["M"] == {"X": pytest.approx(1.0)}
    r = np.corrcoef(result.scores[:, [0, 1]], rowvar=False)[0, 1]
    assert inner["Y"]["X"] == pytest.approx(1 / (1 - r**2), rel=1e-9)
    assert inner["Y"]["M"] == pytest.approx(1 / (1 - r**2), rel=1e-9)


@pytest.mark.slow
def test_vif_matches_statsmodels(tmp_path):
    if not REFERENCE_PYTHON.exists():
        pytest.skip(f"{REFERENCE_PYTHON} is missing (make plspm-env): statsmodels cross-check")
    sim = simulate("ecsi7", 500, seed=12)
    result = fit(sim.data, "ecsi7", tol=1e-12)
    np.save(tmp_path / "items.npy", _matrix(result, sim.data))
    np.save(tmp_path / "scores.npy", result.scores)
    outer_sets = {
        lv: [str(j) for j in rows] for lv, rows in _block_rows(result).items() if len(rows) > 1
    }
    pos = {lv: i for i, lv in enumerate(result.lvs)}
    inner_sets = {lv: [str(pos[p]) for p in result.model.predecessors(lv)]
                  for lv in result.model.endogenous if len(result.model.predecessors(lv)) > 1}  # fmt: skip
    jobs = [{"data": str(tmp_path / "items.npy"), "sets": outer_sets},
            {"data": str(tmp_path / "scores.npy"), "sets": inner_sets}]  # fmt: skip
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    proc = subprocess.run([str(REFERENCE_PYTHON), str(STATSMODELS_SCRIPT), "--jobs", str(tmp_path / "jobs.json")],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    outer_ref, inner_ref = json.loads(proc.stdout)
    checked = 0
    for lv, vifs in outer_ref.items():
        for column, value in vifs.items():
            assert result.vif_outer[int(column)] == pytest.approx(value, rel=1e-8), lv
            checked += 1
    assert checked == 24  # every indicator: all seven blocks have two or more
    ours = result.to_dict()["vif"]["inner"]
    for lv, vifs in inner_ref.items():
        for column, value in vifs.items():
            assert ours[lv][result.lvs[int(column)]] == pytest.approx(value, rel=1e-8), lv
    assert set(inner_ref) == {"SAT", "VALUE", "LOYAL"}


# -- f² ----------------------------------------------------------------------------


def _r2(y: np.ndarray, X: np.ndarray) -> float:
    if X.shape[1] == 0:
        return 0.0
    A = np.column_stack([np.ones(len(y)), X])
    resid = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
    return 1 - resid.var() / y.var()


def test_f2_from_regressions_on_lv_scores():
    sim = simulate("ecsi", 400, seed=6)
    result = fit(sim.data, "ecsi", tol=1e-12)
    S = result.scores
    pos = {lv: i for i, lv in enumerate(result.lvs)}
    f2 = result.to_dict()["f2"]
    assert set(f2) == {f"{a}->{b}" for a, b in result.model.paths}
    for a, b in result.model.paths:
        preds = [pos[p] for p in result.model.predecessors(b)]
        included = _r2(S[:, pos[b]], S[:, preds])
        excluded = _r2(S[:, pos[b]], S[:, [p for p in preds if p != pos[a]]])
        assert f2[f"{a}->{b}"] == pytest.approx((included - excluded) / (1 - included), abs=1e-9)


# -- SRMR -----------------------------------------------------------------------------


def _srmr_by_hand(result, R: np.ndarray, phi: np.ndarray) -> float:
    """Implied correlations pair by pair, then the mean over the lower triangle."""
    model = result.model
    block = {mv: lv for lv, mvs in model.blocks.items() for mv in mvs}
    pos = {lv: i for i, lv in enumerate(result.lvs)}
    lam = dict(zip(result.indicators, result.loadings, strict=True))
    squares = []
    for i, a in enumerate(result.indicators):
        for j, b in enumerate(result.indicators[: i + 1]):
            if i == j:
                implied = 1.0
            elif block[a] != block[b]:
                implied = lam[a] * lam[b] * phi[pos[block[a]], pos[block[b]]]
            elif model.modes[block[a]] == "B":
                implied = R[i, j]
            else:
                implied = lam[a] * lam[b]
            squares.append((R[i, j] - implied) ** 2)
    return float(np.sqrt(np.mean(squares)))


def test_srmr_saturated_and_estimated_by_hand(small_fit):
    sim, result = small_fit
    R = np.corrcoef(_matrix(result, sim.data), rowvar=False)
    srmr = result.to_dict()["srmr"]
    assert srmr["saturated"] == pytest.approx(
        _srmr_by_hand(result, R, result.lv_correlations), abs=1e-10
    )
    # estimated: Cov(η) = (I − B')⁻¹ Ψ (I − B')⁻ᵀ with Ψ = observed exogenous block ⊕ diag(1 − R²)
    k = len(result.lvs)
    exo = [i for i, lv in enumerate(result.lvs) if lv not in result.model.endogenous]
    psi = np.zeros((k, k))
    psi[np.ix_(exo, exo)] = result.lv_correlations[np.ix_(exo, exo)]
    for i, lv in enumerate(result.lvs):
        if lv in result.model.endogenous:
            psi[i, i] = 1 - result.r2[i]
    inv = np.linalg.inv(np.eye(k) - result.path_matrix.T)
    phi = inv @ psi @ inv.T
    assert srmr["estimated"] == pytest.approx(_srmr_by_hand(result, R, phi), abs=1e-10)
    assert srmr["estimated"] > srmr["saturated"]  # X -> S and M -> S are constrained to zero


# -- HTMT -----------------------------------------------------------------------------


def _htmt_by_hand(X: np.ndarray, result) -> dict[tuple[str, str], float]:
    R = np.abs(np.corrcoef(X, rowvar=False))
    rows = _block_rows(result)

    def mono(lv):
        pairs = list(combinations(rows[lv], 2))
        return np.mean([R[i, j] for i, j in pairs]) if pairs else 1.0

    return {
        (a, b): np.mean([R[i, j] for i in rows[a] for j in rows[b]]) / np.sqrt(mono(a) * mono(b))
        for a, b in combinations(result.lvs, 2)
    }


def test_htmt_by_hand_and_batched(small_fit):
    sim, result = small_fit
    X = _matrix(result, sim.data)
    pos = {lv: i for i, lv in enumerate(result.lvs)}
    batched = htmt_batch(np.cov(X, rowvar=False)[None], _structure(result))[0]
    for (a, b), value in _htmt_by_hand(X, result).items():
        assert result.htmt[pos[a], pos[b]] == pytest.approx(value, abs=1e-12)
        assert batched[pos[b], pos[a]] == pytest.approx(value, abs=1e-12)


def _structure(result):
    from manyi.measurement import pls

    return pls.compile_structure(result.model)


# -- group comparison --------------------------------------------------------------------


def test_group_comparison_is_welch_on_respondent_scores():
    sim = simulate("acsi", 600, seed=5, groups=3)
    result = fit(sim.data, "acsi", groups=sim.groups)
    comparison = result.to_dict()["group_comparison"]
    X = _matrix(result, sim.data)
    binary = np.isin(result.indicators, ["complaint1"])
    low, span = np.where(binary, 0, 1), np.where(binary, 1, 9)
    rescaled = 100 * (X - low) / span
    for lv, rows in _block_rows(result).items():
        v = result.weights_unstd[rows] * span[rows]
        score = rescaled[:, rows] @ (v / v.sum())
        for label in result.group_labels:
            member = sim.groups == label
            entry = comparison[label][lv]
            test = stats.ttest_ind(score[member], score[~member], equal_var=False)
            low_ci, high_ci = test.confidence_interval(0.95)
            assert entry["n"] == member.sum()
            assert entry["index"] == pytest.approx(score[member].mean(), abs=1e-9)
            assert entry["rest_index"] == pytest.approx(score[~member].mean(), abs=1e-9)
            assert entry["diff"] == pytest.approx(
                score[member].mean() - score[~member].mean(), abs=1e-9
            )
            assert entry["p"] == pytest.approx(test.pvalue, rel=1e-8, abs=1e-300)
            assert entry["interval"] == pytest.approx([low_ci, high_ci], abs=1e-9)
    # without missing values a group's mean score is its index
    g = result.group_labels[0]
    assert comparison[g]["SAT"]["index"] == pytest.approx(result.to_dict()["group_index"][g]["SAT"])
    assert "group_comparison" not in fit(sim.data, "acsi").to_dict()


def test_group_of_one_has_no_interval_and_unlabelled_rows_are_the_rest():
    sim = simulate("china", 200, seed=6)
    groups = np.array(["A"] * 120 + ["B"] + [""] * 79, dtype=object)
    comparison = fit(sim.data, "china", groups=groups).to_dict()["group_comparison"]
    assert set(comparison) == {"A", "B"}
    assert comparison["B"]["SAT"]["n"] == 1
    assert comparison["B"]["SAT"]["interval"] == [None, None]
    assert comparison["B"]["SAT"]["p"] is None
    assert comparison["B"]["SAT"]["diff"] is not None
    entry = comparison["A"]["SAT"]
    assert entry["n"] == 120
    # the rest holds the 80 other rows, the unlabelled ones included
    assert entry["rest_index"] == pytest.approx(
        (200 * fit(sim.data, "china").index[4] - 120 * entry["index"]) / 80
    )
