"""How fast a weighted spot check of 10,000 title holders is framed, drawn and checked.

    .venv/bin/python benchmarks/spot_checks.py [--holders 10000] [--runs 5] [--keep DIR]

On a throwaway SQLite database with the project's own settings (WAL, IMMEDIATE transactions),
migrated and filled in bulk before the clock starts: ``--holders`` enterprises, each with one
awarded application (numbered) and one valid title, spread over three past campaigns (so the
titles' ages differ) and the five categories; a few hundred complaints matched to titles or
organisations (some dismissed, which do not count) and a few hundred violations spread over
them, so the complaint and violation factors have work to do. The applications have no
survey: the index factor (near the threshold) reads nothing. Then the median of ``--runs``
runs of:

1. baseline: the valid titles' ids read with ``values_list`` (what any draw must at least do);
2. ``spotchecks.frame.frame_of`` on a planned weighted check of title holders: the frame the
   draw service reads, each member with its risk factors and weight (and its query count);
3. ``spotchecks.services.draw_spot_check`` of 50 from the weighted frame, each run on a fresh
   check planned before the clock starts: read the frame, hash it, draw, store the frame, the
   items and the activity-log entry;
4. ``spotchecks.services.check_draw`` on the drawn check: rehash the stored frame, redo the
   draw, compare with the stored items.

Prints seconds and the ratio of each to the baseline measured in the same run. Then the spot
check list page (``supervision:spotcheck_list``, through ``django.test.Client`` as a logged-in
work-department user) with 10 and with 1,000 checks: the checks planned and drawn above
(those drawn hold their stored frame of ``--holders`` members), topped up in bulk with checks
half of them drawn with 20 items of every result. Prints its query count, which should stay
flat as checks pile up, and its time (median of ``--runs`` requests).
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.harness import configure, median_of  # noqa: E402 - after the path

TRADES = ["贸易", "电器", "建材", "物流", "餐饮", "科技", "食品", "服装"]
CATEGORY_CODES = {  # (申报编号, 证书编号) codes, as the services give them
    "brand": ("BR", "PP"),
    "enterprise": ("EN", "QY"),
    "product": ("PR", "CP"),
    "engineering": ("EG", "GC"),
    "service": ("SV", "FW"),
}
COMPLAINTS = 400
VIOLATIONS = 250
DRAW_SIZE = 50
ITEMS_PER_CHECK = 20


def build_world(holders: int) -> dict:
    """The work department and its inspector (with TOTP, as a staff login needs), an agency,
    three past campaigns with their five categories, ``holders`` enterprises each holding one
    valid title of an awarded application, then complaints and violations about some of them."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import transaction
    from django.utils import timezone

    from manyi.accounts.demo import demo_uscc
    from manyi.accounts.models import Membership, Organisation, User
    from manyi.accounts.roles import AgencyScope, OrgKind, Role
    from manyi.applications.models import Application
    from manyi.applications.states import Status
    from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus
    from manyi.supervision.models import Complaint, ComplaintStatus, Violation, ViolationKind
    from manyi.titles.models import Title, TitleStatus

    rng = random.Random(1)
    now = timezone.now()
    today = timezone.localdate()
    workdept = Organisation.objects.create(kind=OrgKind.WORKDEPT, name="广州市用户工作部")
    inspector = User.objects.create(email="inspector@example.cn", full_name="抽查员")
    Membership.objects.create(user=inspector, organisation=workdept, role=Role.WORKDEPT_STAFF)
    TOTP.activate(inspector, generate_totp_secret())
    agency = Organisation.objects.create(
        kind=OrgKind.AGENCY, name="天河区质量技术协会", agency_scope=AgencyScope.REGION
    )

    years = [today.year - 3, today.year - 2, today.year - 1]
    campaigns = []
    for year in years:
        campaign = Campaign.objects.create(
            year=year,
            title=f"申报{year}年广州市实施用户满意工程先进单位",
            opens_at=now.replace(year=year, month=3, day=1),
            closes_at=now.replace(year=year, month=6, day=1),
            status=CampaignStatus.ARCHIVED,
        )
        CampaignCategory.objects.bulk_create(
            CampaignCategory(campaign=campaign, category=c, data_year=year - 1)
            for c in CATEGORY_CODES
        )
        campaigns.append(campaign)

    categories = list(CATEGORY_CODES)
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(
                kind=OrgKind.ENTERPRISE,
                name=f"广州市{rng.choice(TRADES)}{i}号有限公司",
                uscc=demo_uscc(i),
            )
            for i in range(holders)
        )
        applications = Application.objects.bulk_create(
            Application(
                campaign=campaigns[i % 3],
                category=categories[i % 5],
                organisation=organisation,
                status=Status.AWARDED,
                number=f"{years[i % 3]}-{CATEGORY_CODES[categories[i % 5]][0]}-{i:05d}",
                created_by=inspector,
                submitted_at=now,
                decided_at=now,
            )
            for i, organisation in enumerate(organisations)
        )
        titles = []
        for i, application in enumerate(applications):
            year = years[i % 3]
            valid_from = datetime.date(year, 12, 1)
            titles.append(
                Title(
                    number=f"GZYH-{year}-{CATEGORY_CODES[application.category][1]}-{i:05d}",
                    application=application,
                    organisation_id=application.organisation_id,
                    category=application.category,
                    subject=organisations[i].name,
                    year=year,
                    valid_from=valid_from,
                    valid_until=valid_from.replace(year=year + 3),
                    status=TitleStatus.VALID,
                    status_since=valid_from,
                )
            )
        titles = Title.objects.bulk_create(titles)

        complaints = []
        for n in range(COMPLAINTS):
            title = rng.choice(titles)
            about_title = rng.random() < 0.7  # matched to a title; else to its organisation
            complaints.append(
                Complaint(
                    about=title.number if about_title else title.subject,
                    title=title if about_title else None,
                    organisation_id=title.organisation_id,
                    facts="售后服务承诺未兑现。",
                    name="王女士",
                    contact="13900000000",
                    token_hash=f"{n:064d}",
                    status=ComplaintStatus.DISMISSED
                    if rng.random() < 0.1
                    else rng.choice([ComplaintStatus.RECEIVED, ComplaintStatus.ANSWERED]),
                )
            )
        Complaint.objects.bulk_create(complaints)
        Violation.objects.bulk_create(
            Violation(
                organisation_id=title.organisation_id,
                title=title,
                kind=rng.choice(ViolationKind.values),
                description="宣传未标明年份",
                found_on=today - datetime.timedelta(days=rng.randint(0, 700)),
                recorded_by=inspector,
            )
            for title in (rng.choice(titles) for _ in range(VIOLATIONS))
        )
    return {"inspector": inspector, "agency": agency, "organisations": organisations}


