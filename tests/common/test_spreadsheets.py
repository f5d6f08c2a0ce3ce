"""The spreadsheet guard, reader and writer, on real files built in tmp_path."""

import datetime
import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from manyi.common.spreadsheets import (
    SpreadsheetRejected,
    XlsxInfo,
    inspect_xlsx,
    iter_rows,
    write_xlsx,
)
from tests import xlsx_factory as factory


@pytest.fixture(autouse=True)
def _clear_cache():
    """These tests touch no database: override the suite's cache clearing."""
    yield


def rejected(path, **limits) -> SpreadsheetRejected:
    with pytest.raises(SpreadsheetRejected) as caught:
        inspect_xlsx(path, **limits)
    return caught.value


def read_all(path, **limits):
    limits = {"max_rows": 1000, "max_cols": 16, **limits}
    return list(iter_rows(path, **limits))


# --- good files --------------------------------------------------------------------------


def test_ordinary_workbook_passes_and_reads_every_row(tmp_path):
    path = factory.customer_list(tmp_path / "list.xlsx", count=3)

    info = inspect_xlsx(path, max_rows=100, max_cols=16)
    rows = read_all(path)

    assert isinstance(info, XlsxInfo)
    assert info.sheet_names == ("用户名单",)
    assert info.exact_scan is False
    assert rows[0] == (1, [factory.TITLE, "", "", "", "", ""])
    assert rows[1] == (2, factory.SEED_HEADERS)
    assert rows[2] == (
        3,
        [
            "1",
            "广州市第1贸易有限公司",
            "广州市越秀区沿江中路1号",
            "采购部",
            "陈先生",
            "13900000001",
        ],
    )
    assert len(rows) == 5


def test_numbers_and_dates_read_as_a_clerk_sees_them(tmp_path):
    path = factory.write_workbook(
        tmp_path / "types.xlsx",
        [
            [
                13800138000,
                2.5,
                datetime.date(2024, 3, 1),
                datetime.datetime(2024, 3, 1, 8, 30),
                True,
                None,
                "x",
            ]
        ],
        title=None,
        headers=None,
    )

    [(number, cells)] = read_all(path)

    assert number == 1
    assert cells == ["13800138000", "2.5", "2024-03-01", "2024-03-01 08:30:00", "TRUE", "", "x"]


def test_row_numbers_and_columns_are_absolute_when_data_starts_lower_right(tmp_path):
    sheet = factory.sheet_xml(
        '<row r="3"><c r="C3" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="5"><c r="D5"><v>7</v></c></row>'
    )
    path = factory.raw_xlsx(tmp_path / "offset.xlsx", sheet)

    rows = dict(read_all(path))

    assert rows[3] == ["", "", "x", ""]
    assert rows[5] == ["", "", "", "7"]
    assert rows[1] == rows[2] == rows[4] == ["", "", "", ""]


def test_cells_without_references_are_walked_exactly_and_read(tmp_path):
    rows_xml = factory.inline_row(1, ["a", "b"], refs=False) + factory.inline_row(
        2, ["c"], refs=False
    )
    path = factory.raw_xlsx(tmp_path / "norefs.xlsx", factory.sheet_xml(rows_xml))

    assert inspect_xlsx(path, max_rows=10, max_cols=4).exact_scan is True
    assert read_all(path) == [(1, ["a", "b"]), (2, ["c", ""])]


def test_empty_sheet_yields_nothing(tmp_path):
    path = factory.raw_xlsx(tmp_path / "empty-sheet.xlsx", factory.sheet_xml(""))

    assert read_all(path) == []


# --- files that are not plain .xlsx ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", "empty", "文件为空"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "not_xlsx", "PNG 图片"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not_xlsx", "PDF 文档"),
        (
            "序号,用户名称或企业名称,联系电话\n1,广州某公司,13800138000\n".encode(),
            "not_xlsx",
            "CSV",
        ),
        ("序号,用户名称,联系电话\n1,某公司,13800138000\n".encode("gb18030"), "not_xlsx", "CSV"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "not_xlsx", "HTML"),
        (b"PK\x05\x06" + bytes(18), "not_xlsx", "不是有效的 Excel"),
    ],
    ids=["empty", "png", "pdf", "csv", "csv-gbk", "html", "empty-zip"],
)
def test_non_spreadsheets_are_named(tmp_path, content, code, words):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)

    error = rejected(path)

    assert error.code == code
    assert words in error.message


