"""The main pages at city scale: each page's single-request time against a bare logged-in
view that only answers "ok" (/ping/), then a realistic mix of 50 people against the same.

    make bench-env    # once: locust in .venv-bench (kept out of requirements.lock: gevent)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/manyi_scale REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python benchmarks/web_load.py [--users 50] [--seconds 60] [--workers 2]
        [--threads 1] [--requests 30] [--only-single] [--writes-per-second 0] [--keep DIR]

The database: PostgreSQL, grown to a city's year, e.g.

    createdb -h 127.0.0.1 -U postgres manyi_scale
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/manyi_scale
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py load_demo --quiet
    .venv/bin/python manage.py grow_world --applications 10000    # --million: 1,000,000 customers

Steps:
1. sessions: one logged-in session (with its CSRF cookie) per simulated person, in each role
   (association admin, committee staff, agency staff, enterprise user, work-department
   inspector, expert: the demo's accounts), written straight into the session store. Logging in (password, TOTP) is not what is measured. People whose
   role needs two-factor login get a TOTP authenticator if they have none (the middleware
   refuses them every page otherwise): the one change this script makes to the database.
2. static files collected into var/bench-static (production's manifest storage needs them);
3. gunicorn on loopback (`gunicorn manyi.wsgi --workers N`), MANYI_ENV=production, DEBUG off,
   Redis for the cache, without the HTTPS redirect and secure cookies (no TLS on loopback);
4. single requests: per page --requests requests one after another (after a warm-up), each
   timed by the client on loopback (connect to last byte: the server's time plus well under a
   millisecond); the table gives median and p95, the median's ratio to /ping/'s, the page's
   weight and SQL queries (one request through Django's test client in this process), and
   whether it meets the target of ≤ 5× /ping/. That is the page as its reader opens it again
   (common.pagecache keeps it until the data changes); "cold" is the same page rendered
   afresh each time (a parameter no page reads, new on every request), as the first view
   after a change costs, with the queries that render runs;
5. the mix: --users locust users (FastHttpUser, no pause) for --seconds, each a person of one
   role walking its pages by weight; then the same users on /ping/ alone. Prints throughput,
   median, p95 and failures of both, and mix / ping throughput (target ≥ 0.5, 0 failures).
   Locust runs from .venv-bench as its own process, on the same cores as the server. With
   --writes-per-second N the mix runs a second time while this process stands for N committed
   writes a second somewhere in the city (each retires every kept page), so the mix is
   measured between "nothing changes" and "something changes all the time".

Figures go to DIR/results.json as well (a temporary folder unless --keep).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.serving import free_port, start_server, stop_server  # noqa: E402 - after the path
from benchmarks.web_pages import (  # noqa: E402
    PING,
    ROLE_SHARE,
    ROLES,
    measure_page,
    pages_to_measure,
    print_single,
    queries_of,
)

LOCUST = ROOT / ".venv-bench" / "bin" / "locust"
TARGET_RATIO, TARGET_SHARE = 5.0, 0.5


def environment(folder: Path) -> dict:
    """Production settings on loopback, for gunicorn and for this process alike (sessions are
    signed with SECRET_KEY: both sides must share it)."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            raise SystemExit(f"{name} is not set; see the docstring: python {__file__} --help")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database grown with grow_world")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "manyi.settings",
        "MANYI_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "web-load-benchmark-only-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "EMAIL_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
        "MANYI_DEMO_SKIP_MFA": "0",
    }


def static_is_stale(root: Path) -> bool:
    """Collecting (hashing and compressing every file) takes minutes on a busy machine: only
    when a file of the project's static folder is newer than the last manifest."""
    manifest = root / "staticfiles.json"
    if not manifest.exists():
        return True
    newest = max(p.stat().st_mtime for p in (ROOT / "src" / "manyi" / "static").rglob("*"))
    return newest > manifest.stat().st_mtime


def setup(env: dict) -> dict[str, str]:
    """Django in this process; static files collected; a session cookie per role."""
    os.environ.update(env)
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from manyi.accounts.access import needs_mfa
    from manyi.accounts.models import User

    if static_is_stale(Path(env["STATIC_ROOT"])):
        started = time.perf_counter()
        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"static files collected in {time.perf_counter() - started:.0f} s")
    settings = django.conf.settings
    cookies = {}
    for role, email in ROLES.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            raise SystemExit(f"{email} is missing: load the demo (manage.py load_demo) first")
        if needs_mfa(user) and not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, generate_totp_secret())
            print(f"gave {email} a TOTP authenticator (two-factor roles need one)")
        # One session per simulated person, as each person's browser has its own (pages are
        # kept per session: one shared session would make every person's first view free).
        cookies[role] = []
        for _person in range(max(1, ROLE_SHARE.get(role, 1))):
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            # A browser holds the CSRF cookie from its first page on.
            cookies[role].append(
                f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
            )
    return cookies


