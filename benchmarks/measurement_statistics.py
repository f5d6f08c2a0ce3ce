"""Time of one full report's statistics on the china preset: fit, bootstrap(1000), PLSpredict.

Run from the project root::

    .venv/bin/python benchmarks/measurement_statistics.py [--n 900] [--resamples 1000] [--repeat 5]

Prints the best of ``--repeat`` wall times of each step (n = 900 answers 1–10
from ``simulate("china", n, seed=1, groups=5)``, groups passed to the fit) and
their sum. A step the engine does not have (an older engine) is reported as
missing rather than failing, so the same script measures before and after.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import manyi.measurement as measurement  # noqa: E402


def best_of(repeat: int, func) -> float:
    """Smallest wall time of ``repeat`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=900)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sim = measurement.simulate("china", args.n, seed=1, groups=5)
    model = measurement.load_preset("china")
    print(f"engine {measurement.ENGINE_VERSION}, china preset, n = {args.n}, best of {args.repeat}")
    steps = {
        "fit": lambda: measurement.fit(sim.data, model, groups=sim.groups).to_dict(),
        f"bootstrap({args.resamples})": lambda: measurement.bootstrap(
            sim.data, model, resamples=args.resamples, seed=1
        ).to_dict(),
    }
    if hasattr(measurement, "pls_predict"):
        steps["pls_predict(10 folds)"] = lambda: measurement.pls_predict(
            sim.data, model, folds=10, seed=1
        )
    total = 0.0
    for name, func in steps.items():
        seconds = best_of(args.repeat, func)
        total += seconds
        print(f"  {name:<24} {seconds * 1e3:9.1f} ms")
    if "pls_predict(10 folds)" not in steps:
        print("  pls_predict              (not in this engine)")
    print(f"  {'total':<24} {total * 1e3:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
