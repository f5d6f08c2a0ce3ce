"""Checking the customer list (附件3) row by row, and writing it back, on real files."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from manyi.applications.customers.rows import (
    COLUMNS,
    CustomerRow,
    Phone,
    check_customer_list,
    mask_phone,
    parse_phone,
    write_customer_list,
    write_customer_template,
)
from tests import xlsx_factory as factory


@pytest.fixture(autouse=True)
def _clear_cache():
    """These tests touch no database: override the suite's cache clearing."""
    yield


def check(tmp_path, rows, **kwargs):
    limits = {key: kwargs.pop(key) for key in ("min_rows", "max_rows") if key in kwargs}
    path = factory.write_workbook(tmp_path / "list.xlsx", rows, **kwargs)
    return check_customer_list(path, **limits)


def messages(result):
    return [error.message for error in result.errors]


# Rows 1 and 2 are the title and the header, so customer i sits on Excel row i + 2.


def test_good_list_passes(tmp_path):
    result = check(tmp_path, factory.customers(35))

    assert result.ok, messages(result)
    assert result.company_name == "广州市示例电器有限公司"
    assert len(result.rows) == 35
    assert result.rows[0] == CustomerRow(
        row=3,
        seq="1",
        name="广州市第1贸易有限公司",
        address="广州市越秀区沿江中路1号",
        department="采购部",
        contact="陈先生",
        phone="13900000001",
        phone_normalized="13900000001",
    )


def test_columns_are_the_seeds_in_order():
    assert [(c.key, c.header) for c in COLUMNS] == [
        ("seq", "序号"),
        ("name", "用户名称或企业名称"),
        ("address", "详细地址"),
        ("department", "联系部门"),
        ("contact", "联系人"),
        ("phone", "联系电话"),
    ]


def test_missing_header_is_reported(tmp_path):
    headers = [h for h in factory.SEED_HEADERS if h != "联系人"]

    result = check(tmp_path, [r[:4] + r[5:] for r in factory.customers(35)], headers=headers)

    assert not result.ok
    assert messages(result) == ["第2行：缺少表头“联系人”"]
    assert result.errors[0].column == "联系人"


def test_wrong_header_order_is_reported(tmp_path):
    headers = ["序号", "用户名称或企业名称", "详细地址", "联系部门", "联系电话", "联系人"]

    result = check(tmp_path, factory.customers(35), headers=headers)

    assert messages(result) == [
        "第2行：表头顺序不正确，应依次为：序号、用户名称或企业名称、详细地址、联系部门、联系人、联系电话"
    ]


def test_no_header_at_all_is_reported(tmp_path):
    result = check(tmp_path, factory.customers(35), headers=None)

    assert len(result.errors) == 1
    assert result.errors[0].message.startswith("未找到表头行")


def test_header_with_line_breaks_and_spaces_is_recognised(tmp_path):
    headers = [
        "序 号",
        "用户名称或\n企业名称",
        "详细地址",
        "联系\n部门",
        "联系人*",
        "联系电话（必填）",
    ]

    result = check(tmp_path, factory.customers(35), headers=headers)

    assert result.ok, messages(result)


def test_header_below_title_note_and_blank_lines_is_found(tmp_path):
    result = check(tmp_path, factory.customers(35), blank_lines=3)

    assert result.ok, messages(result)
    assert result.rows[0].row == 6


def test_missing_name_is_reported_with_its_row(tmp_path):
    rows = factory.customers(35)
    rows[4][1] = "  "

    result = check(tmp_path, rows)

    assert messages(result) == ["第7行：用户名称或企业名称不能为空"]
    assert result.errors[0].row == 7
    assert result.errors[0].column == "用户名称或企业名称"


def test_missing_phone_is_reported(tmp_path):
    rows = factory.customers(35)
    rows[0][5] = None

    assert messages(check(tmp_path, rows)) == ["第3行：联系电话不能为空"]