def run_locust(folder: Path, plan: dict, port: int, users: int, seconds: float, tag: str) -> dict:
    """One headless locust run; the Aggregated line of its CSV statistics."""
    plan_path = folder / f"plan-{tag}.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False))
    prefix = folder / tag
    command = [
        str(LOCUST),
        "-f",
        str(ROOT / "benchmarks" / "web_locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{int(seconds)}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--stop-timeout",
        "10",
    ]
    env = {**os.environ, "MANYI_LOAD_PLAN": str(plan_path)}
    with (folder / f"locust-{tag}.log").open("w") as log:
        subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rate": float(row["Requests/s"]),
        "median": float(row["50%"]),
        "p95": float(row["95%"]),
    }


def mix_plan(pages, cookies: dict) -> tuple[dict, dict]:
    """The realistic mix and the same people on /ping/ alone, as locust plans."""
    roles: dict = {}
    for page in pages:
        if page.weight:
            spec = roles.setdefault(page.role, {"cookies": cookies[page.role], "pages": []})
            spec["pages"].append([page.label, page.path, page.weight])
    for role, spec in roles.items():
        spec["weight"] = ROLE_SHARE[role]
    ping = {
        role: {"cookies": spec["cookies"], "weight": spec["weight"], "pages": [["ping", PING, 1]]}
        for role, spec in roles.items()
    }
    return {"roles": roles}, {"roles": ping}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="> 1: gthread workers")
    parser.add_argument("--requests", type=int, default=30, help="per page, one at a time")
    parser.add_argument("--only-single", action="store_true", help="skip the 50-user mix")
    parser.add_argument(
        "--writes-per-second",
        type=float,
        default=0,
        help="also run the mix while the data changes this often (each change retires kept pages)",
    )
    parser.add_argument("--keep", type=Path, help="keep plans, logs and results here")
    args = parser.parse_args()
    if not args.only_single and not LOCUST.exists():
        raise SystemExit(f"{LOCUST} is missing: run `make bench-env` first")
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        report(folder, args)


def report(folder: Path, args: argparse.Namespace) -> None:
    env = environment(folder)
    cookies = setup(env)
    from django.db import connection

    from manyi.applications.models import Application, Customer

    print(
        f"database: {Application.objects.count():,} applications, "
        f"{Customer.objects.count():,} customers; load average "
        + ", ".join(f"{n:.1f}" for n in os.getloadavg())
        + f" on {os.cpu_count()} cores"
    )
    pages, skipped = pages_to_measure()
    for label in skipped:
        print(f"(no such page here, skipped: {label})")
    counts = {page.label: queries_of(page, cookies) for page in pages}
    connection.close()
    port = free_port()
    log = folder / "gunicorn.log"
    server = start_server(env, port, args.workers, args.threads, log, probe=PING, ready=(302,))
    results: dict = {"workers": args.workers, "threads": args.threads}
    try:
        single = [measure_page(port, page, cookies, args.requests) for page in pages]
        baseline = single[0]["median"]
        print(
            f"\nsingle requests: gunicorn {args.workers} workers, {args.requests} requests "
            "per page, one client"
        )
        print_single(single, baseline, TARGET_RATIO, counts)
        results["single"] = single
        if not args.only_single:
            mix, ping = mix_plan(pages, cookies)
            print(f"\n{args.users} users for {args.seconds:.0f} s each (locust, no pause):")
            results["mix"] = run_locust(folder, mix, port, args.users, args.seconds, "mix")
            results["ping"] = run_locust(folder, ping, port, args.users, args.seconds, "ping")
            print_mix(results["mix"], results["ping"])
            if args.writes_per_second > 0:
                with changing(args.writes_per_second):
                    results["mix_changing"] = run_locust(
                        folder, mix, port, args.users, args.seconds, "mix-changing"
                    )
                print(f"\nthe mix again, the data changing {args.writes_per_second:g}× a second:")
                print_mix(results["mix_changing"], results["ping"])
    finally:
        stop_server(server)
    (folder / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


@contextlib.contextmanager
def changing(per_second: float):
    """Retire every kept page ``per_second`` times a second, as committed writes would."""
    from manyi.common.pagecache import new_generation

    stop = threading.Event()

    def writer():
        while not stop.wait(1 / per_second):
            new_generation()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def print_mix(mix: dict, ping: dict) -> None:
    print(f"{'':<22}{'requests':>10}{'per s':>9}{'median ms':>11}{'p95 ms':>9}{'failures':>10}")
    for name, figures in (("realistic mix", mix), ("/ping/ alone", ping)):
        print(
            f"{name:<22}{figures['requests']:>10}{figures['rate']:>9.1f}{figures['median']:>11.0f}"
            f"{figures['p95']:>9.0f}{figures['failures']:>10}"
        )
    share = mix["rate"] / ping["rate"] if ping["rate"] else 0.0
    met = share >= TARGET_SHARE and mix["failures"] == 0 and ping["failures"] == 0
    print(
        f"mix throughput / ping throughput: {share:.2f} (target ≥ {TARGET_SHARE}, 0 failures): "
        f"{'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