def _csv_cut_at(encoding: str, shift: int) -> bytes:
    """A long CSV moved by ``shift`` spaces: where its first 4 096 bytes end (inside a
    character or between two) depends on the shift (UTF-8 shifts 0 and 1, GB18030 shift 1
    cut a character)."""
    rows = "".join(
        f"{i},广州市越秀区沿江中路第{i}号贸易有限公司采购部陈先生,13900000001\n" for i in range(300)
    )
    return b" " * shift + f"序号,用户名称或企业名称,联系电话\n{rows}".encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "shift"), [("utf-8", s) for s in range(3)] + [("gb18030", 0), ("gb18030", 1)]
)
def test_a_csv_renamed_xlsx_is_named_wherever_the_head_cuts_a_character(tmp_path, encoding, shift):
    path = tmp_path / "list.xlsx"
    path.write_bytes(_csv_cut_at(encoding, shift))

    error = rejected(path)

    assert (
        error.message
        == "文件不是有效的 Excel（.xlsx）文件（看起来是CSV 或文本文件），请用 Excel 另存为 .xlsx 后再上传"
    )


def test_legacy_xls_is_refused_with_advice(tmp_path):
    path = factory.fake_cfb(
        tmp_path / "old.xlsx", "Root Entry", "Workbook", "\x05SummaryInformation"
    )

    error = rejected(path)

    assert error.code == "legacy_xls"
    assert error.message == "不接受旧版 .xls 格式，请另存为 .xlsx"


def test_encrypted_workbook_is_refused_with_advice(tmp_path):
    path = factory.fake_cfb(
        tmp_path / "secret.xlsx", "Root Entry", "EncryptionInfo", "EncryptedPackage"
    )

    error = rejected(path)

    assert error.code == "encrypted"
    assert error.message == "文件已加密，请另存为未加密的 .xlsx 后再上传"


def test_truncated_zip_is_corrupt(tmp_path):
    good = factory.customer_list(tmp_path / "good.xlsx")
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])

    error = rejected(path)

    assert error.code == "corrupt"
    assert "损坏或不完整" in error.message


def test_zip_without_workbook_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")

    assert rejected(path).code == "not_xlsx"


def test_word_document_renamed_is_named(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")

    error = rejected(path)

    assert error.code == "not_xlsx"
    assert "Word" in error.message


def test_macro_project_is_refused(tmp_path):
    sheet = factory.sheet_xml(factory.inline_row(1, ["a"]))
    path = factory.raw_xlsx(
        tmp_path / "macro.xlsx", sheet, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}
    )

    error = rejected(path)

    assert error.code == "macro"
    assert error.message == "文件含有宏，请另存为不含宏的 .xlsx"


def test_macro_enabled_content_type_is_refused_even_without_the_project(tmp_path):
    sheet = factory.sheet_xml(factory.inline_row(1, ["a"]))
    path = factory.raw_xlsx(tmp_path / "book.xlsm.xlsx", sheet, main_type=factory.MAIN_XLSM)

    assert rejected(path).code == "macro"


def test_activex_control_is_refused(tmp_path):
    sheet = factory.sheet_xml(factory.inline_row(1, ["a"]))
    path = factory.raw_xlsx(tmp_path / "ax.xlsx", sheet, extra={"xl/activeX/activeX1.xml": "<ax/>"})

    assert rejected(path).code == "activex"


def test_too_large_file_is_refused_before_reading(tmp_path):
    path = factory.customer_list(tmp_path / "list.xlsx")

    error = rejected(path, max_file_bytes=1000)

    assert error.code == "too_large"


def test_too_many_entries_is_refused(tmp_path):
    sheet = factory.sheet_xml(factory.inline_row(1, ["a"]))
    extra = {f"xl/media/image{i}.png": b"x" for i in range(20)}
    path = factory.raw_xlsx(tmp_path / "many.xlsx", sheet, extra=extra)

    assert rejected(path, max_entries=10).code == "too_many_entries"