def test_invalid_phone_is_reported_with_its_row(tmp_path):
    rows = factory.customers(35)
    rows[9][5] = "1390000"

    result = check(tmp_path, rows)

    assert messages(result) == [
        "第12行：联系电话“1390000”格式不正确，应为11位手机号或带区号的座机号（如 020-83341934）"
    ]


def test_landline_without_area_code_gets_a_specific_message(tmp_path):
    rows = factory.customers(35)
    rows[0][5] = "83341934"

    assert messages(check(tmp_path, rows)) == [
        "第3行：联系电话“83341934”缺少区号，座机请写成 020-83341934 这样的形式"
    ]


def test_duplicate_rows_name_both_rows(tmp_path):
    rows = factory.customers(35)
    rows[20] = [21, " 广州市第3贸易有限公司", "另一个地址", "", "", "13900000003"]

    result = check(tmp_path, rows)

    assert messages(result) == ["第23行：与第5行重复（用户名称和联系电话都相同）"]
    assert len(result.rows) == 34


def test_same_phone_on_two_rows_names_both_rows(tmp_path):
    rows = factory.customers(35)
    rows[30][5] = "13900000002"

    assert messages(check(tmp_path, rows)) == [
        "第33行：联系电话 13900000002 与第4行相同，同一号码只能出现一次"
    ]


def test_too_few_rows_is_reported(tmp_path):
    result = check(tmp_path, factory.customers(29))

    assert messages(result) == ["有效用户只有 29 条，少于最低要求的 30 条"]


def test_blank_rows_are_skipped_and_row_numbers_stay_true(tmp_path):
    rows = factory.customers(35)
    rows[5:5] = [[], [None, "", "  ", None, "", ""]]
    rows[10][5] = "bad"

    result = check(tmp_path, rows)

    assert len(result.rows) == 34
    assert messages(result) == [
        "第13行：联系电话“bad”格式不正确，应为11位手机号或带区号的座机号（如 020-83341934）"
    ]


def test_numeric_phone_and_sequence_cells_read_as_text(tmp_path):
    rows = factory.customers(35)
    for row in rows:
        row[5] = int(row[5])
        row[0] = float(row[0])

    result = check(tmp_path, rows)

    assert result.ok, messages(result)
    assert result.rows[0].phone == "13900000001"
    assert result.rows[0].seq == "1"


@pytest.mark.parametrize(
    ("typed", "stored", "normalized"),
    [
        ("020-83341934-807", "020-83341934-807", "02083341934-807"),
        ("020-83341934转807", "020-83341934转807", "02083341934-807"),
        ("(020)83341934", "(020)83341934", "02083341934"),
        ("0757 1234567", "0757 1234567", "07571234567"),
        ("+86 138 0013 8000", "+86 138 0013 8000", "13800138000"),
        ("8613800138000", "8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000", "13800138000"),
        ("13800138000/020-83341934", "13800138000/020-83341934", "13800138000/02083341934"),
        ("13800138000、13900139000", "13800138000、13900139000", "13800138000/13900139000"),
        (
            "13800138000，020-83341934-807",
            "13800138000,020-83341934-807",
            "13800138000/02083341934-807",
        ),
        ("020 8888 1234", "020 8888 1234", "02088881234"),
        ("020-8888-1234", "020-8888-1234", "02088881234"),
        ("０２０－８８８８  １２３４", "020-8888 1234", "02088881234"),
        ("020—83341934—807", "020-83341934-807", "02083341934-807"),
        ("(020) 8333 1934 转 807", "(020) 8333 1934 转 807", "02083331934-807"),
    ],
)
def test_phones_with_extensions_and_several_numbers_are_accepted(
    tmp_path, typed, stored, normalized
):
    rows = factory.customers(35)
    rows[0][5] = typed

    result = check(tmp_path, rows)

    assert result.ok, messages(result)
    assert result.rows[0].phone == stored
    assert result.rows[0].phone_normalized == normalized


def test_one_bad_number_among_several_is_named(tmp_path):
    rows = factory.customers(35)
    rows[0][5] = "13800138000/400-800-1234"

    assert messages(check(tmp_path, rows)) == [
        "第3行：联系电话“400-800-1234”格式不正确，应为11位手机号或带区号的座机号（如 020-83341934）"
    ]


