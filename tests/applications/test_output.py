"""The printed forms (PDF) and the campaign workbook (Excel): what is on paper is all there.

The PDFs are read back as a person would read them: `pdftotext -layout`, whitespace removed.
The trade titles (工业企业填写 …) are printed one character a line in a narrow left column, as
on paper; `-layout` mixes those characters into the rows beside them, so that column is also
read on its own, top to bottom.
"""

import io
import re
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from PIL import Image

from manyi.accounts.roles import Role
from manyi.applications.agency import services as agency_services
from manyi.applications.demo.content import sample_form_data
from manyi.applications.documents import grid, workbook
from manyi.applications.documents import pdf as documents_pdf
from manyi.applications.forms.specs import (
    CLIENT_APPRAISAL_POINTS,
    MATERIALS_CLOSING,
    all_fields,
    form_spec,
)
from manyi.applications.models import Confirmation, Decision, Recommendation
from manyi.common.models import ActivityLog
from manyi.common.templatetags.manyi import cn_date
from tests.applications.helpers import complete_application, make_application, open_campaign
from tests.applications.test_form_specs import field_table
from tests.conftest import ROLES, _matrix_application

CATEGORIES = ("brand", "enterprise", "product", "engineering", "service")
# The narrow left column of the field table, in PDF points at pdftotext's 72 dpi: the page's
# left margin (18 mm, pdf.css) and one of the 24 grid columns (174 mm / 24 = 7.25 mm).
LEFT_COLUMN = {"x": 45, "width": 25}


# --- reading PDFs back ---------------------------------------------------------------------


