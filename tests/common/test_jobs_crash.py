"""kill -9 of the task cluster in the middle of a customer-list import: a second cluster and the
sweeper finish it exactly once, well within 2 minutes (real worker processes on a temporary
SQLite database, as tests/common/test_worker.py starts them).

The import is slowed by MANYI_TEST_IMPORT_PAUSE (a second after each inserted batch of 5 000,
read only by the import task), so the kill lands inside the insert's transaction; the
heartbeat and stall thresholds are shortened by their environment variables. With
CRASH_TEST_DATABASE_URL naming a scratch PostgreSQL database (emptied first), the same runs on
PostgreSQL, as in production.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000

SETUP = """
from pathlib import Path
from django.db import transaction
from manyi.accounts.roles import Role
from manyi.applications.customers.services import upload_customer_list
from tests import xlsx_factory as xf
from tests.applications.test_customer_lists import as_upload, make_application
from tests.conftest import World

world = World()
application = make_application(world)
path = xf.write_workbook(Path({folder!r}) / "big.xlsx", xf.customers({rows}))
with transaction.atomic():
    customer_list = upload_customer_list(
        application=application, by=world.users[Role.ENTERPRISE_USER], upload=as_upload(path)
    )
print(customer_list.pk)
"""


def _query(db: Path | str, sql: str, *args):
    """One row from the workers' database (a SQLite file, or a PostgreSQL URL)."""
    if isinstance(db, Path):
        with sqlite3.connect(db, timeout=30) as connection:
            return connection.execute(sql.replace("%s", "?"), args).fetchone()
    import psycopg

    with psycopg.connect(db) as connection:
        return connection.execute(sql, args).fetchone()


def _empty_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def _wait_for(what, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


@pytest.mark.slow
@pytest.mark.parametrize(
    "database",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not os.environ.get("CRASH_TEST_DATABASE_URL"),
                reason="CRASH_TEST_DATABASE_URL names no scratch PostgreSQL database",
            ),
        ),
    ],
)
def test_a_cluster_killed_mid_import_leaves_the_list_imported_once(tmp_path, database):
    db = tmp_path / "crash.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "manyi.settings",
        "SQLITE_PATH": str(db),
        "MANYI_VAR_DIR": str(tmp_path),
        "EMAIL_URL": f"file://{tmp_path / 'mail'}",
        "Q_SYNC": "0",
        "Q_WORKERS": "1",
        "MANYI_DEMO_SKIP_MFA": "0",
        "JOB_HEARTBEAT_SECONDS": "1",
        "JOB_STALL_SECONDS": "3",
        "PYTHONPATH": str(ROOT),  # the setup reuses the tests' helpers
    }
    for key in ("DATABASE_URL", "REDIS_URL", "MANYI_TEST_IMPORT_PAUSE"):
        env.pop(key, None)
    if database == "postgresql":
        db = env["DATABASE_URL"] = os.environ["CRASH_TEST_DATABASE_URL"]
        _empty_postgres(db)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=300, cwd=ROOT)
    setup = SETUP.format(folder=str(tmp_path), rows=ROWS)
    out = subprocess.run(
        [*manage, "shell", "-v0", "-c", setup],
        env=env,
        check=True,
        timeout=120,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    list_id = int(out.strip().splitlines()[-1])
    status = "select status, progress, row_count from applications_customerlist where id = %s"
    job_state = (
        "select state, attempts from common_backgroundjob where kind = 'customer_import' "
        "and object_id = %s"
    )

    def cluster(name: str, **extra) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        # Its own process group: the kill takes the cluster's workers, monitor and pusher.
        return subprocess.Popen(
            [*manage, "qcluster"],
            env={**env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )

    first = cluster("first", MANYI_TEST_IMPORT_PAUSE="1")
    second = None
    try:
        # The file is checked and the insert's transaction is open (65 % is committed then);
        # a second later, a batch or two of rows are in it.
        _wait_for(lambda: _query(db, status, list_id)[1] == 65, 90)
        time.sleep(1.5)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        assert _query(db, status, list_id)[0] == "checking"
        assert _query(db, "select count(*) from applications_customer")[0] == 0  # rolled back

        second = cluster("second")
        time.sleep(4)  # longer than JOB_STALL_SECONDS: the heartbeat has stopped
        swept = subprocess.run(
            [*manage, "sweep_jobs"], env=env, check=True, timeout=60, cwd=ROOT, capture_output=True
        ).stdout.decode()
        _wait_for(lambda: _query(db, job_state, list_id)[0] in ("done", "failed"), 60)
        recovered_in = time.monotonic() - killed_at
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)

    assert _query(db, status, list_id) == ("accepted", 100, ROWS)
    assert _query(db, "select count(*) from applications_customer")[0] == ROWS
    accepted = "select count(*) from common_activitylog where action = 'customer_list.accept'"
    assert _query(db, accepted)[0] == 1
    assert _query(db, job_state, list_id) == ("done", 2)
    assert (
        _query(db, "select count(*) from common_activitylog where action = 'job.requeue'")[0] == 1
    )
    assert recovered_in < 120, recovered_in
    print(f"recovered {recovered_in:.1f} s after the kill; sweep_jobs said: {swept.strip()}")