def test_overlong_address_is_reported(tmp_path):
    rows = factory.customers(35)
    rows[0][2] = "长" * 201

    assert messages(check(tmp_path, rows)) == ["第3行：详细地址超过 200 个字"]


def test_all_errors_are_collected_but_at_most_a_thousand_listed(tmp_path):
    rows = factory.customers(1100)
    for row in rows:
        row[5] = "x"

    result = check(tmp_path, rows)

    assert len(result.errors) == 1002
    assert result.errors[999].row == 1002
    assert result.errors[1000].message == "还有 100 处错误未列出，请先改正以上错误后重新上传"
    assert result.errors[1001].message == "有效用户只有 0 条，少于最低要求的 30 条"


def test_too_many_rows_is_one_clear_error(tmp_path):
    result = check(tmp_path, factory.customers(60), max_rows=50)

    assert messages(result) == ["用户名单超过上限 50 行，请分批整理后再上传"]


def test_hostile_file_becomes_a_single_file_level_error(tmp_path):
    path = factory.fake_cfb(tmp_path / "old.xlsx", "Workbook")

    result = check_customer_list(path)

    assert not result.ok
    assert result.errors[0].row is None
    assert messages(result) == ["不接受旧版 .xls 格式，请另存为 .xlsx"]


def test_a_far_away_stray_cell_is_refused_as_too_many_columns(tmp_path):
    rows_xml = (
        factory.inline_row(1, factory.SEED_HEADERS) + '<row r="2"><c r="AZ2"><v>1</v></c></row>'
    )
    path = factory.raw_xlsx(tmp_path / "stray.xlsx", factory.sheet_xml(rows_xml))

    result = check_customer_list(path)

    assert messages(result) == [
        "表格列数超过上限 16 列，请删除多余的列（包括只设置了格式的空白列）后再上传"
    ]


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("020-83341934", "020-****1934"),
        ("020-83341934-807", "020-****1934"),
        ("13812345678/0757-1234567", "138****5678/0757-****4567"),
        ("12345678901", "****8901"),
        ("12", "****"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_any_mobile_parses_and_masks_its_middle(number):
    assert parse_phone(number) == Phone("mobile", "", number, "")
    assert mask_phone(number) == number[:3] + "****" + number[-4:]


@given(
    st.from_regex(r"0[1-9][0-9]{1,2}", fullmatch=True),
    st.from_regex(r"[2-8][0-9]{6,7}", fullmatch=True),
    st.sampled_from(["-", " ", ""]),
)
def test_any_landline_with_area_code_parses(area, number, separator):
    parsed = parse_phone(f"{area}{separator}{number}")

    assert isinstance(parsed, Phone)
    assert parsed.canonical == area + number


# --- writing ----------------------------------------------------------------------------------


def test_template_has_title_note_header_and_widths():
    buffer = io.BytesIO()

    write_customer_template(buffer, company_name="广州市示例电器有限公司")

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A1"].value == "申报企业名称：广州市示例电器有限公司"
    assert sheet["A2"].value.startswith("备注：请用 Microsoft Excel")
    assert [c.value for c in sheet[3]] == factory.SEED_HEADERS
    assert sheet.column_dimensions["B"].width == 36


def test_filled_template_passes_the_check(tmp_path):
    path = tmp_path / "template.xlsx"
    with path.open("wb") as fh:
        write_customer_template(fh, company_name="广州市示例电器有限公司")
    workbook = load_workbook(path)
    for row in factory.customers(30):
        workbook.active.append(row)
    workbook.save(path)

    result = check_customer_list(path)

    assert result.ok, messages(result)
    assert result.company_name == "广州市示例电器有限公司"
    assert result.rows[0].row == 4


def test_empty_template_asks_for_rows(tmp_path):
    path = tmp_path / "template.xlsx"
    with path.open("wb") as fh:
        write_customer_template(fh)

    result = check_customer_list(path)

    assert result.company_name is None
    assert messages(result) == ["有效用户只有 0 条，少于最低要求的 30 条"]


def test_stored_list_writes_back_formula_safe_and_reads_the_same(tmp_path):
    original = check(tmp_path, factory.customers(35)).rows
    original[0].name = '=HYPERLINK("http://evil")'
    path = tmp_path / "export.xlsx"

    with path.open("wb") as fh:
        write_customer_list(fh, company_name="广州市示例电器有限公司", rows=original)

    again = check_customer_list(path)
    assert again.ok, messages(again)
    assert [r.name for r in again.rows] == [r.name for r in original]
    assert [r.phone_normalized for r in again.rows] == [r.phone_normalized for r in original]


def test_stored_list_accepts_dicts_and_masks_phones():
    buffer = io.BytesIO()
    rows = [{"name": "某公司", "phone": "13812345678", "address": None}]

    write_customer_list(buffer, company_name="某企业", rows=rows, mask=True)

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.value for c in sheet[3]] == ["1", "某公司", None, None, None, "138****5678"]


