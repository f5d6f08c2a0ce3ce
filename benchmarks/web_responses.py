"""Load on the web questionnaire: responses per second from 50 clients, and a kill test.

    .venv/bin/python benchmarks/web_responses.py [--seconds 60] [--clients 50] [--workers 2]
        [--threads 1] [--surveys 2] [--contacts 15000] [--kill-after 3] [--keep DIR]

On a throwaway SQLite file with the project's own settings (WAL, IMMEDIATE transactions), or on
PostgreSQL when DATABASE_URL is set: that database must be empty (the script migrates and fills
it; create it before and drop it after). Steps:

1. build: migrate; --surveys surveys in the field, each with --contacts sampled contacts, each
   with a fresh link (the tokens stay in this process; the database holds their hashes);
2. serve: gunicorn on loopback (`gunicorn manyi.wsgi`, --workers; sync workers, or gthread
   with --threads > 1), DEBUG off, as in production;
3. baseline: the same load against a trivial public page, the link page with an unknown token
   (one indexed read, the small public template, a friendly 404);
4. load: --clients threads, each with a keep-alive http.client connection (sync workers close
   it after each answer; the client reconnects), each posting complete answers to a distinct
   token for --seconds. Prints responses/s, p50/p95/p99 latency, errors, and responses/s in
   each sixth of the run (a slowing down as responses pile up shows there);
5. kill test: a fresh burst; after --kill-after seconds SIGKILL to gunicorn's master and
   workers at once. Every token that got the thank-you page must have its Response in the
   database; exit status 1 if one is missing.

Also prints the queries of one submission (through Django's test client, before the load).
BENCH_GUNICORN_ARGS adds options to gunicorn's command line (e.g. "-c experiment.py"); the
server helpers are shared with web_load.py (benchmarks/serving.py).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.serving import free_port, stop_server  # noqa: E402 - after the path
from benchmarks.serving import start_server as start_gunicorn  # noqa: E402

THANKS = b'data-outcome="thanks"'
UNKNOWN_TOKEN = "benchmark-unknown-token-" + "x" * 19


# --------------------------------------------------------------------------------------------
# The database


def environment(folder: Path) -> dict:
    """What both this process and gunicorn run with: the project's settings, DEBUG off."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "manyi.settings",
        "MANYI_VAR_DIR": str(folder),
        "MEDIA_ROOT": str(folder / "media"),
        "DEBUG": "0",  # DEBUG keeps every query in memory: not what a server does
        "MANYI_DEMO_SKIP_MFA": "0",
        "EMAIL_URL": "locmem://",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECRET_KEY": "benchmark-only-" + "k" * 40,
    }
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = ""
        env["SQLITE_PATH"] = str(folder / "bench.sqlite3")
    return env


def persistent_connections(folder: Path, env: dict, seconds: int) -> dict:
    """A settings module that only adds CONN_MAX_AGE (the project's SQLite settings open a
    connection, and run their PRAGMAs, for every request)."""
    (folder / "bench_settings.py").write_text(
        "from manyi.settings import *  # noqa: F403\n"
        f"DATABASES['default']['CONN_MAX_AGE'] = {seconds}  # noqa: F405\n"
    )
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), env["PYTHONPATH"]]),
    }


def setup_django(env: dict) -> str:
    os.environ.update(env)
    sys.path.insert(0, env["PYTHONPATH"].split(os.pathsep)[0])
    import django

    django.setup()
    from django.db import connection

    return connection.vendor


def refuse_a_database_in_use() -> None:
    from django.db import connection

    if connection.vendor == "postgresql" and connection.introspection.table_names():
        raise SystemExit(
            "DATABASE_URL names a database that already has tables: give an empty one."
        )


