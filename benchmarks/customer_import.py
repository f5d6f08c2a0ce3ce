"""How fast, and in how much memory, a 100 000-row customer list (附件3) is checked.

    .venv/bin/python benchmarks/customer_import.py [--rows 100000] [--runs 3] [--keep DIR]
        [--store-callable module:function] [--no-database]

Generates a realistic list (.xlsx, Chinese names and addresses, valid and unique phones)
in a temporary directory, then measures, each run in a fresh subprocess so that the peak
RSS (the child's own ru_maxrss) belongs to that measurement alone:

1. bare read with python-calamine (iterate every row);
2. bare read with openpyxl read-only;
3. check_customer_list: guard + parse + validate;
4. check + store in a real database: ``customers.services.run_import`` (guard, check, every row
   inserted in one transaction, the list made current, log entry) on a throwaway SQLite
   database with the project's own settings (WAL, IMMEDIATE transactions). The database is
   migrated once, outside the timing, and copied fresh for each run; the application and the
   stored upload it imports are made before the clock starts;
5. (optional) check + store: ``--store-callable`` names a function that takes
   ``(path, result)`` and stores the rows some other way. Adding any other measurement is one
   function in MEASUREMENTS.

and the guard alone on two zip bombs (500 MiB of zeros; a central directory that lies about
sizes), and the refusal of the same list when it is over the cap (the cap 30 rows and half the
rows below its length): it should cost a fraction of a check, not a check. Prints seconds,
peak MB, and the ratios of (3) and (4) to (1).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def _setup_django() -> None:
    """Only gettext is needed: configure the least, so figures are the checker's own.

    The database measurement sets DJANGO_SETTINGS_MODULE instead and gets the whole project.
    """
    from django.conf import settings

    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        import django

        django.setup()
    elif not settings.configured:
        settings.configure(USE_I18N=False)


# --------------------------------------------------------------------------------------------
# The file

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
DISTRICTS = [
    "越秀区",
    "海珠区",
    "荔湾区",
    "天河区",
    "白云区",
    "黄埔区",
    "番禺区",
    "花都区",
    "南沙区",
    "从化区",
    "增城区",
]
STREETS = [
    "沿江中路",
    "环市东路",
    "中山大道",
    "广州大道北",
    "黄埔大道西",
    "天河路",
    "江南大道中",
    "工业大道",
    "机场路",
    "新港东路",
]
TRADES = ["贸易", "电器", "建材", "物流", "餐饮", "科技", "食品", "服装", "医药", "五金"]
KINDS = ["有限公司", "股份有限公司", "经营部", "商行", "门市部"]
DEPARTMENTS = ["采购部", "行政部", "设备科", "后勤部", "总经办", "财务部", ""]
AREAS = ["020", "0757", "0760", "0769", "0755"]


def customer_row(i: int, rng: random.Random) -> list:
    """Row i: a person or a company, a plausible address, a phone unique to i."""
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.3:
        name, department, contact = f"{surname}{rng.choice('伟芳娜敏静丽强磊军洋')}{i}", "", ""
    else:
        name = f"广州市{rng.choice(TRADES)}{surname}氏{i}号{rng.choice(KINDS)}"
        department, contact = (
            rng.choice(DEPARTMENTS),
            f"{surname}{rng.choice(['先生', '女士', '经理', '工'])}",
        )
    address = f"广州市{rng.choice(DISTRICTS)}{rng.choice(STREETS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}楼"
    draw = rng.random()
    if draw < 0.75:
        phone = int(f"1{rng.choice('35789')}{i:09d}")  # typed as a number, as clerks do
    elif draw < 0.9:
        phone = f"{rng.choice(AREAS)}-{20000000 + i}"
    elif draw < 0.95:
        phone = f"020-{30000000 + i}-{rng.randint(100, 999)}"
    else:
        phone = f"1{rng.choice('35789')}{i:09d}/020-{40000000 + i}"
    return [i, name, address, department, contact, phone]


def write_list(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(20240601)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("用户名单")
    sheet.append(["申报企业名称：广州市示例电器有限公司"])
    sheet.append(["序号", "用户名称或\n企业名称", "详细地址", "联系部门", "联系人", "联系电话"])
    for i in range(1, rows + 1):
        sheet.append(customer_row(i, rng))
    workbook.save(path)


# --------------------------------------------------------------------------------------------
# Measurements: each runs in a child process and returns how many rows it saw.


def measure_calamine(path: str, options: dict) -> int:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    return sum(1 for _ in workbook.get_sheet_by_index(0).iter_rows())


def measure_openpyxl(path: str, options: dict) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def measure_check(path: str, options: dict) -> int:
    _setup_django()
    from manyi.applications.customers.rows import check_customer_list

    result = check_customer_list(path)
    if not result.ok:
        raise SystemExit(f"the generated list should pass: {result.errors[:3]}")
    return len(result.rows)


def measure_over_cap(path: str, options: dict) -> int:
    """The list refused as over a cap below its length: returns 0 rows."""
    _setup_django()
    from manyi.applications.customers.rows import check_customer_list

    result = check_customer_list(path, max_rows=options["max_rows"])
    if result.ok or "超过上限" not in result.errors[0].message:
        raise SystemExit(f"the list should be over the cap: {result.errors[:3]}")
    return len(result.rows)


def measure_check_and_store(path: str, options: dict) -> int:
    """HOOK for the database step: --store-callable module:function(path, result)."""
    _setup_django()
    from manyi.applications.customers.rows import check_customer_list

    module, _, name = options["store_callable"].partition(":")
    store = getattr(importlib.import_module(module), name)
    result = check_customer_list(path)
    store(path, result)
    return len(result.rows)


def prepare_store(path: str, options: dict) -> dict:
    """Before the clock: an applicant, a campaign, an application and the stored upload."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from manyi.accounts.models import Membership, Organisation, User
    from manyi.accounts.roles import OrgKind, Role
    from manyi.accounts.uscc import make_uscc
    from manyi.applications.models import Application, CustomerList
    from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus

    now = timezone.now()
    campaign = Campaign.objects.create(
        year=now.year,
        title="基准测试",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        status=CampaignStatus.PUBLISHED,
    )
    CampaignCategory.objects.create(
        campaign=campaign, category="enterprise", data_year=now.year - 1
    )
    organisation = Organisation.objects.create(
        kind=OrgKind.ENTERPRISE, name="广州市示例电器有限公司", uscc=make_uscc("91440100MA0000001")
    )
    user = User.objects.create(email="bench@example.cn", full_name="基准")
    Membership.objects.create(user=user, organisation=organisation, role=Role.ENTERPRISE_USER)
    application = Application.objects.create(
        campaign=campaign, category="enterprise", organisation=organisation, created_by=user
    )
    relative = "customer-lists/benchmark.xlsx"
    target = settings.MEDIA_ROOT / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    customer_list = CustomerList.objects.create(
        application=application,
        file_path=relative,
        original_name="customers.xlsx",
        sha256="-",
        uploaded_by=user,
    )
    return {"list_id": customer_list.pk}