# --- which sheet is read -------------------------------------------------------------------


def names(result) -> list[str]:
    return [row.name for row in result.rows]


def test_a_hidden_first_sheet_is_not_read(tmp_path):
    old = [[factory.TITLE], factory.SEED_HEADERS, *factory.customers(35, start=500)]
    path = factory.several_sheets(
        tmp_path / "hidden.xlsx",
        [("旧名单", old, "hidden"), ("Sheet1", factory.list_rows(35), "visible")],
    )

    result = check_customer_list(path)

    assert result.ok, messages(result)
    assert names(result)[0] == "广州市第1贸易有限公司"


def test_a_very_hidden_sheet_named_like_the_template_is_not_read_either(tmp_path):
    path = factory.several_sheets(
        tmp_path / "very-hidden.xlsx",
        [("用户名单", [["x"]], "veryHidden"), ("名单", factory.list_rows(35), "visible")],
    )

    result = check_customer_list(path)

    assert result.ok, messages(result)
    assert len(result.rows) == 35


def test_two_visible_sheets_with_data_are_refused_by_name(tmp_path):
    path = factory.several_sheets(
        tmp_path / "two.xlsx",
        [("Sheet1", factory.list_rows(35), "visible"), ("Sheet2", [["补充"]], "visible")],
    )

    assert messages(check_customer_list(path)) == [
        "文件中有 2 个可见的工作表含有数据（“Sheet1”、“Sheet2”），无法确定读取哪一个。"
        "请把要上传的内容放在名为“用户名单”的工作表中，或删除其他工作表后再上传"
    ]


def test_the_sheet_named_like_the_template_is_read_among_others(tmp_path):
    path = factory.several_sheets(
        tmp_path / "named.xlsx",
        [("说明", [["填表说明"]], "visible"), ("用户名单", factory.list_rows(35), "visible")],
    )

    result = check_customer_list(path)

    assert result.ok, messages(result)
    assert len(result.rows) == 35


def test_the_one_visible_sheet_with_data_is_read_after_an_empty_one(tmp_path):
    path = factory.several_sheets(
        tmp_path / "empty-first.xlsx",
        [("Sheet1", [], "visible"), ("客户", factory.list_rows(35), "visible")],
    )

    result = check_customer_list(path)

    assert result.ok, messages(result)
    assert len(result.rows) == 35


# --- merged cells ------------------------------------------------------------------------------


def test_a_name_merged_over_several_contacts_is_filled_down_and_said(tmp_path):
    rows = factory.list_rows(35)
    rows[4][1] = "广州市共用名称有限公司"  # row 5; B6 and B7 are merged into it
    path = factory.merged_workbook(tmp_path / "merged.xlsx", rows, ["A1:F1", "B5:B7"])

    result = check_customer_list(path)

    assert result.ok, messages(result)
    assert names(result)[2:5] == ["广州市共用名称有限公司"] * 3
    assert [w.message for w in result.warnings] == [
        "第5–7行的“用户名称或企业名称”是合并单元格（B5:B7），已把第5行的内容填入其下各行，请核对"
    ]