def build(surveys: int, contacts: int) -> list[str]:
    """Migrate and fill the database; returns the tokens of every contact, shuffled."""
    import datetime
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from manyi.accounts.models import Membership, Organisation, User
    from manyi.accounts.roles import OrgKind, Role
    from manyi.accounts.uscc import make_uscc
    from manyi.applications.models import Application, Customer, CustomerList
    from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus
    from manyi.fieldwork.models import ContactStatus, SampledContact, Survey, SurveyStatus
    from manyi.fieldwork.services import phone_key
    from manyi.fieldwork.web.links import link_expiry
    from tests.fieldwork.factories import make_questionnaire

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    now = timezone.now()
    staff = User.objects.create(email="bench-staff@example.cn", full_name="基准")
    campaign = Campaign.objects.create(
        year=now.year,
        title="基准测试",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=30),
        status=CampaignStatus.PUBLISHED,
    )
    CampaignCategory.objects.create(campaign=campaign, category="brand", data_year=now.year - 1)
    firm = Organisation.objects.create(kind=OrgKind.SURVEY_FIRM, name="基准调查有限公司")
    questionnaire = make_questionnaire(staff, category="brand")
    tokens = []
    for s in range(surveys):
        organisation = Organisation.objects.create(
            kind=OrgKind.ENTERPRISE,
            name=f"基准企业{s + 1}有限公司",
            uscc=make_uscc(f"91440100MA{s + 1:07d}"),
        )
        Membership.objects.create(
            user=staff if s == 0 else User.objects.create(email=f"bench{s}@example.cn"),
            organisation=organisation,
            role=Role.ENTERPRISE_USER,
        )
        application = Application.objects.create(
            campaign=campaign,
            category="brand",
            organisation=organisation,
            created_by=staff,
            status="accepted",  # the committee accepted it: its survey may start
        )
        customer_list = CustomerList.objects.create(
            application=application,
            status="accepted",
            is_current=True,
            original_name="用户名单.xlsx",
            sha256="0" * 64,
            row_count=contacts,
            uploaded_by=staff,
        )
        base = 13000000000 + s * 10_000_000
        Customer.objects.bulk_create(
            (
                Customer(
                    customer_list=customer_list,
                    row=i + 3,
                    seq=str(i + 1),
                    name=f"用户{i + 1}",
                    phone=str(base + i),
                    phone_normalized=str(base + i),
                    email=f"user{s}-{i}@example.cn",
                )
                for i in range(contacts)
            ),
            batch_size=2000,
        )
        survey = Survey.objects.create(
            application=application,
            campaign=campaign,
            firm=firm,
            questionnaire=questionnaire,
            status=SurveyStatus.IN_FIELD,
            target_completes=contacts // 2,
            field_opens=timezone.localdate() - datetime.timedelta(days=1),
            field_closes=timezone.localdate() + datetime.timedelta(days=30),
            assigned_by=staff,
            customer_list=customer_list,
            sample_size=contacts,
        )
        expires_at = link_expiry(survey)
        rows = []
        for i, customer in enumerate(customer_list.customers.order_by("row").iterator()):
            token = secrets.token_urlsafe(32)
            tokens.append(token)
            rows.append(
                SampledContact(
                    survey=survey,
                    campaign=campaign,
                    customer=customer,
                    position=i + 1,
                    phone_key=phone_key(campaign.pk, customer.phone_normalized),
                    email=customer.email,
                    status=ContactStatus.INVITED,
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    token_expires_at=expires_at,
                    invited_at=now,
                )
            )
        SampledContact.objects.bulk_create(rows, batch_size=2000)
    random.Random(1).shuffle(tokens)  # clients spread over the surveys, as respondents would
    return tokens


def answers_body(seed: int) -> bytes:
    """Complete, plausible answers as the page's form posts them (scores vary per client)."""
    from manyi.fieldwork.models import Questionnaire

    data = {}
    for i, q in enumerate(Questionnaire.objects.get(category="brand").questions):
        name = f"q_{q['code']}"
        if q["kind"] == "score":
            data[name] = str(5 + (seed + i) % 5)
        elif q["kind"] == "yes_no":
            data[name] = "no" if q["purpose"] == "complaint" else "yes"
        else:
            data[name] = "服务很好" if q["purpose"] == "open" else ""
    return urlencode(data).encode()


