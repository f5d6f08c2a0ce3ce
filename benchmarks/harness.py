"""What the database benchmarks share: a throwaway SQLite database with the project's own
settings, and the median of timed runs each on a freshly prepared subject."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path


def configure(folder: Path) -> None:
    """Point Django at a new SQLite database in `folder` and set it up (not migrated yet)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "manyi.settings",
            "MANYI_VAR_DIR": str(folder),
            "SQLITE_PATH": str(folder / "bench.sqlite3"),
            "MEDIA_ROOT": str(folder / "media"),
            "DEBUG": "0",  # DEBUG keeps every query in memory: not what a server does
            "MANYI_DEMO_SKIP_MFA": "0",
            "EMAIL_URL": "locmem://",
            "DATABASE_URL": "",
            "REDIS_URL": "",
        }
    )
    import django

    django.setup()


def median_of(runs: int, prepare, measure) -> tuple[float, object]:
    """The median seconds of `measure(prepare())` over `runs` runs (preparing is not timed),
    and the last run's result."""
    times, result = [], None
    for _ in range(runs):
        subject = prepare()
        started = time.perf_counter()
        result = measure(subject)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result
