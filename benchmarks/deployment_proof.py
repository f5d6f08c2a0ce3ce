"""The production deployment, proven on this machine: PostgreSQL, Redis, gunicorn and two task
workers; a burst of queued work; a worker killed mid-import and another mid-measurement.

    .venv/bin/python benchmarks/deployment_proof.py [--imports 4] [--rows 100000] [--runs 3]
        [--mails 300] [--load-seconds 60] [--load-users 20] [--applications 300] [--keep]

Needs PostgreSQL (``PROOF_PG``, default postgres://postgres@127.0.0.1:5432/postgres: a server
where the script may create and drop its own database) and Redis (``REDIS_URL``, default
redis://127.0.0.1:6379/0). Steps, as docs/operations.md describes the deployment:

1. a fresh database ``manyi_proof_<time>``: migrate, the demo world, grown to --applications;
2. gunicorn (2 workers) and two task workers (``manage.py qcluster``, each in its own process
   group, as two systemd units would run them), production settings (DEBUG off, the ORM
   broker on PostgreSQL, Redis as cache);
3. the load script (benchmarks/web_load.py, the 50-user mix, here --load-users) runs against
   gunicorn while a burst is queued: --imports customer lists of --rows rows, --runs
   measurement runs (re-runs of the demo's done runs), --mails messages;
4. as soon as a customer import is running, the task worker running it is killed (SIGKILL to
   its whole process group); the unit is started again 3 s later (systemd's Restart=always).
   The same as soon as a measurement run is running;
5. it waits for every job, then checks: every job done and none failed; each customer list
   accepted once with exactly its file's rows and one acceptance in the activity log; each run
   done with one result; each message sent once (counted in the file mail backend's output);
   each killed job done within 2 minutes of the kill.

Prints what it saw and exits 1 if a check fails. --keep leaves the database and the folder.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "benchmarks")]

from serving import free_port, start_server, stop_server  # noqa: E402
from web_load import mix_plan, run_locust  # noqa: E402
from web_load import setup as sessions_and_static  # noqa: E402
from web_pages import pages_to_measure  # noqa: E402

RECOVERY_LIMIT = 120  # seconds from a kill to the job done (issue 15)


def environment(folder: Path, database_url: str) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "manyi.settings",
        "MANYI_VAR_DIR": str(folder),
        "MEDIA_ROOT": str(folder / "media"),
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "EMAIL_URL": f"file://{folder / 'mail'}",
        # Production settings, on loopback without TLS (as benchmarks/web_load.py runs them).
        "MANYI_ENV": "production",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "MANYI_DEMO_SKIP_MFA": "0",
        "SECRET_KEY": "deployment-proof-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "Q_SYNC": "0",
        "Q_WORKERS": "2",
    }


def create_database(server_url: str, template: str) -> tuple[str, str]:
    """A new database; a copy of ``template`` (a demo world kept for this) when there is one."""
    import psycopg

    name = f"manyi_proof_{datetime.datetime.now():%Y%m%d%H%M%S}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = (
            template
            and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        )
        copy = f' TEMPLATE "{template}"' if exists else ""
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    return name, server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _has_demo(database_url: str) -> bool:
    """Whether the copied template holds the demo; its queued messages (signed with another
    key, for another machine's files) are dropped."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM django_q_ormq")
        return bool(conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0])


def manage(env: dict, *args: str, log: Path) -> None:
    with log.open("a") as out:
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