def queries_of_one_submission(token: str) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    body = answers_body(0)
    with CaptureQueriesContext(connection) as queries:
        reply = Client().post(
            f"/s/{token}/", body, content_type="application/x-www-form-urlencoded"
        )
    if THANKS not in reply.content:
        raise SystemExit(f"the probe submission failed: {reply.status_code}")
    return [q["sql"] for q in queries.captured_queries]


def stored_responses(tokens: list[str]) -> int:
    """How many of these tokens' contacts have their response in the database."""
    from django.db import connection

    from manyi.fieldwork.models import SampledContact

    connection.close()  # a fresh connection sees what the killed server committed
    found = 0
    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in tokens]
    for start in range(0, len(hashes), 500):
        found += SampledContact.objects.filter(
            token_hash__in=hashes[start : start + 500], response__isnull=False
        ).count()
    return found


def start_server(env: dict, port: int, workers: int, threads: int, log: Path):
    """gunicorn, ready once the unknown link's page answers (a friendly 404)."""
    return start_gunicorn(
        env, port, workers, threads, log, probe=f"/s/{UNKNOWN_TOKEN}/", ready=(404,)
    )


# --------------------------------------------------------------------------------------------
# The clients


class Load:
    """Clients that each take the next token and post, until told to stop or out of tokens."""

    def __init__(
        self, port: int, tokens: list[str] | None, bodies: list[bytes], give_up: bool = False
    ):
        self.port = port
        self.give_up = give_up  # the kill test: a client stops at its first broken request
        self.tokens = iter(tokens) if tokens is not None else None
        self.bodies = bodies
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.records: list[tuple[float, float, bool]] = []  # (finished, seconds, ok)
        self.succeeded: list[str] = []
        self.out_of_tokens = False
        self.taken = 0

    def take(self) -> str | None:
        if self.tokens is None:
            return UNKNOWN_TOKEN
        with self.lock:
            token = next(self.tokens, None)
            self.taken += token is not None
        if token is None:
            self.out_of_tokens = True
        return token

    def client(self, n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        body = self.bodies[n % len(self.bodies)]
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        records, succeeded = [], []
        while not self.stop.is_set():
            token = self.take()
            if token is None:
                break
            started = time.perf_counter()
            try:
                if self.tokens is None:
                    conn.request("GET", f"/s/{token}/")
                else:
                    conn.request("POST", f"/s/{token}/", body, headers)
                reply = conn.getresponse()
                content = reply.read()
                ok = reply.status == 404 if self.tokens is None else THANKS in content
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                if self.give_up:
                    records.append((time.perf_counter(), 0.0, False))
                    break
                self.stop.wait(0.05)  # do not spin against a server that is not there
            finished = time.perf_counter()
            records.append((finished, finished - started, ok))
            if ok and self.tokens is not None:
                succeeded.append(token)
        conn.close()
        with self.lock:
            self.records += records
            self.succeeded += succeeded

    def run(self, clients: int, seconds: float, during=None) -> float:
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        if during is not None:
            during()
        self.stop.wait(max(0.0, seconds - (time.perf_counter() - started)))
        self.stop.set()
        for thread in threads:
            thread.join()
        self.started = started
        return time.perf_counter() - started


def summary(load: Load, elapsed: float) -> dict:
    good = [r for r in load.records if r[2]]
    latencies = sorted(r[1] for r in good) or [0.0]
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "ok": len(good),
        "errors": len(load.records) - len(good),
        "rate": len(good) / elapsed,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
    }


def print_figures(name: str, figures: dict) -> None:
    print(
        f"{name:<34}{figures['ok']:>8}{figures['rate']:>10.1f}{figures['p50']:>9.1f}"
        f"{figures['p95']:>9.1f}{figures['p99']:>9.1f}{figures['errors']:>8}"
    )


