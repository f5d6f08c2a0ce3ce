"""Command line: ``python -m manyi.measurement {fit,presets,simulate}``.

Exit codes: 0 success, 2 a ModelError or a bad file/argument (message on stderr).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import Any

from .bootstrap import bootstrap_dataset
from .data import numeric_columns, prepare_data, read_csv
from .errors import ModelError
from .fit import Options, fit_dataset
from .ipa import importance_performance
from .ipma import impact, ipma
from .model import load_model
from .predict import pls_predict
from .presets import describe_presets
from .simulate import KINDS, simulate
from .version import ENGINE_VERSION


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m manyi.measurement", description="Manyi PLS-PM engine"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    f = sub.add_parser("fit", help="estimate a model on a CSV file, print or write JSON")
    f.add_argument("--data", required=True, help="CSV file with a header row")
    f.add_argument(
        "--model", required=True, help="model JSON file or preset name (china, acsi, ecsi ...)"
    )
    f.add_argument("--scheme", default="path", choices=["path", "centroid", "factorial"])
    f.add_argument("--scaling", default="standardized", choices=["standardized", "raw"])
    f.add_argument("--scale-min", type=float, default=1.0)
    f.add_argument("--scale-max", type=float, default=10.0)
    f.add_argument("--missing", default="mean", choices=["mean", "casewise"])
    f.add_argument("--tol", type=float, default=1e-7)
    f.add_argument("--max-iter", type=int, default=300)
    f.add_argument(
        "--bootstrap", type=int, default=0, metavar="N", help="bootstrap resamples (0 = none)"
    )
    f.add_argument(
        "--seed", type=int, default=None, help="bootstrap seed (default: drawn and reported)"
    )
    f.add_argument("--level", type=float, default=0.95, help="confidence level of the intervals")
    f.add_argument(
        "--group", default=None, metavar="COLUMN", help="column with group labels for group indices"
    )
    f.add_argument("--target", default=None, help="target LV of the importance-performance table")
    f.add_argument(
        "--predict", type=int, default=0, metavar="K", help="PLSpredict with K folds (0 = none)"
    )
    f.add_argument("--scores", action="store_true", help="include LV scores in the JSON")
    f.add_argument("--out", default=None, help="write JSON here instead of stdout")

    sub.add_parser("presets", help="list the preset models")

    s = sub.add_parser("simulate", help="write a synthetic CSV drawn from a model")
    s.add_argument("--model", required=True)
    s.add_argument("--n", type=int, required=True)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", required=True)
    s.add_argument("--scale-min", type=float, default=1.0)
    s.add_argument("--scale-max", type=float, default=10.0)
    s.add_argument("--missing-rate", type=float, default=0.0)
    s.add_argument(
        "--groups", type=int, default=0, help="add a 'group' column with this many groups"
    )
    s.add_argument("--kind", default="factor", choices=list(KINDS))
    s.add_argument("--continuous", action="store_true", help="do not round answers to integers")
    return parser


def run_fit(args: argparse.Namespace) -> dict[str, Any]:
    """The JSON document of ``fit``."""
    model = load_model(args.model)
    with open(args.data, "rb") as fh:
        data_hash = hashlib.sha256(fh.read()).hexdigest()
    table = read_csv(args.data)
    missing_columns = [mv for mv in model.indicators if mv not in table]
    if missing_columns:
        raise ModelError(
            "unknown_indicator",
            f"indicator(s) not found in {args.data}: {', '.join(missing_columns)}",
            indicators=missing_columns,
        )
    groups = None
    if args.group:
        if args.group not in table:
            raise ModelError(
                "invalid_groups", f"no column {args.group!r} in {args.data}", column=args.group
            )
        groups = [g.strip() for g in table[args.group]]
    data = numeric_columns(table, model.indicators)
    options = Options(
        args.scheme,
        args.scaling,
        args.missing,
        args.tol,
        args.max_iter,
        args.scale_min,
        args.scale_max,
    )
    options.check()
    ds = prepare_data(data, model, missing=args.missing, groups=groups)
    if args.bootstrap:
        if args.bootstrap < 2:
            raise ModelError("invalid_option", "--bootstrap needs at least 2 resamples")
        boot = bootstrap_dataset(
            ds,
            model,
            options,
            resamples=args.bootstrap,
            seed=args.seed,
            level=args.level,
            bca=True,
            jackknife_groups=500,
        )
        result = boot.fit
    else:
        boot, result = None, fit_dataset(ds, model, options)
    doc = result.to_dict(include_scores=args.scores)
    doc["data_hash"] = data_hash
    doc["data_file"] = args.data
    if args.group:
        doc["group_column"] = args.group
    try:
        doc["importance_performance"] = importance_performance(result, args.target)
    except ModelError:
        if args.target:
            raise
        doc["importance_performance"] = []
    try:
        doc["ipma"] = ipma(result, args.target)
    except ModelError:
        if args.target:
            raise
        doc["ipma"] = None
    doc["impact"] = impact(result)
    if args.predict:
        doc["predict"] = pls_predict(
            data,
            model,
            folds=args.predict,
            seed=args.seed if args.seed is not None else 0,
            scheme=args.scheme,
            scaling=args.scaling,
            missing=args.missing,
            tol=args.tol,
            max_iter=args.max_iter,
        )
    if boot is not None:
        doc["bootstrap"] = boot.to_dict()
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "presets":
            for item in describe_presets():
                print(
                    f"{item['name']}\t{item['lvs']} LVs, {item['indicators']} indicators\t{item['title']}"
                )
            return 0
        if args.command == "simulate":
            sim = simulate(
                args.model,
                args.n,
                args.seed,
                scale_min=args.scale_min,
                scale_max=args.scale_max,
                missing_rate=args.missing_rate,
                groups=args.groups,
                kind=args.kind,
                discrete=not args.continuous,
            )
            sim.write_csv(args.out)
            print(
                f"wrote {args.n} rows x {len(sim.columns)} indicators to {args.out}",
                file=sys.stderr,
            )
            return 0
        doc = run_fit(args)
    except ModelError as exc:
        print(f"error: {exc.code}: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot read or write file: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


__all__ = ["ENGINE_VERSION", "build_parser", "main", "run_fit"]