def measure_store(path: str, options: dict) -> int:
    """The import service itself: check, insert every row in one transaction, make current."""
    from manyi.applications.customers.services import run_import
    from manyi.applications.models import CustomerList

    customer_list = CustomerList.objects.select_related("application").get(pk=options["list_id"])
    done = run_import(customer_list=customer_list)
    if done.status != "accepted" or done.customers.count() != done.row_count:
        raise SystemExit(f"the generated list should be imported: {done.status} {done.errors[:3]}")
    return done.row_count


def measure_guard(path: str, options: dict) -> int:
    _setup_django()
    from manyi.common.spreadsheets import SpreadsheetRejected, inspect_xlsx

    try:
        inspect_xlsx(path)
    except SpreadsheetRejected:
        return 0
    raise SystemExit("the bomb should have been refused")


MEASUREMENTS = {
    "calamine": measure_calamine,
    "openpyxl": measure_openpyxl,
    "check": measure_check,
    "over cap": measure_over_cap,
    "check+store": measure_check_and_store,
    "check+store (SQLite)": measure_store,
    "guard": measure_guard,
}
# Run before the clock starts, in the same child; what they return is added to the options.
PREPARE = {"check+store (SQLite)": prepare_store}
# Imported before the clock starts: a worker has them loaded already.
IMPORTS = {
    "calamine": ["python_calamine"],
    "openpyxl": ["openpyxl"],
    "check": ["manyi.applications.customers.rows"],
    "over cap": ["manyi.applications.customers.rows"],
    "check+store": ["manyi.applications.customers.rows"],
    # A worker has the project loaded, URLs included (the import's mail links to a page).
    "check+store (SQLite)": ["manyi.applications.customers.services", "manyi.urls"],
    "guard": ["manyi.common.spreadsheets"],
}


def child(name: str, path: str, options: dict) -> None:
    _setup_django()
    for module in IMPORTS[name]:
        importlib.import_module(module)
    if name in PREPARE:
        options = {**options, **PREPARE[name](path, options)}
    started = time.perf_counter()
    rows = MEASUREMENTS[name](path, options)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb}))


def run(
    name: str, path: Path, options: dict, runs: int, database: DatabaseTemplate | None = None
) -> dict:
    """Best time of ``runs`` fresh processes, with the peak memory of the highest run."""
    results = []
    for _ in range(runs):
        env = database.fresh() if database else None
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--child", name, str(path), json.dumps(options)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if done.returncode:
            raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "rows": results[0]["rows"],
        "seconds": min(r["seconds"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results),
    }


