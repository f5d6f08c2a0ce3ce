"""How fast a survey's sample is drawn from a 200,000-row customer list (target: under 1 s).

    .venv/bin/python benchmarks/sample_draw.py [--rows 200000] [--runs 5] [--keep DIR]

On a throwaway SQLite database with the project's own settings (WAL, IMMEDIATE transactions),
migrated and filled before the clock starts: a recommended application with an accepted list
of ``--rows`` customers (Chinese names and addresses, unique phones), and another applicant
of the same campaign whose drawn sample holds a few hundred of the same phones (so the
exclusion rule has work to do). Then, each run on a fresh survey (the previous one's contacts
and survey removed), the median of ``--runs`` runs of:

1. baseline: the list's customer ids read with ``values_list`` (what any draw must at least do);
2. ``sampling.services.draw_sample`` without strata: read the list, hash it, exclude the
   phones already taken, draw, count other lists, store the contacts, move the survey;
3. the same with both strata (region × customer type), which reads names and addresses too;
4. ``sampling.services.check_draw``: redo the draw from the stored seed and compare.

Prints seconds and the ratio of each to the baseline measured in the same run.
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

DISTRICTS = ["越秀区", "海珠区", "荔湾区", "天河区", "白云区", "黄埔区", "番禺区", "花都区"]
OTHER_CITIES = ["佛山市禅城区", "东莞市南城区", "深圳市福田区"]
TRADES = ["贸易", "电器", "建材", "物流", "餐饮", "科技", "食品", "服装"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def customer_values(list_id: int, i: int, rng: random.Random) -> tuple:
    """Row i: a person or a company, in Guangzhou or not, a phone unique to i."""
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.3:
        name = f"{surname}{rng.choice('伟芳娜敏静丽强磊')}{i}"
    else:
        name = f"广州市{rng.choice(TRADES)}{surname}氏{i}号有限公司"
    if rng.random() < 0.9:
        address = f"广州市{rng.choice(DISTRICTS)}中山大道{rng.randint(1, 999)}号"
    else:
        address = f"{rng.choice(OTHER_CITIES)}人民路{rng.randint(1, 999)}号"
    phone = f"139{i:08d}"  # the same i gives the same phone on every list
    return (list_id, i + 2, str(i), name, address, "", "", phone, phone, "")


def fill_list(customer_list, rows: int, *, offset: int = 0, seed: int = 1) -> None:
    """Insert the customers in bulk (the import's own speed is benchmarks/customer_import.py)."""
    from django.db import connection, transaction

    from manyi.applications.models import Customer

    meta = Customer._meta
    columns = [
        "customer_list",
        "row",
        "seq",
        "name",
        "address",
        "department",
        "contact",
        "phone",
        "phone_normalized",
        "email",
    ]
    quote = connection.ops.quote_name
    names = ", ".join(quote(meta.get_field(c).column) for c in columns)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - names from the model
    )
    rng = random.Random(seed)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            sql, (customer_values(customer_list.pk, offset + i, rng) for i in range(rows))
        )
    customer_list.row_count = rows
    customer_list.save(update_fields=["row_count"])


