#!/usr/bin/env python3
"""Variance inflation factors with statsmodels, for cross-checking the Manyi engine.

Runs under the separate venv ``.venv-plspm`` (it has statsmodels 0.14.2), never
under the project's venv::

    .venv-plspm/bin/python scripts/statsmodels_reference.py --jobs jobs.json

jobs.json is a list of objects ``{"data": "x.npy" | "x.csv", "sets": {name: [column, ...]}}``
(columns of a .npy file are named "0", "1", ...).  For every set the VIF of each
of its columns is ``statsmodels.stats.outliers_influence.variance_inflation_factor``
on the set's columns plus a constant (so R² is the centred one).  Output on
stdout: a list (one per job) of ``{name: {column: vif}}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings

import numpy as np
import pandas as pd
from statsmodels.stats.outliers_influence import variance_inflation_factor


def load_frame(path: str) -> pd.DataFrame:
    if path.endswith(".npy"):
        values = np.load(path)
        return pd.DataFrame(values, columns=[str(j) for j in range(values.shape[1])])
    return pd.read_csv(path).astype(float)


def run(job: dict) -> dict:
    frame = load_frame(job["data"])
    out = {}
    for name, columns in job["sets"].items():
        exog = np.column_stack([np.ones(len(frame)), frame[columns].to_numpy()])
        out[name] = {
            column: float(variance_inflation_factor(exog, j + 1))
            for j, column in enumerate(columns)
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", required=True, help="JSON file with a list of jobs")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # pandas/statsmodels deprecation noise
    with open(args.jobs, encoding="utf-8") as fh:
        jobs = json.load(fh)
    json.dump([run(job) for job in jobs], sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