class DatabaseTemplate:
    """A throwaway SQLite database migrated once; each run gets a fresh copy and media folder."""

    def __init__(self, folder: Path):
        self.folder = folder / "database"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.template = self.folder / "template.sqlite3"
        self.runs = 0
        env = self._env(self.template, self.folder / "media-template")
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
            env=env,
            check=True,
            cwd=ROOT,
        )

    def _env(self, database: Path, media: Path) -> dict:
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "manyi.settings",
            "MANYI_VAR_DIR": str(self.folder),
            "SQLITE_PATH": str(database),
            "MEDIA_ROOT": str(media),
            "DEBUG": "0",  # DEBUG keeps every query in memory: not what a worker does
            "MANYI_DEMO_SKIP_MFA": "0",
            "EMAIL_URL": "locmem://",
            "DATABASE_URL": "",
            "REDIS_URL": "",
        }

    def baseline_mb(self) -> float:
        """RSS of a worker-like process: the project set up, URLs loaded, doing nothing."""
        code = (
            "import resource, django; django.setup(); import manyi.urls; "
            "import manyi.applications.customers.services; "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=self.fresh(),
            capture_output=True,
            text=True,
            check=True,
        )
        return float(done.stdout.strip().splitlines()[-1])

    def fresh(self) -> dict:
        self.runs += 1
        database = self.folder / f"run{self.runs}.sqlite3"
        shutil.copyfile(self.template, database)
        return self._env(database, self.folder / f"media{self.runs}")


def baseline_mb() -> float:
    """RSS of an interpreter that imports the checker and does nothing, for scale."""
    src = str(ROOT / "src")
    code = (
        f"import resource, sys; sys.path[:0] = [{src!r}]; "
        "from django.conf import settings; settings.configure(USE_I18N=False); "
        "import manyi.applications.customers.rows; "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument(
        "--store-callable", help="module:function(path, result) to time the store step"
    )
    parser.add_argument(
        "--no-database", action="store_true", help="skip the SQLite check + store measurement"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, path, options = args.child
        child(name, path, json.loads(options))
        return
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        report(folder, args)


def report(folder: Path, args: argparse.Namespace) -> None:
    from tests.xlsx_factory import lying_zip, zip_bomb

    path = folder / "customers.xlsx"
    started = time.perf_counter()
    write_list(path, args.rows)
    print(
        f"generated {args.rows} rows in {time.perf_counter() - started:.1f} s: {path.stat().st_size / 2**20:.1f} MB"
    )
    print(f"interpreter + imports alone: {baseline_mb():.0f} MB peak RSS\n")
    options = {"store_callable": args.store_callable}
    names = ["calamine", "openpyxl", "check"] + (["check+store"] if args.store_callable else [])
    figures = {name: run(name, path, options, args.runs) for name in names}
    if not args.no_database:
        database = DatabaseTemplate(folder)
        print(
            f"project set up with URLs (a worker) alone: {database.baseline_mb():.0f} MB peak RSS\n"
        )
        figures["check+store (SQLite)"] = run(
            "check+store (SQLite)", path, options, args.runs, database
        )
    print(f"{'measurement':<24}{'rows':>9}{'seconds':>10}{'peak MB':>10}{'× calamine':>12}")
    bare = figures["calamine"]["seconds"]
    for name, figure in figures.items():
        print(
            f"{name:<24}{figure['rows']:>9}{figure['seconds']:>10.2f}{figure['peak_mb']:>10.0f}"
            f"{figure['seconds'] / bare:>11.2f}x"
        )
    ratio = figures["check"]["seconds"] / bare
    print(f"\ncheck / bare calamine read: {ratio:.2f}x (target about 2x)")
    if "check+store (SQLite)" in figures:
        stored = figures["check+store (SQLite)"]["seconds"]
        print(
            f"check + store (SQLite) / bare calamine read: {stored / bare:.2f}x (target about 3x)"
        )
        print(f"store alone (difference): {stored - figures['check']['seconds']:.2f} s")
    print(
        f"openpyxl read-only / bare calamine read: {figures['openpyxl']['seconds'] / figures['calamine']['seconds']:.1f}x\n"
    )
    for label, cap in (("30 rows", args.rows - 30), ("half", args.rows // 2)):
        figure = run("over cap", path, {**options, "max_rows": cap}, args.runs)
        print(
            f"{'refused, over cap by ' + label:<32}{figure['seconds']:>8.3f} s"
            f"{figure['peak_mb']:>8.0f} MB peak"
        )
    print()
    bombs = {
        "guard: 500 MiB zeros": zip_bomb(folder / "bomb.xlsx", megabytes=500),
        "guard: lying sizes": lying_zip(folder / "liar.xlsx", megabytes=100),
    }
    for name, bomb in bombs.items():
        figure = run("guard", bomb, options, args.runs)
        size = bomb.stat().st_size / 2**20
        print(
            f"{name:<24}{size:>7.1f} MB file{figure['seconds']:>8.3f} s{figure['peak_mb']:>8.0f} MB peak"
        )


if __name__ == "__main__":
    main()
