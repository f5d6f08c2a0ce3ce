#!/usr/bin/env python3
"""Reference fits with plspm 0.5.7, for cross-checking the Manyi engine.

Runs under the separate venv ``.venv-plspm`` (``make plspm-env``), never under
the project's venv: plspm pulls pandas, statsmodels and scikit-learn.

One fit::

    .venv-plspm/bin/python scripts/plspm_reference.py --data d.csv --model m.json \
        --scheme path --scaling standardized

Many fits in one process (saves the ~2 s import of pandas/statsmodels each)::

    .venv-plspm/bin/python scripts/plspm_reference.py --jobs jobs.json

where jobs.json is a list of objects with keys data, model, scheme, scaling
and optionally tol, max_iter, bootstrap, processes, seed (of plspm's global
numpy RNG, for repeatable bootstrap draws), time_only.  Output: JSON
(one object, or a list for --jobs) on stdout.

Scaling (plspm 0.5.7 conventions, read from its source):
  standardized  the columns are z-scored here (population SD) and plspm runs
                with Config(scaled=False).  plspm's own scaled=True divides all
                columns by ONE pooled scalar (the SD of all stacked values), not
                by each column's SD, so it is not standardized PLS;
  raw           Config(scaled=False): centred data, LV scores of unit variance;
  plspm-scaled  Config(scaled=True) as plspm does it, to document the quirk.

Data: .csv (header row) or .npy (columns in model indicator order).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd
import plspm.config as c
from plspm.mode import Mode
from plspm.plspm import Plspm
from plspm.scheme import Scheme

SCHEMES = {"path": Scheme.PATH, "centroid": Scheme.CENTROID, "factorial": Scheme.FACTORIAL}


def load_frame(path: str, indicators: list[str]) -> pd.DataFrame:
    """The indicator columns of a .csv or .npy file as a float DataFrame."""
    if path.endswith(".npy"):
        return pd.DataFrame(np.load(path), columns=indicators)
    return pd.read_csv(path)[indicators].astype(float)


def build_config(model: dict, scaled: bool) -> c.Config:
    """plspm Config for a Manyi model JSON."""
    structure = c.Structure()
    for a, b in model["paths"]:
        structure.add_path([a], [b])
    # Structure.path() consumes its topological sort: call it exactly once.
    config = c.Config(structure.path(), scaled=scaled)
    modes = model.get("modes", {})
    for lv, mvs in model["blocks"].items():
        mode = Mode.B if modes.get(lv, "A").upper() == "B" else Mode.A
        config.add_lv(lv, mode, *[c.MV(mv) for mv in mvs])
    return config


def run(job: dict) -> dict:
    """Fit one job; return weights, loadings, paths, r2, gof, alpha and timings."""
    model = job["model"]
    if isinstance(model, str):
        with open(model, encoding="utf-8") as fh:
            model = json.load(fh)
    indicators = [mv for mvs in model["blocks"].values() for mv in mvs]
    df = load_frame(job["data"], indicators)
    scaling = job.get("scaling", "standardized")
    if scaling == "standardized":
        df = (df - df.mean()) / df.std(ddof=0)
    scaled = scaling == "plspm-scaled"
    config = build_config(model, scaled)
    scheme = SCHEMES[job.get("scheme", "path")]
    tol = float(job.get("tol", 1e-6))
    max_iter = int(job.get("max_iter", 100))

    start = time.perf_counter()
    fitted = Plspm(df, config, scheme, iterations=max_iter, tolerance=tol)
    fit_seconds = time.perf_counter() - start
    out: dict = {"fit_seconds": fit_seconds, "n": len(df)}

    boot = int(job.get("bootstrap", 0))
    if boot:
        processes = int(job.get("processes", 2))
        if "seed" in job:
            # plspm draws with the global numpy RNG in forked workers: seeding it here makes
            # the draws repeatable (with processes > 1 every worker repeats the same draws)
            np.random.seed(int(job["seed"]))
        start = time.perf_counter()
        booted = Plspm(
            df,
            config,
            scheme,
            iterations=max_iter,
            tolerance=tol,
            bootstrap=True,
            bootstrap_iterations=boot,
            processes=processes,
        )
        out["bootstrap_seconds"] = time.perf_counter() - start
        out["bootstrap_resamples"] = boot
        out["bootstrap_processes"] = processes
        summary = booted.bootstrap().paths()
        out["bootstrap_paths_se"] = summary["std.error"].to_dict()
        out["bootstrap_paths"] = {
            key.replace(" -> ", "->"): {"se": float(row["std.error"]), "t": float(row["t stat."])}
            for key, row in summary.iterrows()
        }
    if job.get("time_only"):
        return out

    outer = fitted.outer_model()
    coefficients = fitted.path_coefficients()
    summary = fitted.inner_summary()
    unidim = fitted.unidimensionality()
    scores = fitted.scores()
    weights = outer["weight"].to_dict()
    # plspm flips the sign of an LV's scores (and so its loadings and paths)
    # without flipping its weights; report which LVs that happened to.
    flipped = []
    for lv, mvs in model["blocks"].items():
        composite = df[mvs].to_numpy() @ np.array([weights[mv] for mv in mvs])
        if np.corrcoef(composite, scores[lv].to_numpy())[0, 1] < 0:
            flipped.append(lv)
    endogenous = sorted({b for _, b in model["paths"]})
    out.update(
        {
            "weights": weights,
            "loadings": outer["loading"].to_dict(),
            "paths": {f"{a}->{b}": float(coefficients.loc[b, a]) for a, b in model["paths"]},
            "r2": {lv: float(summary.loc[lv, "r_squared"]) for lv in endogenous},
            "gof": float(fitted.goodness_of_fit()),
            "alpha": {lv: _num(unidim.loc[lv, "cronbach_alpha"]) for lv in model["blocks"]},
            "flipped": flipped,
        }
    )
    if scaled:
        # the one pooled scalar plspm divides every column by
        out["pooled_scale"] = float(df.stack().std() * np.sqrt((len(df) - 1) / len(df)))
    return out


def _num(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", help="JSON file with a list of jobs")
    parser.add_argument("--data")
    parser.add_argument("--model")
    parser.add_argument("--scheme", default="path", choices=sorted(SCHEMES))
    parser.add_argument(
        "--scaling", default="standardized", choices=["standardized", "raw", "plspm-scaled"]
    )
    parser.add_argument("--tol", type=float, default=1e-6)
    parser.add_argument("--max-iter", type=int, default=100)
    parser.add_argument(
        "--bootstrap", type=int, default=0, help="also time a bootstrap with N resamples"
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--time-only", action="store_true")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # pandas/statsmodels deprecation noise
    if args.jobs:
        with open(args.jobs, encoding="utf-8") as fh:
            jobs = json.load(fh)
        result = [run(job) for job in jobs]
    else:
        if not (args.data and args.model):
            parser.error("--data and --model are required without --jobs")
        result = run(
            {
                "data": args.data,
                "model": args.model,
                "scheme": args.scheme,
                "scaling": args.scaling,
                "tol": args.tol,
                "max_iter": args.max_iter,
                "bootstrap": args.bootstrap,
                "processes": args.processes,
                "time_only": args.time_only,
            }
        )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
