"""Builds good, broken and hostile spreadsheet files for tests, in a directory the test owns.

Real files, made the way an attacker or a careless clerk would make them: openpyxl for
ordinary workbooks, zipfile and raw bytes for the rest. Nothing here is checked in.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook

SEED_HEADERS = ["序号", "用户名称或企业名称", "详细地址", "联系部门", "联系人", "联系电话"]
TITLE = "申报企业名称：广州市示例电器有限公司"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
MAIN_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MAIN_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="用户名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def customer(i: int) -> list:
    """A valid, unique customer row number ``i`` (1-based)."""
    return [
        i,
        f"广州市第{i}贸易有限公司",
        f"广州市越秀区沿江中路{i}号",
        "采购部",
        "陈先生",
        f"139{i:08d}",
    ]


def customers(count: int, start: int = 1) -> list[list]:
    return [customer(i) for i in range(start, start + count)]


def write_workbook(
    path: Path,
    rows: Iterable[Sequence],
    *,
    title: str | None = TITLE,
    headers: Sequence[str] | None = SEED_HEADERS,
    blank_lines: int = 0,
) -> Path:
    """An ordinary workbook as Excel users make it (openpyxl, shared strings)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "用户名单"
    if title is not None:
        sheet.append([title])
    for _ in range(blank_lines):
        sheet.append([])
    if headers is not None:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def customer_list(path: Path, count: int = 35, **kwargs) -> Path:
    return write_workbook(path, customers(count), **kwargs)


def list_rows(count: int = 35) -> list[list]:
    """The rows of `customer_list` as they stand in the sheet: title, header, customers."""
    return [[TITLE], list(SEED_HEADERS), *customers(count)]


def several_sheets(path: Path, sheets: Sequence[tuple[str, Iterable[Sequence], str]]) -> Path:
    """A workbook of (name, rows, state) sheets in this order; state is "visible", "hidden"
    or "veryHidden". Excel lets a clerk hide the sheet an old list was kept on."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows, state in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        sheet.sheet_state = state
    visible = [s for s in workbook.worksheets if s.sheet_state == "visible"]
    workbook.active = workbook.worksheets.index(visible[0]) if visible else 0
    workbook.save(path)
    return path


def merged_workbook(path: Path, rows: Iterable[Sequence], merges: Sequence[str]) -> Path:
    """A list with merged ranges ("B4:B6"), as Excel saves it: the value stays in the first
    cell, the others are empty."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "用户名单"
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        first = sheet[cells.split(":")[0]].value
        sheet.merge_cells(cells)
        sheet[cells.split(":")[0]] = first
    workbook.save(path)
    return path


def formula_workbook(path: Path, rows: Iterable[Sequence]) -> Path:
    """Strings starting with "=" become formulas that openpyxl saves without a result, as
    programs that generate lists do: Excel shows the value, the file holds none."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "用户名单"
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def sheet_xml(rows_xml: str, *, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_OPEN}{dim}<sheetData>{rows_xml}</sheetData></worksheet>"


def raw_xlsx(
    path: Path,
    sheet: str | bytes,
    *,
    main_type: str = MAIN_XLSX,
    extra: dict[str, bytes | str] | None = None,
) -> Path:
    """A minimal package around a hand-written sheet XML, for shapes openpyxl won't write."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(main=main_type))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def inline_row(number: int, values: Sequence[str], *, refs: bool = True) -> str:
    cells = []
    for index, value in enumerate(values):
        ref = f' r="{chr(65 + index)}{number}"' if refs else ""
        cells.append(f'<c{ref} t="inlineStr"><is><t>{value}</t></is></c>')
    row_ref = f' r="{number}"' if refs else ""
    return f"<row{row_ref}>{''.join(cells)}</row>"


def zip_bomb(path: Path, *, megabytes: int = 500) -> Path:
    """A sheet of ``megabytes`` MiB of zeros, deflated to a couple of MB, written streaming."""
    zero = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(main=MAIN_XLSX))
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(zero)
    return path


def lying_zip(path: Path, *, megabytes: int = 100, declared: int = 10_000) -> Path:
    """A sheet whose central directory and local header claim ``declared`` bytes while the
    deflated stream holds ``megabytes`` MiB: size checks alone would let it through."""
    padding = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(main=MAIN_XLSX))
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w") as entry:
            entry.write(SHEET_OPEN.encode() + b"<sheetData>")
            for _ in range(megabytes):
                entry.write(padding)
            entry.write(b"</sheetData></worksheet>")
    _declare_size(path, "xl/worksheets/sheet1.xml", declared)
    return path


def _declare_size(path: Path, name: str, size: int) -> None:
    """Overwrite an entry's uncompressed size in its local header and central directory."""
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo(name).header_offset
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, local + 22, size)
    position = struct.unpack_from("<I", data, data.rindex(b"PK\x05\x06") + 16)[0]
    while True:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46 : position + 46 + name_len] == name.encode():
            struct.pack_into("<I", data, position + 24, size)
            break
        position += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))


def fake_cfb(path: Path, *stream_names: str) -> Path:
    """An OLE compound file as far as a sniffer can tell: the magic and directory names."""
    body = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in stream_names)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + body + bytes(512))
    return path