def _run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text as `pdftotext -layout` gives it, whitespace removed, followed by its
    left column read top to bottom (where the trade titles stand)."""
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    full = _run("pdftotext", "-layout", str(path), "-")
    column = _run(
        "pdftotext",
        "-layout",
        "-x",
        str(LEFT_COLUMN["x"]),
        "-y",
        "0",
        "-W",
        str(LEFT_COLUMN["width"]),
        "-H",
        "842",
        str(path),
        "-",
    )
    return squeeze(full) + "|" + squeeze(column)


def pdf_tool(tool: str, pdf: bytes, tmp_path) -> str:
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    return _run(tool, "-list", str(path)) if tool == "pdfimages" else _run(tool, str(path))


def missing(texts, text: str) -> list[str]:
    return [t for t in texts if squeeze(str(t)) not in text]


# --- data ----------------------------------------------------------------------------------


def full_application(world, category, **kwargs):
    """A complete application with every trade section of its form chosen and filled."""
    application = complete_application(make_application(world, category, **kwargs))
    spec = form_spec(category)
    trades = [s.trade for s in spec.trade_sections]
    if trades:
        application.chosen_trades = trades
        application.form_data = sample_form_data(
            spec,
            category=category,
            organisation=application.organisation,
            data_year=application.campaign.year - 1,
            trades=trades,
        )
        application.save()
    return application


def filled_confirmation(application) -> Confirmation:
    confirmation = Confirmation.objects.get(
        campaign=application.campaign, organisation=application.organisation
    )
    spec = form_spec("confirmation")
    data = sample_form_data(
        spec,
        category=application.category,
        organisation=application.organisation,
        data_year=application.campaign.year - 1,
    )
    data["categories"] = ["brand", "service"]
    confirmation.data = data
    confirmation.signer = "梁总"
    confirmation.signed_on = date(application.campaign.year, 3, 2)
    confirmation.save()
    return confirmation


def seal_png() -> SimpleUploadedFile:
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), outline=(200, 20, 20, 255), width=10)
    draw.regular_polygon((120, 120, 40), 5, fill=(200, 20, 20, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("seal.png", buffer.getvalue(), content_type="image/png")


def recommend(
    world, application, *, decision=Decision.RECOMMEND, opinion="该企业用户满意工作扎实，同意推荐。"
):
    return Recommendation.objects.create(
        application=application,
        agency=world.agency,
        decision=decision,
        opinion=opinion,
        signer="陈会长",
        signed_on=date(2026, 11, 1),
        created_by=world.users[Role.AGENCY_STAFF],
    )


def labels_of(spec, data_year: int, data: dict) -> list[str]:
    """Every label and section title of a form as the paper prints it."""
    texts = []
    for section in spec.sections:
        texts.extend(section.printed or (str(section.title),))
        for field in section.fields:
            if not field.on_paper:
                continue
            if "{data_year}" in str(field.label):
                texts.append(field.label_for(data_year))
            elif field.kind == "date" and field.printed == ("年月日",):
                # The blank 年 月 日 of the paper, filled in.
                texts.append(cn_date(date.fromisoformat(data[field.key])))
            elif field.printed:
                texts.extend(field.printed)
            else:
                texts.append(str(field.label))
                if field.unit and field.unit_printed:
                    texts.append(f"{field.label}（{field.unit}）")
    return texts


# --- the application forms -----------------------------------------------------------------


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_label_of_the_form_is_in_its_pdf(world, category, tmp_path):
    application = full_application(world, category)
    spec = form_spec(category)
    data_year = application.campaign.year - 1
    text = pdf_text(documents_pdf.application_pdf(application), tmp_path)

    assert not missing(labels_of(spec, data_year, application.form_data), text)
    # Every printed cell of the seed's table too (the seed's own text, not the spec's).
    assert not missing(field_table(category), text)
    head = [spec.number, *spec.printed_title, f"{spec.seal}：{application.organisation.name}"]
    assert not missing(head, text)
    tail = [
        "续表" + spec.number.removeprefix("附件"),
        spec.materials_title,
        *(m.printed_for(category) for m in spec.materials),
        spec.materials_guidance,
        MATERIALS_CLOSING,
        f"以上栏目由企业据实填报，以{data_year}年度数据为准。",
        "以下内容由推荐单位填写" if category == "product" else "以下栏目由推荐单位填写",
        "推荐单位意见（含地市、行业用委/质协）：",
        "（盖章）",
        "审核意见：",
        "（此栏由省用户委员会填写）",
        "填表说明：",
        *(f"{n}、{note}" for n, note in enumerate(spec.notes, start=1)),
        "第1页共",
    ]
    assert not missing(tail, text)
    # The four materials in full (a page's footer may fall inside a paragraph).
    paragraphs = [
        line
        for material in (
            application.profile,
            application.products,
            application.measures,
            application.outlook,
        )
        for line in material.splitlines()
    ]
    assert not missing(paragraphs, re.sub(r"第\d+页共\d+页", "", text))
    # Values are in their cells.
    assert not missing(
        [str(v) for v in application.form_data.values() if isinstance(v, str) and v.isdigit()], text
    )


def test_the_brand_form_prints_its_own_words(world, tmp_path):
    application = full_application(world, "brand")
    text = pdf_text(documents_pdf.application_pdf(application), tmp_path)
    assert "该品牌核定产品和经营服务项目（300字）" in text
    assert "另请提供商标（须经工商注册的批准文件复印件）" in text
    assert "推荐单位（盖章）" in text
    assert "珠江" in text  # 申报品牌名称
    assert "120人" in text  # 职工人数 with the unit the paper leaves out


def test_engineering_prints_the_client_appraisal_and_the_circled_type(world, tmp_path):
    application = full_application(world, "engineering")
    appraisal = application.client_appraisal
    text = pdf_text(documents_pdf.application_pdf(application), tmp_path)
    assert "建设单位（用户）满意度评价鉴定意见：" in text
    assert (
        "请建设单位从该建筑工程项目的工程质量、施工服务、工程设计的建设性意见、后续维护、总体评价、改进建议等方面"
        in text
    )
    for point in CLIENT_APPRAISAL_POINTS:
        assert point in text
    assert f"建设单位（用户）签字（盖章）：{appraisal.signer}" in text
    assert appraisal.client_name in text
    assert cn_date(appraisal.signed_on) in text
    assert "已选：公共建筑" in text
    assert "（附省、自治区、直辖市优质工程文件、奖状复印件）" in text


def test_only_chosen_trade_sections_are_printed(world, tmp_path):
    application = complete_application(make_application(world, "enterprise"))  # 工业企业 only
    text = pdf_text(documents_pdf.application_pdf(application), tmp_path)
    assert "工业企业填写" in text
    assert "主导产品名称" in text
    assert "工程企业填写" not in text
    assert "主要工程名称" not in text
    assert "服务企业填写" not in text


def test_an_empty_field_prints_its_reason(world, tmp_path):
    application = full_application(world, "product")
    del application.form_data["forex"]
    del application.form_data["quality_awards"]
    application.empty_reasons = {
        "forex": "无出口业务",
        "quality_awards": "近三年未获部、省级质量奖励",
    }
    application.save()
    text = pdf_text(documents_pdf.application_pdf(application), tmp_path)
    assert "未填：无出口业务" in text
    assert "未填：近三年未获部、省级质量奖励" in text


def test_the_agency_opinion_is_printed_with_its_seal(world, tmp_path):
    application = full_application(world, "brand")
    unsigned = documents_pdf.application_pdf(application)
    assert "image" not in pdf_tool("pdfimages", unsigned, tmp_path).splitlines()[-1]

    agency_services.save_seal(
        agency=world.agency, by=world.users[Role.AGENCY_STAFF], upload=seal_png()
    )
    recommend(world, application)
    pdf = documents_pdf.application_pdf(application)
    text = pdf_text(pdf, tmp_path)
    assert "该企业用户满意工作扎实，同意推荐。" in text
    assert "签字：陈会长" in text
    assert "2026年11月1日" in text
    assert world.agency.name in text
    images = [line.split() for line in pdf_tool("pdfimages", pdf, tmp_path).splitlines()[2:]]
    # The seal, with its transparency as a soft mask.
    assert [(i[2], i[3], i[4]) for i in images] == [
        ("image", "240", "240"),
        ("smask", "240", "240"),
    ]


def test_a_return_for_changes_is_not_printed_as_the_opinion(world, tmp_path):
    application = full_application(world, "brand")
    recommend(world, application, decision=Decision.RETURN, opinion="请补充用户名单")
    text = pdf_text(documents_pdf.application_pdf(application), tmp_path)
    assert "请补充用户名单" not in text


def test_the_chinese_font_is_embedded(world, tmp_path):
    pdf = documents_pdf.application_pdf(full_application(world, "service"))
    fonts = pdf_tool("pdffonts", pdf, tmp_path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(" yes yes " in line for line in cjk), fonts  # embedded, subset


def test_every_spec_field_has_its_place_in_the_printed_layout():
    """The layout places every field the paper prints: none falls to the leftover rows."""
    for code, blocks in grid.LAYOUTS.items():
        spec = form_spec(code)
        keys = {f.key for f in all_fields(spec)}
        placed = {"name"} if code != "confirmation" else set()
        for block in blocks:
            for row in block.rows:
                placed.update(grid.SPECIAL_KEYS[row[0]] if row[0].startswith("@") else row)
        assert placed <= keys, (code, placed - keys)
        assert keys <= placed, (code, keys - placed)


# --- the confirmation form -----------------------------------------------------------------


def test_every_label_of_the_confirmation_is_in_its_pdf(world, tmp_path):
    application = complete_application(make_application(world, "brand"))
    confirmation = filled_confirmation(application)
    spec = form_spec("confirmation")
    year = application.campaign.year
    raw = pdf_text(documents_pdf.confirmation_pdf(confirmation), tmp_path)
    # The paper's empty boxes and brackets, as a pen fills them: ☑ for □, √ in （ ）.
    text = raw.replace("☑", "□").replace("☐", "□").replace("√", "")
    data = {**confirmation.data, "signed_on": confirmation.signed_on.isoformat()}

    assert not missing(labels_of(spec, year - 1, data), text)
    assert not missing(spec.title_for(year).split(" "), text)
    assert not missing([spec.number, spec.seal, "负责人签字：梁总", *spec.notes], text)
    seed_cells = [c.replace("2017年", f"{year - 1}年") for c in field_table("confirmation")]
    assert not missing([c for c in seed_cells if c != "年月日"], text)
    # What was ticked.
    assert "用户满意品牌☑用户满意企业☐用户满意产品☐用户满意工程☐用户满意服务☑" in raw
    assert "已推行TQM，是（√）否（）" in raw
    assert "贯彻ISO9000标准，有（√）否（）" in raw


# --- downloads -----------------------------------------------------------------------------


def test_pdf_download_is_logged_and_scoped(world, client, tmp_path):
    application = full_application(world, "brand", status="submitted")
    for user in (
        world.users[Role.ENTERPRISE_USER],
        world.users[Role.AGENCY_STAFF],
        world.users[Role.COMMITTEE_STAFF],
    ):
        client.force_login(user)
        response = client.get(f"/applications/{application.pk}/pdf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert world.enterprise.name in pdf_text(response.content, tmp_path)
        assert ActivityLog.objects.filter(
            action="application.export_pdf", object_id=str(application.pk), actor=user
        ).exists()
    # Another enterprise and another agency cannot tell it exists.
    for user in (world.outsider, world.other_agency_staff):
        client.force_login(user)
        assert client.get(f"/applications/{application.pk}/pdf/").status_code == 404
    client.force_login(world.users[Role.EXPERT])
    assert client.get(f"/applications/{application.pk}/pdf/").status_code == 403
    assert ActivityLog.objects.filter(action="application.export_pdf").count() == 3


def test_confirmation_pdf_is_the_own_organisation_s(world, client, tmp_path):
    application = complete_application(make_application(world, "brand"))
    filled_confirmation(application)
    url = f"/applications/confirmation/{application.campaign.year}/pdf/"
    client.force_login(world.colleague)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "活动确认表" in pdf_text(response.content, tmp_path)
    assert ActivityLog.objects.filter(
        action="confirmation.export_pdf", actor=world.colleague
    ).exists()
    # The outsider's organisation has none: not found, and not the other one's either.
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert (
        client.get(f"/applications/confirmation/{application.campaign.year + 1}/pdf/").status_code
        == 404
    )


# --- the workbook --------------------------------------------------------------------------


def _export(client, world, year, query=""):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    response = client.get(f"/applications/export/{year}/{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_export_has_one_row_per_application_and_formulas_stay_text(world, client):
    evil = '=HYPERLINK("http://evil.example","点我")'
    world.other_enterprise.name = evil
    world.other_enterprise.save()
    brand = full_application(world, "brand", status="submitted")
    brand.number = "2026-PP-001"
    brand.form_data["brand_name"] = "+SUM(1,2)"
    brand.save()
    recommend(world, brand)
    full_application(world, "service", status="submitted")
    other = full_application(
        world, "product", organisation=world.other_enterprise, status="submitted"
    )
    make_application(world, "engineering")  # a draft: staff do not see it

    sheet = _export(client, world, brand.campaign.year)
    rows = list(sheet.iter_rows(values_only=True))
    headers, body = rows[0], rows[1:]
    assert headers[:9] == workbook.FIXED_HEADERS
    assert "申报品牌名称" in headers
    assert "固定资产原值（万元）" in headers
    assert "联系人电话／联系人办公电话" in headers
    assert len(body) == 3
    names = [r[3] for r in body]
    assert sorted(names) == sorted([world.enterprise.name, world.enterprise.name, evil])
    # The formula-like texts are stored as text, unchanged.
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value in (evil, "+SUM(1,2)")]
    # (the enterprise's name twice: 企业名称 and the form's own 企业名称 column)
    assert len(cells) == 3
    assert all(c.data_type != "f" for c in cells)
    brand_row = next(r for r in body if r[0] == "2026-PP-001")
    assert brand_row[2] == "用户满意品牌"
    assert brand_row[4] == world.enterprise.uscc
    assert brand_row[5] == world.agency.name
    assert brand_row[8] == "推荐：该企业用户满意工作扎实，同意推荐。"
    assert brand_row[headers.index("职工人数（人）")] == 120
    assert brand_row[headers.index("三年内有无重大安全、质量事故")] == "有"
    other_row = next(r for r in body if r[3] == evil)
    assert other_row[headers.index("产品型号及规格")] == other.form_data["product_model"]
    log = ActivityLog.objects.get(action="applications.export")
    assert log.after == {"category": "", "count": 3}


def test_export_filters_by_category_and_keeps_queries_flat(world, client):
    campaign = open_campaign(agencies=[world.agency, world.other_agency])
    full_application(world, "brand", status="submitted")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            _export(client, world, campaign.year)
        return len(captured)

    queries()  # the session and the user are loaded once
    one = queries()
    full_application(world, "service", status="submitted")
    full_application(world, "product", organisation=world.other_enterprise, status="submitted")
    assert queries() == one
    sheet = _export(client, world, campaign.year, "?category=service")
    assert [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["用户满意服务"]
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    assert client.get(f"/applications/export/{campaign.year}/?category=nonsense").status_code == 404


def test_export_headers_are_unique_filtered_frozen_and_sized(world, client):
    application = full_application(world, "brand", status="submitted")

    sheet = _export(client, world, application.campaign.year)

    headers = [cell.value for cell in sheet[1]]
    assert sorted({h for h in headers if headers.count(h) > 1}) == []
    # The two 年处理退赔次数 (industrial and service sections) are told apart.
    assert "年处理退赔次数（次）（工业企业）" in headers
    assert "年处理退赔次数（次）（服务企业）" in headers
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(headers))}2"
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert sorted(widths) == sorted(get_column_letter(i) for i in range(1, len(headers) + 1))
    # 企业名称 (column D) fits the name, a Chinese character counting two.
    assert widths["D"] == 2 * len(world.enterprise.name) + 2
    # 年度 (B) is as wide as "2026" and its header, never narrower than the minimum.
    assert widths["B"] == 6


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ASSOCIATION_ADMIN, 200),
        (Role.WORKDEPT_STAFF, 200),
        (Role.AGENCY_STAFF, 403),
        (Role.ENTERPRISE_USER, 403),
    ],
)
def test_only_programme_staff_export(world, client, role, expected):
    campaign = open_campaign(agencies=[world.agency])
    full_application(world, "brand", status="submitted")
    client.force_login(world.users[role])
    assert client.get(f"/applications/export/{campaign.year}/").status_code == expected


# --- who may open what (the entries proposed for tests/access_matrix.py) --------------------

MATRIX_EXPECTED = {
    "pdf": {
        Role.ASSOCIATION_ADMIN: 200,
        Role.COMMITTEE_STAFF: 200,
        Role.WORKDEPT_STAFF: 200,
        Role.AGENCY_STAFF: 200,
        Role.ENTERPRISE_USER: 200,
    },
    # The matrix's application has no confirmation form: its own users find none.
    "confirmation_pdf": {Role.ENTERPRISE_USER: 404},
    "export": {Role.ASSOCIATION_ADMIN: 200, Role.COMMITTEE_STAFF: 200, Role.WORKDEPT_STAFF: 200},
}


@pytest.mark.parametrize("role", ROLES)
def test_access_as_the_matrix_says(world, client_for, role):
    application = _matrix_application(world)
    urls = {
        "pdf": reverse("applications:pdf", kwargs={"pk": application.pk}),
        "confirmation_pdf": reverse(
            "applications:confirmation_pdf", kwargs={"year": application.campaign.year}
        ),
        "export": reverse("applications:export", kwargs={"year": application.campaign.year}),
    }
    for name, url in urls.items():
        expected = 302 if role == "anonymous" else MATRIX_EXPECTED[name].get(role, 403)
        for method in ("get", "post"):
            response = getattr(client_for(role), method)(url)
            assert response.status_code == expected, (name, method, role)