def by_sixth(load: Load, elapsed: float) -> list[float]:
    width = elapsed / 6
    counts = [0] * 6
    for finished, _seconds, ok in load.records:
        if ok:
            counts[min(5, int((finished - load.started) / width))] += 1
    return [c / width for c in counts]


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="> 1: gthread workers")
    parser.add_argument("--surveys", type=int, default=2)
    parser.add_argument("--contacts", type=int, default=15_000, help="per survey")
    parser.add_argument("--kill-after", type=float, default=3)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="keep database connections this many seconds (the project's SQLite settings: 0)",
    )
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        sys.exit(report(folder, args))


def report(folder: Path, args: argparse.Namespace) -> int:
    env = environment(folder)
    if args.conn_max_age is not None:
        env = persistent_connections(folder, env, args.conn_max_age)
    vendor = setup_django(env)
    refuse_a_database_in_use()
    started = time.perf_counter()
    tokens = build(args.surveys, args.contacts)
    print(
        f"{vendor}: {args.surveys} surveys in the field, {len(tokens)} contacts with a link, "
        f"built in {time.perf_counter() - started:.0f} s"
    )
    queries = queries_of_one_submission(tokens.pop())
    print(f"queries of one submission: {len(queries)}")
    for sql in queries:
        print(f"    {sql[:150]}")
    bodies = [answers_body(n) for n in range(args.clients)]
    from django.db import connection

    connection.close()

    port = free_port()
    kind = f"gthread ×{args.threads}" if args.threads > 1 else "sync"
    from django.conf import settings

    print(
        f"\ngunicorn: {args.workers} workers ({kind}), {args.clients} clients, "
        f"{args.seconds:.0f} s, CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}"
    )
    log = folder / "gunicorn.log"
    server = start_server(env, port, args.workers, args.threads, log)
    try:
        baseline = Load(port, None, bodies)
        baseline_figures = summary(baseline, baseline.run(args.clients, args.seconds))
        load = Load(port, tokens, bodies)
        elapsed = load.run(args.clients, args.seconds)
        figures = summary(load, elapsed)
    finally:
        stop_server(server)
    print(f"{'':<34}{'ok':>8}{'per s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    print_figures("baseline: unknown link (GET, 404)", baseline_figures)
    print_figures("responses (POST, stored)", figures)
    print(f"responses / baseline: {figures['rate'] / baseline_figures['rate']:.2f}x")
    print(
        "responses/s by sixth of the run: " + ", ".join(f"{r:.0f}" for r in by_sixth(load, elapsed))
    )
    if load.out_of_tokens:
        print("(ran out of tokens before the end: give --contacts or --surveys more)")
    met = figures["rate"] >= 200 and figures["errors"] == 0
    print(f"target ≥ 200 responses/s with 0 errors: {'met' if met else 'NOT met'}")

    remaining = tokens[load.taken :]
    print(f"\nkill test: SIGKILL to gunicorn after {args.kill_after:.1f} s of the burst")
    port = free_port()
    server = start_server(env, port, args.workers, args.threads, log)
    burst = Load(port, remaining, bodies, give_up=True)

    def kill_in_the_middle():
        time.sleep(args.kill_after)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()

    burst.run(args.clients, args.kill_after + 1, during=kill_in_the_middle)
    found = stored_responses(burst.succeeded)
    failed = sum(1 for r in burst.records if not r[2])
    print(f"thank-you pages before the kill: {len(burst.succeeded)}")
    print(f"their responses in the database:  {found}")
    print(f"requests cut off by the kill:     {failed} (none of them may be half stored)")
    if found != len(burst.succeeded):
        print(f"MISSING: {len(burst.succeeded) - found} answered responses are not stored")
        return 1
    print("every answered response is stored")
    return 0


if __name__ == "__main__":
    main()
