"""The E-mail cell of 附件4-3 … 4-5: an address wraps after its @, never in the middle of a name."""

import subprocess

import pytest

from manyi.applications.documents import pdf as documents_pdf
from manyi.applications.documents.grid import email_html
from tests.applications.helpers import make_application

pytestmark = pytest.mark.django_db

ADDRESS = "zhangwei.quality@zhujiang-jiadian.com.cn"


def first_page_lines(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.strip() for line in text.splitlines()]


@pytest.mark.parametrize("category", ["product", "engineering"])
def test_a_long_address_wraps_after_its_at_sign(world, tmp_path, category):
    application = make_application(world, category)
    application.form_data = {"email": ADDRESS, "fax": "020-83330000"}
    application.save(update_fields=["form_data"])
    lines = first_page_lines(documents_pdf.application_pdf(application), tmp_path)
    with_address = [line for line in lines if "zhangwei" in line or "jiadian" in line]
    assert with_address == ["zhangwei.quality@", "zhujiang-jiadian.com.cn"]


def test_the_address_is_marked_for_the_stylesheet_and_escaped():
    assert str(email_html("a.b@c.cn")) == '<span class="email">a<wbr>.b@<wbr>c<wbr>.cn</span>'
    assert "<script>" not in str(email_html("<script>@x.cn"))
