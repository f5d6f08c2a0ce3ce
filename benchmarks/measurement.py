"""Speed of the PLS engine against numpy's covariance and against plspm 0.5.7.

Run from the project root::

    .venv/bin/python benchmarks/measurement.py            # full: N = 1,000,000
    .venv/bin/python benchmarks/measurement.py --quick    # smoke run, N = 100,000

Measured in one run (best of ``--repeat`` for the in-process timings):
  1. baseline: ``np.cov`` of the N x 24 float64 array;
  2. our fit of the 7-LV, 24-indicator preset ``ecsi7`` at N, ratio to 1;
  3. peak memory of a fresh process that loads the array and fits: its
     VmHWM from /proc/self/status (the peak RSS; ru_maxrss of a spawned
     child would report the parent's RSS inherited through fork), with the
     high-water mark reset after loading so the fit's own share is visible;
  4. plspm 0.5.7's fit of the same model and data, timed inside its own
     process (``.venv-plspm``) around ``Plspm(...)`` only; with ``--plspm-n``
     it runs on the first M rows and the time is extrapolated linearly to N
     (stated in the output);
  5. bootstrap with 1000 resamples at N = 10,000: ours (percentile + BCa) vs
     ``Plspm(..., bootstrap=True, bootstrap_iterations=1000, processes=2)``
     (its wall time includes its one initial fit and a 1 s polling loop).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from manyi.measurement import bootstrap, fit, load_preset, simulate  # noqa: E402

PLSPM_PYTHON = ROOT / ".venv-plspm" / "bin" / "python"
REFERENCE = ROOT / "scripts" / "plspm_reference.py"
MODEL = "ecsi7"


def best_of(repeat: int, func) -> tuple[float, object]:
    """Smallest wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def make_data(n: int, seed: int) -> np.ndarray:
    """n answers (1–10) from the ecsi7 preset, as one C-ordered float64 array.

    Loadings differ within blocks (0.65–0.9) so that PLS has to iterate, as
    on real survey data, instead of starting at its answer.
    """
    indicators = load_preset(MODEL).indicators
    cycle = [0.85, 0.7, 0.9, 0.65, 0.8]
    loadings = {mv: cycle[j % len(cycle)] for j, mv in enumerate(indicators)}
    sim = simulate(MODEL, n, seed=seed, loadings=loadings)
    X = np.empty((n, len(sim.columns)))
    for j, name in enumerate(sim.columns):
        X[:, j] = sim.data[name]
        del sim.data[name]
    return X


def plspm_run(job: dict) -> dict:
    proc = subprocess.run(
        [str(PLSPM_PYTHON), str(REFERENCE), "--jobs", "/dev/stdin"],
        input=json.dumps([job]), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout)[0]


MEMORY_PROBE = """
import sys, numpy as np
sys.path.insert(0, sys.argv[2])
from manyi.measurement import fit

def status(key):
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(key + ":"))

X = np.load(sys.argv[1])
loaded = status("VmRSS")
try:  # reset the high-water mark to the current RSS (Linux >= 4.0)
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
except OSError:
    pass
fit(X, "ecsi7")
print(loaded, status("VmHWM"))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="N = 100,000 and a 200-resample bootstrap"
    )
    parser.add_argument("--n", type=int, default=None, help="rows for the fit benchmark")
    parser.add_argument(
        "--plspm-n", type=int, default=None, help="run plspm's fit on this many rows, extrapolate"
    )
    parser.add_argument("--boot-n", type=int, default=10_000)
    parser.add_argument("--resamples", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-plspm", action="store_true")
    args = parser.parse_args()
    n = args.n or (100_000 if args.quick else 1_000_000)
    resamples = args.resamples or (200 if args.quick else 1000)
    have_plspm = PLSPM_PYTHON.exists() and not args.skip_plspm
    model = load_preset(MODEL)

    print(
        f"numpy {np.__version__}, {os.cpu_count()} CPUs, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}"
    )
    print(
        f"model {MODEL}: {len(model.lvs)} LVs, {len(model.indicators)} indicators, {len(model.paths)} paths"
    )
    X = make_data(n, seed=1)
    print(f"data: N = {n:,} x {X.shape[1]} float64 ({X.nbytes / 2**20:.0f} MiB)\n")

    t_cov, _ = best_of(args.repeat, lambda: np.cov(X, rowvar=False))
    print(f"[1] np.cov baseline                      {t_cov * 1e3:9.1f} ms")
    t_fit, result = best_of(args.repeat, lambda: fit(X, model))
    print(f"[2] our fit (path scheme, standardized)  {t_fit * 1e3:9.1f} ms  = {t_fit / t_cov:.2f} x np.cov"
          f"   ({result.iterations} iterations)")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "X.npy")
        np.save(path, X)
        probe = subprocess.run([sys.executable, "-c", MEMORY_PROBE, path, str(ROOT / "src")],
                               capture_output=True, text=True, check=True)  # fmt: skip
        loaded, peak = (int(v) for v in probe.stdout.split())
        print(f"[3] peak memory of a fresh process fitting N = {n:,} (VmHWM): {peak / 1024:.0f} MiB; "
              f"{loaded / 1024:.0f} MiB after importing the engine and loading the {X.nbytes / 2**20:.0f} MiB "
              f"array, so the fit itself added {(peak - loaded) / 1024:.0f} MiB")  # fmt: skip

        if have_plspm:
            m = min(args.plspm_n or n, n)
            sub = path
            if m < n:
                sub = os.path.join(tmp, "Xsub.npy")
                np.save(sub, X[:m])
            model_path = os.path.join(tmp, "model.json")
            Path(model_path).write_text(json.dumps(model.to_dict(with_labels=False)))
            out = plspm_run({"data": sub, "model": model_path, "scheme": "path", "scaling": "standardized",
                             "time_only": True})  # fmt: skip
            t_plspm = out["fit_seconds"] * (n / m)
            note = (
                ""
                if m == n
                else f"  (measured at N = {m:,}: {out['fit_seconds']:.2f} s, extrapolated linearly)"
            )
            print(
                f"[4] plspm 0.5.7 fit                      {t_plspm * 1e3:9.1f} ms  = {t_plspm / t_fit:.0f} x ours{note}"
            )
        else:
            print("[4] plspm: skipped (no .venv-plspm; run `make plspm-env`)")

        Xb = make_data(args.boot_n, seed=2)
        t_boot, boot = best_of(1, lambda: bootstrap(Xb, model, resamples=resamples, seed=1))
        print(f"[5] our bootstrap, {resamples} resamples at N = {args.boot_n:,} (percentile + BCa, "
              f"{boot.jackknife_groups} jackknife groups): {t_boot:.2f} s, {boot.failed} failed")  # fmt: skip
        if have_plspm:
            bpath = os.path.join(tmp, "Xb.npy")
            np.save(bpath, Xb)
            out = plspm_run({"data": bpath, "model": model_path, "scheme": "path", "scaling": "standardized",
                             "bootstrap": resamples, "processes": 2, "time_only": True})  # fmt: skip
            t_pb = out["bootstrap_seconds"]
            print(f"    plspm 0.5.7 bootstrap ({resamples} resamples, 2 processes): {t_pb:.1f} s"
                  f"  = {t_pb / t_boot:.0f} x ours")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\n(this benchmark process peaked at {peak / 1024:.0f} MiB, data generation included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