def add_checks(world: dict, n: int, offset: int) -> None:
    """``n`` more checks in bulk, every other one drawn with ITEMS_PER_CHECK items of every
    result (what the list's counts add up), a third of them narrowed to the agency."""
    from django.db import transaction
    from django.utils import timezone

    from manyi.supervision.models import (
        CheckResult,
        Population,
        SpotCheck,
        SpotCheckItem,
        SpotCheckStatus,
    )

    today = timezone.localdate()
    organisations = world["organisations"]
    results = list(CheckResult.values)
    with transaction.atomic():
        checks = SpotCheck.objects.bulk_create(
            SpotCheck(
                name=f"{today.year}年第{offset + i + 1}批抽查",
                population=Population.values[i % 3],
                year=today.year - 1 - i % 3,
                agency=world["agency"] if i % 3 == 0 else None,
                size=ITEMS_PER_CHECK,
                weighted=i % 2 == 0,
                status=SpotCheckStatus.DRAWN if i % 2 else SpotCheckStatus.PLANNED,
                created_by=world["inspector"],
            )
            for i in range(n)
        )
        items = []
        for i, check in enumerate(checks):
            if check.status != SpotCheckStatus.DRAWN:
                continue
            for position in range(1, ITEMS_PER_CHECK + 1):
                result = results[(i + position) % len(results)]
                items.append(
                    SpotCheckItem(
                        spot_check=check,
                        position=position,
                        organisation=organisations[
                            (i * ITEMS_PER_CHECK + position) % len(organisations)
                        ],
                        result=result,
                        rectify_by=today if result == CheckResult.RECTIFY else None,
                    )
                )
        SpotCheckItem.objects.bulk_create(items)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--holders", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the database in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        report(folder, args)