def test_a_merged_title_above_the_header_is_no_concern(tmp_path):
    path = factory.merged_workbook(tmp_path / "title.xlsx", factory.list_rows(35), ["A1:F1"])

    result = check_customer_list(path)

    assert result.ok, messages(result)
    assert result.warnings == []


def test_a_merged_range_across_columns_of_the_list_is_refused_by_range(tmp_path):
    path = factory.merged_workbook(tmp_path / "across.xlsx", factory.list_rows(35), ["C8:D8"])

    result = check_customer_list(path)

    assert messages(result) == ["单元格 C8:D8 是合并单元格，请取消合并，并在每一行填写完整后再上传"]
    assert result.errors[0].row == 8


# --- formulas saved without their results ----------------------------------------------------


def test_a_formula_without_a_saved_result_is_named_instead_of_empty(tmp_path):
    rows = factory.list_rows(35)
    rows[3][1] = '="广州市"&"第二贸易有限公司"'  # row 4, column B
    path = factory.formula_workbook(tmp_path / "formula.xlsx", rows)

    result = check_customer_list(path)

    assert messages(result) == [
        "第4行：用户名称或企业名称（单元格 B4）是公式，文件中没有保存它的计算结果，系统读到的是空白。"
        "请在 Excel 中打开并保存该文件，或把公式转换为数值（复制后“选择性粘贴—数值”）后再上传"
    ]


def test_a_formula_saved_with_its_result_is_read_as_its_value(tmp_path):
    rows_xml = (
        factory.inline_row(1, factory.SEED_HEADERS)
        + "".join(
            factory.inline_row(n, [str(n), f"公司{n}", "", "", "", f"139{n:08d}"])
            for n in range(2, 37)
        )
    ).replace(
        '<c r="B2" t="inlineStr"><is><t>公司2</t></is></c>',
        '<c r="B2" t="str"><f>"公司"&amp;A2</f><v>公司2</v></c>',
    )
    path = factory.raw_xlsx(tmp_path / "cached.xlsx", factory.sheet_xml(rows_xml))

    result = check_customer_list(path)

    assert result.ok, messages(result)
    assert names(result)[0] == "公司2"


# --- 序号 and telephone numbers as typed -------------------------------------------------------


def test_a_repeated_sequence_number_is_a_warning(tmp_path):
    rows = factory.customers(35)
    rows[4][0] = 1

    result = check(tmp_path, rows)

    assert result.ok, messages(result)
    assert [w.message for w in result.warnings] == [
        "第7行：序号“1”与第3行重复，请核对是否漏填或重复填写了用户"
    ]


def test_full_width_sequence_numbers_are_stored_as_ascii(tmp_path):
    rows = factory.customers(35)
    rows[0][0] = "１"

    result = check(tmp_path, rows)

    assert result.rows[0].seq == "1"


def test_many_repeated_sequence_numbers_are_listed_up_to_a_hundred(tmp_path):
    rows = factory.customers(150)
    for row in rows:
        row[0] = 1

    result = check(tmp_path, rows)

    assert len(result.warnings) == 101
    assert result.warnings[-1].message == "还有 49 处提示未列出"


# --- the cap -------------------------------------------------------------------------------------


def test_a_list_clearly_over_the_cap_is_refused_before_any_row_is_read(tmp_path, monkeypatch):
    from manyi.applications.customers import rows as customer_rows

    def never(*args, **kwargs):
        raise AssertionError("rows were read")

    monkeypatch.setattr(customer_rows, "iter_rows", never)

    result = check(tmp_path, factory.customers(60), max_rows=30)

    assert messages(result) == ["用户名单超过上限 30 行，请分批整理后再上传"]


def test_a_list_just_over_the_cap_stops_at_the_first_row_too_many(tmp_path):
    result = check(tmp_path, factory.customers(31), max_rows=30)

    assert messages(result) == ["用户名单超过上限 30 行，请分批整理后再上传"]