class Workers:
    """Two task-worker units; ``kill`` and ``restart`` act on one as systemd would see it."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.units = env, log, {}

    def start(self, unit: int) -> None:
        self.units[unit] = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), "qcluster"],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )

    def unit_of(self, pid: int) -> int | None:
        try:
            group = os.getpgid(pid)
        except ProcessLookupError:
            return None
        return next((u for u, p in self.units.items() if p.pid == group), None)

    def kill(self, unit: int) -> None:
        os.killpg(self.units[unit].pid, signal.SIGKILL)
        self.units[unit].wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.units.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.units.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def queue_burst(args, folder: Path) -> dict:
    """Customer lists and mail, queued as people would queue them (the re-runs: ``queue_runs``)."""
    from customer_import import write_list
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from manyi.accounts.models import Membership
    from manyi.applications.customers.services import upload_customer_list
    from manyi.applications.models import Application, CustomerList, CustomerListStatus
    from manyi.common.services import hold_message

    burst = {"lists": {}, "runs": [], "subjects": []}
    source = folder / "customers.xlsx"
    write_list(source, args.rows)
    content = source.read_bytes()
    # Applications whose enterprise may upload a list now: a draft each, its uploader a member.
    drafts = (
        Application.objects.filter(status="draft")
        .exclude(customer_lists__status=CustomerListStatus.CHECKING)
        .select_related("organisation")[: args.imports]
    )
    for application in drafts:
        member = Membership.objects.filter(
            organisation=application.organisation, role="enterprise_user"
        ).first()
        upload = SimpleUploadedFile(
            "customers.xlsx",
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        customer_list = upload_customer_list(application=application, by=member.user, upload=upload)
        burst["lists"][customer_list.pk] = args.rows
    with transaction.atomic():
        for i in range(args.mails):
            # An ASCII token in the body: the mail file keeps it as written (a Chinese subject is
            # MIME-encoded there).
            token = f"proof-{i:04d}-{random.randrange(10**9):09d}"
            hold_message(
                to=f"proof{i}@example.cn", subject="部署验证邮件", body_text=f"每封只发一次 {token}"
            )
            burst["subjects"].append(token)
    assert CustomerList.objects.filter(pk__in=burst["lists"]).count() == len(burst["lists"])
    return burst


def queue_runs(args, burst: dict) -> None:
    """Measurement re-runs, queued once the import's worker has been killed: a run takes
    seconds, and queued with the imports it would be over before the proof could catch it."""
    from manyi.accounts.models import Membership
    from manyi.accounts.roles import PROGRAMME_STAFF
    from manyi.surveys.models import MeasurementRun, RunStatus
    from manyi.surveys.services import rerun

    staff = Membership.objects.filter(role__in=PROGRAMME_STAFF).first().user
    done_runs = MeasurementRun.objects.filter(status=RunStatus.DONE).order_by("pk")[: args.runs]
    for run in done_runs:
        burst["runs"].append(rerun(run=run, by=staff).pk)


def wait_running(kind: str, timeout: float = 300):
    from manyi.common.models import BackgroundJob, JobState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = (
            BackgroundJob.objects.filter(kind=kind, state=JobState.RUNNING)
            .exclude(worker="")
            .order_by("started_at")
            .first()
        )
        if job is not None:
            return job
        time.sleep(0.05)
    return None


def kill_mid(kind: str, workers: Workers, killed: list) -> str | None:
    """Kill the unit running a job of ``kind``; what went wrong, if the kill was not made."""
    job = wait_running(kind)
    if job is None:
        return f"no {kind} job ran within 5 minutes: nothing killed"
    unit = workers.unit_of(int(job.worker.rsplit(":", 1)[1]))
    if unit is None:
        return f"job {job.pk} ({kind}) ran in a process that is gone: nothing killed"
    workers.kill(unit)
    killed.append((job.pk, kind, time.time(), unit))
    print(
        f"  killed task worker {unit} (kill -9 to its process group) while job {job.pk} ({kind}) ran"
    )
    time.sleep(3)
    workers.start(unit)
    print(f"  task worker {unit} started again")
    return None


def wait_all(expected: set[int], timeout: float) -> list:
    from manyi.common.models import BackgroundJob, JobState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        open_jobs = BackgroundJob.objects.filter(
            pk__in=expected, state__in=[JobState.QUEUED, JobState.RUNNING]
        ).count()
        if not open_jobs:
            break
        time.sleep(1)
    return list(BackgroundJob.objects.filter(pk__in=expected).order_by("pk"))


def check(burst: dict, jobs: list, killed: list, folder: Path) -> list[str]:
    from collections import Counter

    from manyi.applications.models import Customer, CustomerList, CustomerListStatus
    from manyi.common.models import ActivityLog, JobState, OutboxMessage
    from manyi.surveys.models import MeasurementRun, RunStatus

    problems = []
    states = Counter(job.state for job in jobs)
    print(f"  jobs: {len(jobs)}; " + ", ".join(f"{s} {n}" for s, n in sorted(states.items())))
    problems += [
        f"job {j.pk} ({j.kind}) ended {j.state}: {j.message}"
        for j in jobs
        if j.state != JobState.DONE
    ]
    for list_id, rows in burst["lists"].items():
        customer_list = CustomerList.objects.get(pk=list_id)
        stored = Customer.objects.filter(customer_list_id=list_id).count()
        accepted = ActivityLog.objects.filter(
            action="customer_list.accept", object_id=str(list_id)
        ).count()
        print(
            f"  customer list {list_id}: {customer_list.get_status_display()}, {stored} rows of {rows}, accepted {accepted}×"
        )
        if customer_list.status != CustomerListStatus.ACCEPTED or stored != rows or accepted != 1:
            problems.append(
                f"customer list {list_id}: {customer_list.status}, {stored}/{rows} rows, {accepted} acceptances"
            )
    for run_id in burst["runs"]:
        run = MeasurementRun.objects.get(pk=run_id)
        print(f"  measurement run {run_id}: {run.get_status_display()}")
        if run.status != RunStatus.DONE:
            problems.append(f"measurement run {run_id}: {run.status}")
    mail = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (folder / "mail").glob("*")
    )
    sent_twice = [s for s in burst["subjects"] if mail.count(s) > 1]
    unsent = [s for s in burst["subjects"] if s not in mail]
    sent = OutboxMessage.objects.filter(subject="部署验证邮件", status="sent").count()
    print(
        f"  mail: {sent} of {len(burst['subjects'])} sent; in the mail files {len(burst['subjects']) - len(unsent)} once, {len(sent_twice)} twice or more"
    )
    problems += [f"mail sent twice: {s}" for s in sent_twice] + [
        f"mail not sent: {s}" for s in unsent
    ]
    by_pk = {job.pk: job for job in jobs}
    for job_id, kind, at, unit in killed:
        job = by_pk[job_id]
        finished = job.finished_at.timestamp() - at if job.finished_at else None
        print(
            f"  killed job {job_id} ({kind}, worker {unit}): {job.state} after {job.attempts} attempts, "
            + (
                f"done {finished:.0f} s after the kill"
                if finished is not None
                else "never finished"
            )
        )
        if finished is None or finished > RECOVERY_LIMIT:
            problems.append(f"killed job {job_id} not recovered within {RECOVERY_LIMIT} s")
    return problems


def start_load(cookies: dict, port: int, args, folder: Path, outcome: dict):
    """The load script's mix (benchmarks/web_load.py, --load-users people) in a thread."""
    import threading

    if args.load_seconds <= 0:
        return None
    pages, _skipped = pages_to_measure()
    mix, _ping = mix_plan(pages, cookies)

    def run():
        outcome["mix"] = run_locust(folder, mix, port, args.load_users, args.load_seconds, "mix")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--imports", type=int, default=4)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mails", type=int, default=300)
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-users", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--template",
        default="",
        help="a database holding the demo world, copied instead of loading it (if it exists)",
    )
    parser.add_argument(
        "--template-media",
        type=Path,
        default=ROOT / "var" / "media",
        help="the MEDIA_ROOT the template's demo was loaded with",
    )
    args = parser.parse_args()

    server_url = os.environ.get("PROOF_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    folder = Path(tempfile.mkdtemp(prefix="manyi-proof-"))
    (folder / "mail").mkdir()
    name, database_url = create_database(server_url, args.template)
    env = environment(folder, database_url)
    log = folder / "stack.log"
    print(f"Deployment proof: database {name}, folder {folder}")
    server = None
    workers = Workers(env, log)
    load = None
    started = time.monotonic()
    try:
        print("1. migrate, demo world, grow")
        manage(env, "migrate", "-v0", log=log)
        manage(env, "createcachetable", log=log)
        if _has_demo(database_url):
            # The demo's files (data sets, uploads) belong with its rows.
            shutil.copytree(args.template_media, folder / "media", dirs_exist_ok=True)
        else:
            manage(env, "load_demo", log=log)
        manage(env, "grow_world", "--applications", str(args.applications), log=log)
        print(f"   ready in {time.monotonic() - started:.0f} s")

        print("2. gunicorn (2 workers) and two task workers (qcluster, 2 processes each)")
        port = free_port()
        server = start_server(env, port, 2, 1, log, probe="/ping/", ready=(302,))
        workers.start(1)
        workers.start(2)

        cookies = sessions_and_static(env)
        from manyi.common.models import BackgroundJob

        before = BackgroundJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        print(f"3. load ({args.load_users} users, {args.load_seconds} s) and the burst")
        outcome: dict = {}
        load = start_load(cookies, port, args, folder, outcome)
        burst = queue_burst(args, folder)
        print(
            f"   queued {len(burst['lists'])} customer lists of {args.rows} rows, "
            f"{len(burst['subjects'])} messages"
        )

        print("4. kill -9 a task worker mid-import, then one mid-measurement")
        killed: list = []
        missed = [kill_mid("customer_import", workers, killed)]
        queue_runs(args, burst)
        print(f"   queued {len(burst['runs'])} measurement runs")
        missed.append(kill_mid("measurement_run", workers, killed))
        missed = [why for why in missed if why]
        for why in missed:
            print(f"  {why}")
        expected = set(BackgroundJob.objects.filter(pk__gt=before).values_list("pk", flat=True))
        print(f"   {len(expected)} jobs in all")

        print("5. wait for every job and check")
        jobs = wait_all(expected | {k[0] for k in killed}, timeout=600)
        if load is not None:
            load.join(timeout=args.load_seconds + 300)
            mix = outcome.get("mix", {})
            print(f"   load during the burst: {mix}")
        problems = missed + check(burst, jobs, killed, folder)
    finally:
        workers.stop_all()
        if server is not None:
            stop_server(server)
        if not args.keep:
            drop_database(server_url, name)
    print(f"Took {time.monotonic() - started:.0f} s.")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        raise SystemExit(1)
    print("Every job ran to completion exactly once; each killed job was recovered in time.")


if __name__ == "__main__":
    main()
