"""Bootstrap t and p values and the indirect, total and HTMT sections: against explicit
resampling and against plspm 0.5.7's own bootstrap (in .venv-plspm)."""

from __future__ import annotations

import json
import subprocess
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from manyi.measurement import bootstrap, fit, load_preset, simulate
from tests.measurement.measurement_cases import SMALL_LOADINGS, SMALL_MODEL

ROOT = Path(__file__).resolve().parents[2]
PLSPM_PYTHON = ROOT / ".venv-plspm" / "bin" / "python"
SCRIPT = ROOT / "scripts" / "plspm_reference.py"


def _htmt(X: np.ndarray, blocks: list[list[int]]) -> np.ndarray:
    """HTMT of every LV pair (a, b), a after b, from |correlations| by plain loops."""
    R = np.abs(np.corrcoef(X, rowvar=False))

    def mono(rows):
        pairs = list(combinations(rows, 2))
        return np.mean([R[i, j] for i, j in pairs]) if pairs else 1.0

    return np.array(
        [
            np.mean([R[i, j] for i in blocks[a] for j in blocks[b]])
            / np.sqrt(mono(blocks[a]) * mono(blocks[b]))
            for a in range(len(blocks))
            for b in range(a)
        ]
    )


def test_new_sections_equal_explicit_resampling():
    X = simulate(SMALL_MODEL, 150, seed=21, loadings=SMALL_LOADINGS).matrix()
    boot = bootstrap(X, SMALL_MODEL, resamples=25, seed=123, tol=1e-12)
    assert boot.names["indirect"] == ["X->Y", "X->S", "M->S"]
    assert boot.names["total"] == ["X->M", "X->Y", "X->S", "M->Y", "M->S", "Y->S"]
    assert boot.names["htmt"] == ["M|X", "Y|X", "Y|M", "S|X", "S|M", "S|Y"]
    blocks = [[0, 1, 2], [3, 4, 5, 6], [7, 8, 9], [10]]
    lvs = ["X", "M", "Y", "S"]
    rng = np.random.Generator(np.random.PCG64(123))
    for r in range(25):
        sample = X[rng.integers(0, 150, 150)]
        one = fit(sample, SMALL_MODEL, tol=1e-12)
        indirect = [one.indirect_effect_matrix[lvs.index(k.split("->")[0]), lvs.index(k.split("->")[1])]
                    for k in boot.names["indirect"]]  # fmt: skip
        total = [one.total_effect_matrix[lvs.index(k.split("->")[0]), lvs.index(k.split("->")[1])]
                 for k in boot.names["total"]]  # fmt: skip
        np.testing.assert_allclose(boot.draws["indirect"][r], indirect, atol=1e-8)
        np.testing.assert_allclose(boot.draws["total"][r], total, atol=1e-8)
        np.testing.assert_allclose(boot.draws["htmt"][r], _htmt(sample, blocks), atol=1e-12)
    full = boot.fit
    assert boot.estimates["indirect"][0] == pytest.approx(
        full.path_matrix[0, 1] * full.path_matrix[1, 2]
    )
    np.testing.assert_allclose(boot.estimates["htmt"], _htmt(X, blocks), atol=1e-12)


def test_every_entry_has_t_and_p_from_student_t():
    X = simulate(SMALL_MODEL, 200, seed=2, loadings=SMALL_LOADINGS).matrix()
    doc = bootstrap(X, SMALL_MODEL, resamples=120, seed=7).to_dict()
    for section in ("paths", "weights", "loadings", "index", "r2", "indirect", "total", "htmt"):
        assert doc[section], section
        for key, entry in doc[section].items():
            assert entry["t"] == pytest.approx(entry["estimate"] / entry["se"]), (section, key)
            p = 2 * stats.t.sf(abs(entry["t"]), df=doc["succeeded"] - 1)
            assert entry["p"] == pytest.approx(p, rel=1e-9, abs=1e-300), (section, key)
            assert 0 <= entry["p"] <= 1
    assert doc["paths"]["X->M"]["p"] < 0.001  # a path of 0.5 at n = 200
    json.dumps(doc, allow_nan=False)


@pytest.mark.slow
def test_path_se_and_t_agree_with_plspm_bootstrap(tmp_path):
    """Same data, independent resamples: SEs and t values agree within 15 %.

    With 200 plspm resamples (plspm needs about a quarter of a second for each)
    and 2000 of ours a SE is estimated to about 5 % (1/√(2·200)); 15 % is three
    such errors (observed: within 7 %).  plspm's draws are seeded through its
    global RNG (one process), so the test is repeatable.
    """
    if not PLSPM_PYTHON.exists():
        pytest.skip(f"{PLSPM_PYTHON} is missing (make plspm-env): plspm bootstrap cross-check")
    sim = simulate("ecsi", 300, seed=3)
    sim.write_csv(tmp_path / "ecsi.csv")
    model = load_preset("ecsi").to_dict(with_labels=False)
    (tmp_path / "ecsi.json").write_text(json.dumps(model))
    job = {"data": str(tmp_path / "ecsi.csv"), "model": str(tmp_path / "ecsi.json"),
           "scheme": "path", "scaling": "standardized", "tol": 1e-10, "max_iter": 1000,
           "bootstrap": 200, "processes": 1, "seed": 2024}  # fmt: skip
    (tmp_path / "jobs.json").write_text(json.dumps([job]))
    proc = subprocess.run([str(PLSPM_PYTHON), str(SCRIPT), "--jobs", str(tmp_path / "jobs.json")],
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    theirs = json.loads(proc.stdout)[0]["bootstrap_paths"]
    ours = bootstrap(sim.data, "ecsi", resamples=2000, seed=11).to_dict()["paths"]
    assert set(theirs) == set(ours)
    for key, entry in theirs.items():
        assert ours[key]["se"] == pytest.approx(entry["se"], rel=0.15), key
        assert ours[key]["t"] == pytest.approx(entry["t"], rel=0.15), key
