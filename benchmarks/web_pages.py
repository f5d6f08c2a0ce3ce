"""The pages benchmarks/web_load.py measures, who opens them, and how one page is timed.

Each page is named by its URL name (so a moved path follows), with a query string and its
weight among its role's pages in the realistic mix: what a day's work looks like — agencies
working their queue, staff on lists and the dashboard, applicants checking their
applications. A page whose URL name does not exist (yet) is skipped and said so.
"""

from __future__ import annotations

import http.client
import statistics
import time
from dataclasses import dataclass

PING = "/ping/"
# role -> the demo account that plays it
ROLES = {
    "admin": "admin@demo.manyi.cn",
    "staff": "staff@demo.manyi.cn",
    "agency": "agency@demo.manyi.cn",
    "enterprise": "enterprise@demo.manyi.cn",
    "inspector": "inspector@demo.manyi.cn",
    "expert": "expert@demo.manyi.cn",
}
# How many of the simulated people play each role (out of 50: 20 applicants, 15 agency staff,
# 10 committee staff, 2 administrators, 2 inspectors, 1 expert).
ROLE_SHARE = {"enterprise": 20, "agency": 15, "staff": 10, "admin": 2, "inspector": 2, "expert": 1}
# (role, label, URL name, query string, weight among the role's pages in the mix)
PAGES = [
    ("staff", "ping", "ping", "", 0),
    ("staff", "staff: dashboard", "dashboard", "", 3),
    ("staff", "staff: applications", "applications:list", "", 4),
    (
        "staff",
        "staff: applications submitted p3",
        "applications:list",
        "?status=submitted&page=3",
        2,
    ),
    ("staff", "staff: organisations", "accounts:organisation_list", "", 1),
    ("staff", "staff: activity log", "common:activity_log", "", 1),
    ("staff", "staff: outbox", "common:outbox", "", 1),
    ("staff", "staff: reviews", "reviews:list", "", 2),
    ("staff", "staff: datasets", "surveys:dataset_list", "", 1),
    ("staff", "staff: runs", "surveys:run_list", "", 1),
    ("admin", "admin: dashboard", "dashboard", "", 1),
    ("agency", "agency: queue", "applications:agency_queue", "", 4),
    ("agency", "agency: members", "accounts:agency_members", "", 2),
    ("agency", "agency: applications", "applications:list", "", 3),
    ("agency", "agency: datasets", "surveys:dataset_list", "", 1),
    ("enterprise", "enterprise: dashboard", "dashboard", "", 3),
    ("enterprise", "enterprise: applications", "applications:list", "", 3),
    ("inspector", "inspector: applications", "applications:list", "", 2),
    ("expert", "expert: dashboard", "dashboard", "", 1),
]


@dataclass(frozen=True)
class Page:
    role: str
    label: str
    path: str
    weight: int


def pages_to_measure() -> tuple[list[Page], list[str]]:
    """The pages that exist here (/ping/ first), and the labels of those that do not."""
    from django.urls import NoReverseMatch, reverse

    pages, skipped = [], []
    for role, label, name, query, weight in PAGES:
        try:
            pages.append(Page(role, label, reverse(name) + query, weight))
        except NoReverseMatch:
            skipped.append(label)
    return pages, skipped


def cold(path: str, n: int) -> str:
    """The path with a parameter no page reads, new each time: the page as rendered afresh,
    not as kept for its reader (common.pagecache keys a page by its whole URL)."""
    return f"{path}{'&' if '?' in path else '?'}_cold={n}"


def queries_of(page: Page, cookies: dict) -> int:
    """The SQL queries of one request for the page rendered afresh, through Django's test
    client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_COOKIE=cookies[page.role][0])
    client.get(page.path)  # the first request of a process fills caches: not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(cold(page.path, 0))
    return len(queries) if response.status_code == 200 else -response.status_code


def _timed(port: int, path: str, headers: dict, requests: int, *, fresh: bool) -> dict:
    times, size, errors = [], 0, 0
    for n in range(requests + 3):
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", cold(path, n) if fresh else path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        seconds = time.perf_counter() - started
        if response.status != 200:
            errors += 1
        if n >= 3:
            times.append(seconds * 1000)
            size = len(body)
    times.sort()
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return {"median": statistics.median(times), "p95": p95, "kb": size / 1024, "errors": errors}


def measure_page(port: int, page: Page, cookies: dict, requests: int) -> dict:
    """`requests` GETs one after another (after three to warm each worker up), as a reader
    opens the page again; then as many rendered afresh (the first view after a change)."""
    headers = {"Cookie": cookies[page.role][0]}
    again = _timed(port, page.path, headers, requests, fresh=False)
    fresh = _timed(port, page.path, headers, requests, fresh=True)
    return {
        "page": page.label,
        "path": page.path,
        **again,
        "cold_median": fresh["median"],
        "cold_p95": fresh["p95"],
        "errors": again["errors"] + fresh["errors"],
    }


def print_single(rows: list[dict], baseline: float, target: float, queries: dict) -> None:
    """The page as its reader opens it again (the target), and rendered afresh ("cold": the
    first view after the data changed, with the queries that costs)."""
    print(
        f"{'page':<36}{'median ms':>10}{'p95 ms':>9}{'× ping':>8}{'cold ms':>9}{'cold ×':>8}"
        f"{'KB':>8}{'queries':>9}  ≤ {target:g}×"
    )
    for row in rows:
        ratio = row["median"] / baseline if baseline else 0.0
        row["ratio"] = ratio
        row["cold_ratio"] = row["cold_median"] / baseline if baseline else 0.0
        row["queries"] = queries.get(row["page"])
        verdict = "yes" if ratio <= target else "NO"
        if row["errors"]:
            verdict += f" ({row['errors']} errors)"
        print(
            f"{row['page']:<36}{row['median']:>10.1f}{row['p95']:>9.1f}{ratio:>8.1f}"
            f"{row['cold_median']:>9.1f}{row['cold_ratio']:>8.1f}"
            f"{row['kb']:>8.1f}{row['queries']:>9}  {verdict}"
        )
