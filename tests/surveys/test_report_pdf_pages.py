"""The report PDF of realistic runs, looked at page by page: the summary opens page 1, no page
but the last is less than a fifth full, and the last is not nearly empty.

Pages are rendered to PNG with poppler's pdftoppm (installed by `make test`) and measured with
Pillow: the share of the text area's height down to its last non-white row (the page number
in the bottom margin does not count).
"""

import shutil
import subprocess

import pytest
from django.utils import translation
from PIL import Image

from manyi.accounts.roles import Role
from manyi.surveys import exports
from manyi.surveys.report import build_report
from tests.surveys.test_report import finished_run, printed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed"),
]

# The page's margins in pdf.css (A4: 297 mm high).
TOP_MM, BOTTOM_MM, PAGE_MM = 20, 22, 297
MIN_FILL = 0.2
MIN_LAST_FILL = 0.1


@pytest.fixture(autouse=True)
def chinese():
    """Reports built here are read in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def page_fill(png) -> float:
    """The share of the text area's height that holds something, down to the last ink."""
    image = Image.open(png).convert("L")
    width, height = image.size
    top = round(TOP_MM / PAGE_MM * height)
    bottom = height - round(BOTTOM_MM / PAGE_MM * height)
    pixels = image.load()
    last = top
    for y in range(top, bottom):
        if any(pixels[x, y] < 200 for x in range(width)):
            last = y
    return (last - top) / (bottom - top)


def pages_of(pdf: bytes, tmp_path) -> list[float]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    return [page_fill(png) for png in sorted(tmp_path.glob("page-*.png"))]


def first_page_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return "".join(out.split())


@pytest.mark.parametrize(
    ("preset", "groups"),
    [("china", 3), ("acsi", 0)],
    ids=["china-with-groups", "acsi-with-a-complaint-item"],
)
def test_report_pages_are_never_nearly_empty(world, tmp_path, preset, groups):
    by = world.users[Role.COMMITTEE_STAFF]
    run = finished_run(by, preset=preset, groups=groups)
    pdf = exports.export_report_pdf(run=run, by=by)
    fills = pages_of(pdf, tmp_path)
    assert len(fills) > 1
    sparse = [
        (number, round(fill, 2))
        for number, fill in enumerate(fills[:-1], start=1)
        if fill < MIN_FILL
    ]
    assert sparse == []
    assert fills[-1] >= MIN_LAST_FILL
    headline = build_report(run, user=by).summary[0]
    assert "".join(headline.split()) in first_page_text(pdf, tmp_path)


def test_the_acsi_summary_gives_the_complaint_rate_on_page_one(world, tmp_path):
    by = world.users[Role.COMMITTEE_STAFF]
    run = finished_run(by, preset="acsi", groups=0)
    pdf = exports.export_report_pdf(run=run, by=by)
    text = first_page_text(pdf, tmp_path)
    rate = run.result["complaints"]["rate"]
    assert f"{printed(rate, 1)}%的受访者表示投诉过" in text
