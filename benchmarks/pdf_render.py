"""How long the application PDF (附件4-x) takes to render, with each font subsetter.

    .venv/bin/python benchmarks/pdf_render.py [--runs 7] [--category brand]

WeasyPrint embeds only the glyphs a PDF uses: with Debian's libharfbuzz-subset0 (`make fonts`)
it cuts the Noto CJK font down with HarfBuzz; without it, with fontTools, slower and with a
warning on every PDF. This script renders, on a throwaway SQLite database with the project's
test settings, one filled-in application (the tests' `complete_application`) and, as the
baseline measured in the same run, a tiny PDF (one line of Chinese, the same stylesheet and
font). Each subsetter available is measured: HarfBuzz (if the library is installed) and
fontTools (HarfBuzz switched off in this process). Prints the median of the runs, after one
warm-up render, and the ratio to the tiny PDF.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

TINY_HTML = (
    '<html lang="zh-hans"><head><link rel="stylesheet" href="css/pdf.css"></head>'
    "<body><p>广州市实施用户满意工程</p></body></html>"
)


def _setup(folder: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manyi.settings_test")
    os.environ["SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
    os.environ["MANYI_VAR_DIR"] = folder
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _application(category: str):
    from manyi.accounts.roles import OrgKind, Role
    from tests.applications.helpers import complete_application, make_application
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    class Cast:
        """The little of the tests' World that make_application needs."""

    cast = Cast()
    cast.agency = OrganisationFactory(kind=OrgKind.AGENCY, name="天河区质量技术协会")
    cast.other_agency = OrganisationFactory(kind=OrgKind.AGENCY, name="建筑业协会")
    cast.enterprise = OrganisationFactory(name="珠江家电有限公司", agency=cast.agency)
    user = UserFactory()
    MembershipFactory(user=user, organisation=cast.enterprise, role=Role.ENTERPRISE_USER)
    cast.users = {Role.ENTERPRISE_USER: user}
    return complete_application(make_application(cast, category))


def _median_seconds(render, runs: int) -> tuple[float, int]:
    size = len(render())  # warm-up: fonts found and loaded, templates compiled
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--category", default="brand")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="manyi-pdf-bench-") as folder:
        _setup(folder)
        from django.conf import settings
        from weasyprint import HTML
        from weasyprint.pdf import fonts

        from manyi.applications.documents.pdf import application_pdf

        application = _application(args.category)
        base = str(settings.SRC_DIR / "static")

        def tiny():
            return HTML(string=TINY_HTML, base_url=base).write_pdf()

        def full():
            return application_pdf(application)

        harfbuzz = fonts.harfbuzz_subset
        modes = [("HarfBuzz", harfbuzz)] if harfbuzz is not None else []
        modes.append(("fontTools", None))
        if harfbuzz is None:
            print("libharfbuzz-subset is not installed (make fonts): fontTools only")
        print(f"application PDF: 附件4-x, category {args.category}; median of {args.runs} runs")
        print(f"{'subsetter':<10} {'tiny PDF s':>10} {'app PDF s':>10} {'ratio':>7} {'app KB':>7}")
        for name, library in modes:
            fonts.harfbuzz_subset = library
            # fontTools mode logs its deprecation warning on every PDF: not part of the figure.
            logging.getLogger("weasyprint").setLevel(
                logging.ERROR if library is None else logging.WARNING
            )
            tiny_s, _size = _median_seconds(tiny, args.runs)
            full_s, size = _median_seconds(full, args.runs)
            print(
                f"{name:<10} {tiny_s:>10.3f} {full_s:>10.3f} {full_s / tiny_s:>7.1f} "
                f"{size / 1024:>7.0f}"
            )
        fonts.harfbuzz_subset = harfbuzz


if __name__ == "__main__":
    main()