def test_utf16_sheet_is_refused(tmp_path):
    sheet = factory.sheet_xml(factory.inline_row(1, ["a"])).encode("utf-16")
    path = factory.raw_xlsx(tmp_path / "utf16.xlsx", sheet)

    assert rejected(path).code == "corrupt"


def test_malformed_sheet_xml_is_corrupt_when_read(tmp_path):
    sheet = factory.SHEET_OPEN + '<sheetData><row r="1"><c r="A1"><v>1</v></c>'
    path = factory.raw_xlsx(tmp_path / "cut-xml.xlsx", sheet)

    with pytest.raises(SpreadsheetRejected) as caught:
        read_all(path)

    assert caught.value.code == "corrupt"


# --- bombs and oversized sheets ------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """500 MiB of zeros in about 2 MB: built once, streaming, for the whole module."""
    return factory.zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", megabytes=500)


def measure(function, *args, **kwargs):
    """Run ``function``; return (exception or result, seconds, peak traced MB)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = function(*args, **kwargs)
    except SpreadsheetRejected as exc:
        outcome = exc
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return outcome, seconds, peak


def test_zip_bomb_is_refused_quickly_in_little_memory(bomb):
    assert bomb.stat().st_size < 5 * 1024 * 1024

    outcome, seconds, peak = measure(inspect_xlsx, bomb)

    assert isinstance(outcome, SpreadsheetRejected)
    assert outcome.code == "zip_bomb"
    assert outcome.message == "文件解压后过大，疑似压缩炸弹，已拒绝"
    assert seconds < 2
    assert peak < 10


def test_zip_bomb_is_refused_by_ratio_under_a_generous_size_cap(bomb):
    error = rejected(bomb, max_uncompressed_bytes=10 * 1024**3)

    assert error.code == "zip_bomb"


def test_central_directory_lying_about_sizes_is_caught_while_inflating(tmp_path):
    path = factory.lying_zip(tmp_path / "liar.xlsx", megabytes=100, declared=10_000)
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 10_000

    outcome, seconds, peak = measure(inspect_xlsx, path)

    assert isinstance(outcome, SpreadsheetRejected)
    assert outcome.code == "zip_bomb"
    assert "与其声明不符" in outcome.message
    assert peak < 10


def test_declared_huge_dimension_is_refused_early(tmp_path):
    sheet = factory.sheet_xml(factory.inline_row(1, ["a"]), dimension="A1:F2000000")
    path = factory.raw_xlsx(tmp_path / "huge-dim.xlsx", sheet)

    error = rejected(path, max_rows=200_100, max_cols=16)

    assert error.code == "too_many_rows"
    assert error.message == "表格行数超过上限 200100 行"


def test_two_far_apart_cells_never_reach_calamine(tmp_path):
    # calamine would allocate the grid between A1 and XFD1048576 (about 550 GB) and abort.
    rows_xml = (
        factory.inline_row(1, ["a"]) + '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    )
    path = factory.raw_xlsx(tmp_path / "corners.xlsx", factory.sheet_xml(rows_xml))

    with pytest.raises(SpreadsheetRejected) as caught:
        read_all(path, max_rows=200_100, max_cols=16)

    assert caught.value.code == "too_many_columns"


def test_a_cell_far_below_is_too_many_rows(tmp_path):
    rows_xml = factory.inline_row(1, ["a"]) + '<row r="5000"><c r="A5000"><v>2</v></c></row>'
    path = factory.raw_xlsx(tmp_path / "deep.xlsx", factory.sheet_xml(rows_xml))

    assert rejected(path, max_rows=1000, max_cols=16).code == "too_many_rows"
    assert inspect_xlsx(path, max_rows=5000, max_cols=16).exact_scan is False  # in bounds


def test_cells_without_references_cannot_sneak_past_the_column_limit(tmp_path):
    row = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 20 + "</row>"
    path = factory.raw_xlsx(tmp_path / "wide.xlsx", factory.sheet_xml(row))

    assert rejected(path, max_rows=10, max_cols=16).code == "too_many_columns"


def test_cell_rows_without_references_follow_a_far_row(tmp_path):
    rows_xml = factory.inline_row(1, ["a"]) + '<row r="900000"><c><v>1</v></c></row>'
    path = factory.raw_xlsx(tmp_path / "far-row.xlsx", factory.sheet_xml(rows_xml))

    assert rejected(path, max_rows=1000, max_cols=16).code == "too_many_rows"


def test_prefixed_cell_elements_are_walked_exactly(tmp_path):
    sheet = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="2"><x:c r = "Z2"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    path = factory.raw_xlsx(tmp_path / "prefixed.xlsx", sheet)

    assert rejected(path, max_rows=10, max_cols=16).code == "too_many_columns"


def test_reading_stops_past_max_rows(tmp_path):
    path = factory.customer_list(tmp_path / "list.xlsx", count=50)

    with pytest.raises(SpreadsheetRejected) as caught:
        read_all(path, max_rows=20)

    assert caught.value.code == "too_many_rows"


# --- writing -----------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil","点我")']


def test_write_xlsx_never_writes_formulas(tmp_path):
    path = tmp_path / "out.xlsx"

    write_xlsx(
        ([value, "正常"] for value in DANGEROUS),
        headers=["值", "说明"],
        title="导出",
        path_or_buffer=path,
    )

    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert "<f " not in sheet
    values = [cells[0] for _, cells in read_all(path)[1:]]
    # XML turns a raw carriage return into a line feed; it is still text, not a formula.
    assert values == [v.replace("\r", "\n") for v in DANGEROUS]
    cell = load_workbook(path).active["A2"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"


def test_write_xlsx_streams_preamble_header_and_rows_to_a_buffer():
    buffer = io.BytesIO()

    write_xlsx(
        iter([["1", 2, None], ["坏\x00字符", 3.5, datetime.date(2024, 1, 2)]]),
        headers=["甲", "乙", "丙"],
        title="名单:[2024]",
        path_or_buffer=buffer,
        preamble=[["申报企业名称：某公司"]],
        column_widths=[10, 20, 30],
    )

    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook.active
    assert sheet.title == "名单 2024"
    assert [c.value for c in sheet[1]][:1] == ["申报企业名称：某公司"]
    assert [c.value for c in sheet[2]] == ["甲", "乙", "丙"]
    assert sheet["A4"].value == "坏字符"
    assert sheet.column_dimensions["C"].width == 30
    assert sheet.freeze_panes == "A3"


def test_written_file_passes_the_guard(tmp_path):
    path = tmp_path / "roundtrip.xlsx"
    write_xlsx([["a", 1]], headers=["x", "y"], title="t", path_or_buffer=path)

    assert inspect_xlsx(path).sheet_names == ("t",)


def test_openpyxl_workbook_saved_normally_is_accepted(tmp_path):
    workbook = Workbook()
    workbook.active.append(["=SUM(1,2)"])
    path = tmp_path / "formula.xlsx"
    workbook.save(path)

    # Formulas in uploads are harmless to us: calamine reads cached values, never evaluates.
    assert inspect_xlsx(path).entry_count > 3


# --- which sheet is read, and what the XML says about it -------------------------------------


def test_a_hidden_sheet_is_skipped_for_the_first_visible_one(tmp_path):
    path = factory.several_sheets(
        tmp_path / "hidden.xlsx",
        [("旧", [["旧数据"]], "hidden"), ("新", [["新数据"]], "visible")],
    )

    info = inspect_xlsx(path)

    assert info.sheet_names == ("旧", "新")
    assert info.sheet_name == "新"
    assert read_all(path) == [(1, ["新数据"])]


def test_visible_sheets_holding_data_are_named_when_refused(tmp_path):
    path = factory.several_sheets(
        tmp_path / "two.xlsx", [("甲", [["1"]], "visible"), ("乙", [["2"]], "visible")]
    )

    error = rejected(path)

    assert error.code == "several_sheets"
    assert error.message == (
        "文件中有 2 个可见的工作表含有数据（“甲”、“乙”），无法确定读取哪一个。"
        "请只保留一个含数据的工作表后再上传"
    )


def test_the_preferred_sheet_is_read_whatever_else_is_visible(tmp_path):
    path = factory.several_sheets(
        tmp_path / "preferred.xlsx", [("甲", [["1"]], "visible"), ("名单", [["2"]], "visible")]
    )

    assert inspect_xlsx(path, preferred_sheet="名单").sheet_name == "名单"
    assert read_all(path, preferred_sheet="名单") == [(1, ["2"])]


def test_a_hidden_sheet_holding_data_does_not_count_as_a_second_sheet(tmp_path):
    path = factory.several_sheets(
        tmp_path / "one.xlsx", [("甲", [["1"]], "visible"), ("乙", [["2"]], "hidden")]
    )

    assert inspect_xlsx(path).sheet_name == "甲"


def test_two_sheets_of_one_name_are_refused_as_corrupt(tmp_path):
    path = factory.raw_xlsx(tmp_path / "twins.xlsx", factory.sheet_xml(""))
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", '<sheet name="用户名单" sheetId="2" r:id="rId1"/></sheets>'.encode()
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)

    assert rejected(path).code == "corrupt"


def test_rows_holding_values_are_counted(tmp_path):
    path = factory.customer_list(tmp_path / "list.xlsx", count=7, blank_lines=2)

    assert inspect_xlsx(path).value_rows == 9  # title, header, seven customers


def test_merged_ranges_are_listed(tmp_path):
    path = factory.merged_workbook(
        tmp_path / "merged.xlsx", factory.list_rows(5), ["A1:F1", "B4:B6"]
    )

    assert sorted(inspect_xlsx(path).merged_ranges) == ["A1:F1", "B4:B6"]


def test_formulas_without_saved_results_are_listed(tmp_path):
    path = factory.formula_workbook(
        tmp_path / "formula.xlsx", [["a", "=A1&1"], ["=1+1", 3], ["b", "=B2*2"]]
    )

    info = inspect_xlsx(path)

    assert info.uncomputed_formulas == ("B1", "A2", "B3")
    assert info.uncomputed_formula_count == 3


def test_formulas_with_saved_results_are_not_listed(tmp_path):
    rows_xml = (
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c>'
        '<c r="B1" t="str"><f>""</f><v></v></c>'  # a result that is the empty text
        '<c r="C1" t="str"><f>A1&amp;"x"</f><v>2x</v></c></row>'
    )
    path = factory.raw_xlsx(tmp_path / "cached.xlsx", factory.sheet_xml(rows_xml))

    assert inspect_xlsx(path).uncomputed_formulas == ()


def test_a_cell_written_far_beyond_the_limit_is_refused_without_walking_the_sheet(
    tmp_path, monkeypatch
):
    from manyi.common import spreadsheets

    def walk(*args, **kwargs):
        raise AssertionError("the sheet was walked")

    monkeypatch.setattr(spreadsheets, "_walk_exactly", walk)
    path = factory.customer_list(tmp_path / "list.xlsx", count=60)

    assert rejected(path, max_rows=30, max_cols=16).code == "too_many_rows"


def test_what_the_xml_says_does_not_depend_on_where_the_chunks_end(tmp_path, monkeypatch):
    from manyi.common import spreadsheets

    rows = [["序号", "名称", "电话"]]
    for i in range(1, 120):
        name = f'="公司"&{i}' if i % 7 == 0 else f"公司{i}"
        rows.append([i, name, f"139{i:08d}" if i % 5 else None])
    merges = [f"B{n}:B{n + 1}" for n in range(10, 100, 20)]
    path = factory.merged_workbook(tmp_path / "many.xlsx", rows, merges)
    whole = inspect_xlsx(path)

    # Chunks of 173 bytes: every tag kind ends up cut somewhere.
    monkeypatch.setattr(spreadsheets, "INFLATE_STEP", 173)
    monkeypatch.setattr(spreadsheets, "READ_STEP", 173)
    cut = inspect_xlsx(path)

    assert whole.uncomputed_formula_count == 16  # every 7th name, but B71 is merged away
    assert cut.uncomputed_formulas == whole.uncomputed_formulas
    assert cut.merged_ranges == whole.merged_ranges
    assert len(whole.merged_ranges) == 5
    assert cut.value_rows == whole.value_rows == 120
