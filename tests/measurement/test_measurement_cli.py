"""``python -m manyi.measurement``: fit, presets, simulate, exit codes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from manyi.measurement import ENGINE_VERSION, bootstrap, fit, load_preset
from manyi.measurement.data import numeric_columns, read_csv

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "manyi.measurement", *args],
        capture_output=True, text=True, timeout=120, check=False,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "survey.csv"
    proc = _run("simulate", "--model", "china", "--n", "400", "--seed", "1", "--out", str(path),
                "--groups", "3", "--missing-rate", "0.01")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return path


def test_fit_json_matches_the_api(sample_csv, tmp_path):
    out = tmp_path / "result.json"
    proc = _run("fit", "--data", str(sample_csv), "--model", "china", "--scheme", "centroid",
                "--group", "group", "--bootstrap", "100", "--seed", "5", "--out", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    for key in ("paths", "r2", "weights", "loadings", "index", "reliability", "htmt", "gof", "iterations",
                "n", "model_hash", "data_hash", "engine_version", "bootstrap", "group_index"):  # fmt: skip
        assert key in doc, key
    assert doc["engine_version"] == ENGINE_VERSION
    assert doc["data_hash"] == hashlib.sha256(sample_csv.read_bytes()).hexdigest()
    assert doc["model_hash"] == load_preset("china").sha256()
    assert set(doc["reliability"]["SAT"]) == {"alpha", "rho_c", "rho_a", "ave"}

    table = read_csv(sample_csv)
    model = load_preset("china")
    data = numeric_columns(table, model.indicators)
    api = fit(data, model, scheme="centroid", groups=table["group"])
    assert doc["paths"] == pytest.approx(api.paths, abs=1e-12)
    assert doc["weights"] == pytest.approx(
        dict(zip(api.indicators, api.weights, strict=True)), abs=1e-12
    )
    assert doc["index"] == pytest.approx(dict(zip(api.lvs, api.index, strict=True)), abs=1e-10)
    assert doc["n"] == api.n == 400
    assert set(doc["group_index"]) == {"G01", "G02", "G03"}

    boot = doc["bootstrap"]
    assert boot["resamples"] == 100
    assert boot["seed"] == 5
    assert boot["failed"] == 0
    entry = boot["paths"]["SAT->LOYAL"]
    assert set(entry) >= {"estimate", "se", "percentile", "bca"}
    assert entry["percentile"][0] < entry["estimate"] < entry["percentile"][1]
    again = bootstrap(data, model, scheme="centroid", resamples=100, seed=5).to_dict()
    assert again["paths"]["SAT->LOYAL"] == entry  # same seed, same numbers (JSON floats round-trip)
    assert set(boot["index"]) == set(model.lvs)


def test_bad_model_exits_2_with_message(sample_csv, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"blocks": {"A": ["image1"], "B": []}, "paths": [["A", "B"]]}))
    proc = _run("fit", "--data", str(sample_csv), "--model", str(bad))
    assert proc.returncode == 2
    assert "empty_block" in proc.stderr
    proc = _run(
        "fit", "--data", str(sample_csv), "--model", "acsi"
    )  # complaint1 is not in the file
    assert proc.returncode == 2
    assert "unknown_indicator" in proc.stderr
    proc = _run("fit", "--data", str(tmp_path / "missing.csv"), "--model", "china")
    assert proc.returncode == 2
    assert "error" in proc.stderr


def test_presets_and_simulate(tmp_path):
    proc = _run("presets")
    assert proc.returncode == 0
    names = [line.split("\t")[0] for line in proc.stdout.splitlines()]
    assert {"china", "acsi", "ecsi"} <= set(names)
    out = tmp_path / "acsi.csv"
    proc = _run("simulate", "--model", "acsi", "--n", "50", "--seed", "3", "--out", str(out))
    assert proc.returncode == 0
    table = read_csv(out)
    assert list(table) == load_preset("acsi").indicators
    scored = [name for name in table if name != "complaint1"]  # complaint1 is yes/no
    values = np.array([[float(v) for v in table[name]] for name in scored])
    assert values.min() >= 1
    assert values.max() <= 10
    assert np.all(values == np.round(values))
    assert {float(v) for v in table["complaint1"]} == {0.0, 1.0}


def test_fit_json_has_ipma_impact_and_predict(sample_csv, tmp_path):
    from manyi.measurement import impact, ipma, pls_predict

    out = tmp_path / "result.json"
    proc = _run("fit", "--data", str(sample_csv), "--model", "china", "--predict", "5",
                "--seed", "2", "--out", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    model = load_preset("china")
    data = numeric_columns(read_csv(sample_csv), model.indicators)
    api = fit(data, model)
    # same data, same code: equal to the last bit (JSON floats round-trip)
    assert doc["ipma"] == json.loads(json.dumps(ipma(api)))
    assert doc["impact"] == json.loads(json.dumps(impact(api)))
    assert doc["predict"] == json.loads(json.dumps(pls_predict(data, model, folds=5, seed=2)))
    assert set(doc["srmr"]) == {"saturated", "estimated"}