def report(folder: Path, args: argparse.Namespace) -> None:
    configure(folder)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    world = build_world(args.holders)
    print(
        f"SQLite migrated in {migrated:.1f} s; {args.holders} title holders, {COMPLAINTS} "
        f"complaints and {VIOLATIONS} violations made in {time.perf_counter() - started:.1f} s; "
        f"median of {args.runs} runs\n"
    )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from manyi.supervision.models import Population
    from manyi.supervision.spotchecks import services
    from manyi.supervision.spotchecks.frame import frame_of
    from manyi.titles.models import Title, TitleStatus

    inspector = world["inspector"]

    def planned():
        return services.plan_spot_check(
            by=inspector,
            name="获证组织称号使用情况抽查",
            population=Population.TITLE_HOLDERS,
            size=DRAW_SIZE,
            weighted=True,
        )

    baseline, ids = median_of(
        args.runs,
        lambda: None,
        lambda _: list(Title.objects.filter(status=TitleStatus.VALID).values_list("pk", flat=True)),
    )
    figures = {"baseline: ids by values_list": (baseline, f"{len(ids)} ids")}

    check = planned()
    seconds, members = median_of(args.runs, lambda: check, frame_of)
    with CaptureQueriesContext(connection) as queries:
        frame_of(check)
    n_queries = len(queries)
    flagged = [m for m in members if m.risk.get("complaints") or m.risk.get("violations")]
    risky = len(flagged)
    weight_share = sum(m.weight for m in flagged) / sum(m.weight for m in members)
    figures["frame_of (weighted)"] = (
        seconds,
        f"{len(members)} members, {risky} with complaints or violations, {n_queries} queries",
    )

    seconds, drawn = median_of(
        args.runs,
        planned,
        lambda c: services.draw_spot_check(spot_check=c, by=inspector, seed=7),
    )
    items = list(drawn.items.all())
    flagged = sum(1 for i in items if i.risk.get("complaints") or i.risk.get("violations"))
    figures[f"draw_spot_check of {DRAW_SIZE}"] = (
        seconds,
        f"{len(items)} items, {flagged} with complaints or violations "
        f"(population: {risky / len(members):.1%}, their weight: {weight_share:.1%})",
    )
    seconds, same = median_of(args.runs, lambda: drawn, services.check_draw)
    figures["check_draw"] = (seconds, f"same: {same}")

    print(f"{'measurement':<32}{'seconds':>9}{'× baseline':>12}   note")
    for label, (seconds, note) in figures.items():
        print(f"{label:<32}{seconds:>9.3f}{seconds / baseline:>11.1f}x   {note}")

    list_page(world, args.runs)


def list_page(world: dict, runs: int) -> None:
    """The list page's queries and time with 10 checks, then with 1,000."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from manyi.supervision.models import SpotCheck

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(world["inspector"])
    url = reverse("supervision:spotcheck_list")
    print(f"\n{'list page':<32}{'queries':>9}{'ms':>9}   rows shown")
    for total in (10, 1000):
        existing = SpotCheck.objects.count()
        add_checks(world, max(total - existing, 0), existing)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        n_queries = len(queries)  # now: the log is reset by the next request
        if response.status_code != 200:
            raise SystemExit(f"the list page answered {response.status_code}")
        seconds, response = median_of(runs, lambda: None, lambda _: client.get(url))
        rows = response.content.decode().count("data-spot-check=")
        framed = SpotCheck.objects.filter(population_size__gt=0).count()
        label = f"{SpotCheck.objects.count()} checks ({framed} with a frame)"
        print(f"{label:<32}{n_queries:>9}{seconds * 1000:>9.1f}   {rows}")


if __name__ == "__main__":
    main()