def build_world(rows: int):
    """A campaign, a survey firm, staff, a published questionnaire, the big list's
    application, and another applicant whose drawn sample shares phones with it."""
    from django.utils import timezone

    from manyi.accounts.models import Membership, Organisation, User
    from manyi.accounts.roles import OrgKind, Role
    from manyi.accounts.uscc import make_uscc
    from manyi.applications.models import Application, CustomerList, CustomerListStatus
    from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus
    from manyi.fieldwork.sampling import services
    from tests.fieldwork.factories import make_questionnaire

    now = timezone.now()
    campaign = Campaign.objects.create(
        year=now.year,
        title="基准测试",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=1),
        status=CampaignStatus.PUBLISHED,
    )
    CampaignCategory.objects.create(campaign=campaign, category="brand", data_year=now.year - 1)
    committee = Organisation.objects.create(kind=OrgKind.COMMITTEE, name="广州市用户委员会")
    staff = User.objects.create(email="staff@example.cn", full_name="工作人员")
    Membership.objects.create(user=staff, organisation=committee, role=Role.COMMITTEE_STAFF)
    firm = Organisation.objects.create(kind=OrgKind.SURVEY_FIRM, name="明镜调查有限公司")
    make_questionnaire(staff, category="brand")

    def application(name: str, size: int, offset: int, uscc: str):
        organisation = Organisation.objects.create(
            kind=OrgKind.ENTERPRISE, name=name, uscc=make_uscc(uscc)
        )
        app = Application.objects.create(
            campaign=campaign,
            category="brand",
            organisation=organisation,
            created_by=staff,
            status="accepted",  # the committee accepted it: its survey may start
            submitted_at=now,
        )
        customer_list = CustomerList.objects.create(
            application=app,
            status=CustomerListStatus.ACCEPTED,
            is_current=True,
            original_name="用户名单.xlsx",
            sha256="-",
            uploaded_by=staff,
        )
        fill_list(customer_list, size, offset=offset, seed=offset + 1)
        return app

    big = application("广州市示例电器有限公司", rows, 0, "91440100MA0000001")
    other = application(
        "广州市另一家有限公司", 2000, 0, "91440100MA0000002"
    )  # the same phones as the first 2,000
    dates = {"field_opens": now.date(), "field_closes": now.date() + datetime.timedelta(days=30)}
    survey = services.assign_survey(application=other, firm=firm, by=staff, **dates)
    services.draw_sample(survey=survey, by=staff, seed=7)
    return {"staff": staff, "firm": firm, "application": big, "dates": dates}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
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
    world = build_world(args.rows)
    print(
        f"SQLite migrated in {migrated:.1f} s; {args.rows} customers (and a drawn neighbour) "
        f"made in {time.perf_counter() - started:.1f} s; median of {args.runs} runs\n"
    )

    from manyi.applications.models import Customer
    from manyi.fieldwork.models import SampledContact, Survey
    from manyi.fieldwork.sampling import services

    application = world["application"]
    staff = world["staff"]

    def fresh_survey(strata=()):
        def make():
            old = Survey.objects.filter(application=application)
            SampledContact.objects.filter(survey__in=old).delete()
            old.delete()
            application.refresh_from_db()
            return services.assign_survey(
                application=application,
                firm=world["firm"],
                by=staff,
                strata=strata,
                **world["dates"],
            )

        return make

    customer_list = application.customer_lists.get()
    baseline, ids = median_of(
        args.runs,
        lambda: customer_list,
        lambda cl: list(Customer.objects.filter(customer_list=cl).values_list("pk", flat=True)),
    )
    figures = {"baseline: ids by values_list": (baseline, f"{len(ids)} ids")}
    for label, strata in (
        ("draw_sample, no strata", ()),
        ("draw_sample, region × type", ("region", "customer_type")),
    ):
        seconds, survey = median_of(
            args.runs,
            fresh_survey(strata),
            lambda s: services.draw_sample(survey=s, by=staff),
        )
        figures[label] = (seconds, f"sample {survey.sample_size} + reserve {survey.reserve_size}")
    seconds, check = median_of(
        args.runs, lambda: survey, lambda s: services.check_draw(survey=s, by=staff)
    )
    figures["check_draw (stratified)"] = (seconds, f"same: {check.same}")

    print(f"{'measurement':<30}{'seconds':>9}{'× baseline':>12}   note")
    for label, (seconds, note) in figures.items():
        print(f"{label:<30}{seconds:>9.3f}{seconds / baseline:>11.1f}x   {note}")
    plain = figures["draw_sample, no strata"][0]
    print(f"\ndraw from {args.rows} rows: {plain:.3f} s ({'under' if plain < 1 else 'OVER'} 1 s)")


if __name__ == "__main__":
    main()
