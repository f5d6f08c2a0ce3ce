"""Safe reading and writing of Excel (.xlsx) files.

Every uploaded spreadsheet goes through :func:`inspect_xlsx` before any parser sees it, and
is then read with :func:`iter_rows`. Every spreadsheet the system writes goes through
:func:`write_xlsx`, which never lets a value become a formula.

Why the guard is this thorough: python-calamine builds a *dense* grid spanning the first to
the last cell that has a value, so two cells far apart (A1 and XFD1048576) make it allocate
hundreds of gigabytes and abort the whole process, not raise. The guard therefore bounds the
cell references in the sheet XML, not only the zip sizes, before calamine is called.
"""

from __future__ import annotations

import codecs
import datetime
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception type

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

from manyi.common.punctuation import join_words

MiB = 1024 * 1024
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_LOCAL_MAGIC = b"PK\x03\x04"
ZIP_EMPTY_MAGIC = b"PK\x05\x06"

# Parts we parse ourselves are tiny in any real workbook; a cap keeps a bomb out of memory.
SMALL_PART_CAP = 16 * MiB
# Output per inflate step: bounds memory whatever the compression ratio.
INFLATE_STEP = 1 * MiB
READ_STEP = 256 * 1024
# A declared ratio is only suspicious on parts big enough to matter.
RATIO_MIN_BYTES = 1 * MiB

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetRejected(ValueError):
    """An uploaded file that must not be parsed. ``message`` is shown to the user as is."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class XlsxInfo:
    """What the guard learnt about an accepted file, and the bounds it enforced."""

    entry_count: int
    uncompressed_bytes: int
    sheet_names: tuple[str, ...]
    sheet_name: str  # the sheet that is read (see `inspect_xlsx`)
    sheet_part: str
    declared_rows: int | None  # from the sheet's <dimension ref>, when present
    row_limit: int  # no cell of the sheet read lies below this row
    col_limit: int  # nor right of this column
    exact_scan: bool  # unusual cell tags or formulas forced the exact (slower) walk
    # Rows of the sheet read that hold at least one value: counted in the XML, so a caller can
    # refuse a list over its cap before anything parses it.
    value_rows: int = 0
    merged_ranges: tuple[str, ...] = ()  # "A3:A5", as written in the sheet, without "$"
    # Formula cells whose result was never saved (a generator's file, not Excel's): calamine
    # reads them as empty. At most MAX_LISTED_FORMULAS references, in sheet order.
    uncomputed_formulas: tuple[str, ...] = ()
    uncomputed_formula_count: int = 0


# --------------------------------------------------------------------------------------------
# Messages: one place, so the wording stays consistent.


def _not_xlsx(kind: str | None = None) -> SpreadsheetRejected:
    if kind:
        message = _(
            "文件不是有效的 Excel（.xlsx）文件（看起来是%(kind)s），请用 Excel 另存为 .xlsx 后再上传"
        ) % {"kind": kind}
    else:
        message = _("文件不是有效的 Excel（.xlsx）文件")
    return SpreadsheetRejected(message, "not_xlsx")


def _corrupt() -> SpreadsheetRejected:
    return SpreadsheetRejected(
        _("文件已损坏或不完整，无法读取，请用 Excel 重新另存为 .xlsx 后再上传"), "corrupt"
    )


def _bomb() -> SpreadsheetRejected:
    return SpreadsheetRejected(_("文件解压后过大，疑似压缩炸弹，已拒绝"), "zip_bomb")


def _too_many_rows(limit: int) -> SpreadsheetRejected:
    return SpreadsheetRejected(_("表格行数超过上限 %(max)d 行") % {"max": limit}, "too_many_rows")


def _too_many_cols(limit: int) -> SpreadsheetRejected:
    return SpreadsheetRejected(
        _("表格列数超过上限 %(max)d 列，请删除多余的列（包括只设置了格式的空白列）后再上传")
        % {"max": limit},
        "too_many_columns",
    )


# --------------------------------------------------------------------------------------------
# Step 1: the bytes before any parser.


def _sniff_kind(head: bytes) -> str | None:
    """Name what a non-zip file looks like, so the message can say it. Cheap, best effort."""
    signatures = (
        (b"%PDF", _("PDF 文档")),
        (b"\x89PNG", _("PNG 图片")),
        (b"\xff\xd8\xff", _("JPEG 图片")),
        (b"GIF8", _("GIF 图片")),
        (b"Rar!", _("RAR 压缩包")),
        (b"7z\xbc\xaf", _("7z 压缩包")),
        (b"\x1f\x8b", _("gzip 压缩包")),
        (b"{\\rtf", _("RTF 文档")),
    )
    for magic, kind in signatures:
        if head.startswith(magic):
            return kind
    text = _decode_text(head)
    if text is None:
        return None
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html")) or "<table" in lowered:
        return _("网页（HTML）文件")
    if lowered.startswith("<?xml") or lowered.startswith("<"):
        return _("XML 文件")
    if any(sep in text for sep in (",", "\t", "，")):
        return _("CSV 或文本文件")
    return _("文本文件")


def _decode_text(head: bytes) -> str | None:
    """Decode the head of a file if it is plausibly text (UTF-8 or GB18030).

    The head is the first bytes of a longer file and may end inside a character, wherever the
    cut falls: an incremental decoder that is not told the input is final keeps an unfinished
    character back instead of failing on it.
    """
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return None


def _classify_cfb(path: str | os.PathLike) -> SpreadsheetRejected:
    """An OLE compound file: an encrypted OOXML package, an old .xls, or another Office file.

    The directory holds stream names in UTF-16; searching the raw bytes for them avoids a
    CFB parser. The file is already known to be at most ``max_file_bytes`` long.
    """
    needles = {
        "EncryptionInfo".encode("utf-16-le"): "encrypted",
        "EncryptedPackage".encode("utf-16-le"): "encrypted",
        "WordDocument".encode("utf-16-le"): "word",
        "PowerPoint Document".encode("utf-16-le"): "powerpoint",
    }
    found = set()
    overlap = max(len(n) for n in needles)
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(READ_STEP):
            window = tail + chunk
            found.update(kind for needle, kind in needles.items() if needle in window)
            tail = window[-overlap:]
    if "encrypted" in found:
        return SpreadsheetRejected(_("文件已加密，请另存为未加密的 .xlsx 后再上传"), "encrypted")
    if "word" in found:
        return _not_xlsx(_("Word 文档"))
    if "powerpoint" in found:
        return _not_xlsx(_("PowerPoint 文档"))
    return SpreadsheetRejected(_("不接受旧版 .xls 格式，请另存为 .xlsx"), "legacy_xls")


def _check_bytes(path: str | os.PathLike, max_file_bytes: int) -> None:
    """Refuse empty, oversized and non-zip files by their size and first bytes."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise _corrupt() from exc
    if size == 0:
        raise SpreadsheetRejected(_("文件为空，请重新选择文件"), "empty")
    if size > max_file_bytes:
        raise SpreadsheetRejected(
            _("文件过大（%(size).1f MB），上限为 %(max).0f MB")
            % {"size": size / MiB, "max": max_file_bytes / MiB},
            "too_large",
        )
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(CFB_MAGIC):
        raise _classify_cfb(path)
    if head.startswith(ZIP_EMPTY_MAGIC):
        raise _not_xlsx()
    if not head.startswith(ZIP_LOCAL_MAGIC):
        raise _not_xlsx(_sniff_kind(head))


# --------------------------------------------------------------------------------------------
# Step 2: the zip's central directory, before decompressing anything.


def _open_zip(path: str | os.PathLike) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _corrupt() from exc


def _part_key(name: str) -> str:
    """calamine finds parts case-insensitively; so must we, or we could guard the wrong one."""
    return name.replace("\\", "/").lstrip("/").lower()


def _check_directory(
    zf: zipfile.ZipFile, *, max_uncompressed_bytes: int, max_ratio: float, max_entries: int
) -> dict[str, zipfile.ZipInfo]:
    """Check the entries as declared; return them keyed by their case-folded name."""
    infos = zf.infolist()
    if len(infos) > max_entries:
        raise SpreadsheetRejected(
            _("文件内部条目过多（超过 %(max)d 个），已拒绝") % {"max": max_entries},
            "too_many_entries",
        )
    parts: dict[str, zipfile.ZipInfo] = {}
    declared_total = 0
    for info in infos:
        key = _part_key(info.filename)
        if key in parts:
            # Two readers could pick different copies: refuse the ambiguity.
            raise _corrupt()
        parts[key] = info
        if info.flag_bits & 0x1:
            raise SpreadsheetRejected(_("文件已加密，请另存为未加密的 .xlsx 后再上传"), "encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Excel only ever stores or deflates; other methods only widen the attack surface.
            raise SpreadsheetRejected(
                _("文件使用了 Excel 不会使用的压缩方式，请用 Excel 重新另存为 .xlsx"),
                "unsupported_compression",
            )
        declared_total += info.file_size
        if declared_total > max_uncompressed_bytes:
            raise _bomb()
        if info.file_size >= RATIO_MIN_BYTES and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            raise _bomb()
    return parts


def _check_package_kind(parts: dict[str, zipfile.ZipInfo]) -> None:
    """Tell other zip-based formats apart and refuse active content."""
    if "word/document.xml" in parts:
        raise _not_xlsx(_("Word 文档"))
    if "ppt/presentation.xml" in parts:
        raise _not_xlsx(_("PowerPoint 文档"))
    if "mimetype" in parts and "content.xml" in parts:
        raise SpreadsheetRejected(_("不接受 .ods 格式，请用 Excel 另存为 .xlsx"), "ods")
    if "xl/workbook.bin" in parts:
        raise SpreadsheetRejected(_("不接受 .xlsb 格式，请另存为 .xlsx"), "xlsb")
    for key in parts:
        name = PurePosixPath(key).name
        if name == "vbaproject.bin" or key.startswith("xl/macrosheets/"):
            raise SpreadsheetRejected(_("文件含有宏，请另存为不含宏的 .xlsx"), "macro")
        if key.startswith("xl/activex/"):
            raise SpreadsheetRejected(
                _("文件含有 ActiveX 控件，请删除控件后另存为 .xlsx"), "activex"
            )
    if "[content_types].xml" not in parts or "xl/workbook.xml" not in parts:
        raise _not_xlsx()


# --------------------------------------------------------------------------------------------
# Step 3: decompress with our own caps, never trusting the declared sizes.


def _iter_inflated(fh: IO[bytes], info: zipfile.ZipInfo, *, cap: int) -> Iterator[bytes]:
    """Yield an entry's content in bounded chunks, checking real size and CRC.

    Reads the raw stream at the offset the central directory gives, as calamine's zip reader
    does, and stops as soon as the output passes the declared size or ``cap``: a central
    directory that lies about sizes cannot make us (or, later, calamine) inflate a bomb.
    """
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or not header.startswith(ZIP_LOCAL_MAGIC):
        raise _corrupt()
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    limit = min(info.file_size, cap)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    remaining = info.compress_size
    produced = 0
    crc = 0
    while remaining > 0:
        raw = fh.read(min(remaining, READ_STEP))
        if not raw:
            raise _corrupt()
        remaining -= len(raw)
        pieces = [raw] if inflater is None else _inflate_bounded(inflater, raw)
        for piece in pieces:
            produced += len(piece)
            if produced > limit:
                raise _bomb() if produced > cap or info.file_size >= cap else _lying_size()
            crc = zlib.crc32(piece, crc)
            yield piece
    if inflater is not None and not inflater.eof:
        raise _corrupt()
    if produced != info.file_size or crc != info.CRC:
        raise _corrupt()


def _inflate_bounded(inflater: Any, raw: bytes) -> Iterator[bytes]:
    """Inflate ``raw`` in steps of at most INFLATE_STEP bytes of output."""
    data = inflater.decompress(raw, INFLATE_STEP)
    if data:
        yield data
    while inflater.unconsumed_tail:
        data = inflater.decompress(inflater.unconsumed_tail, INFLATE_STEP)
        if data:
            yield data


def _lying_size() -> SpreadsheetRejected:
    # More output than the directory declared is how a bomb hides from size checks.
    return SpreadsheetRejected(_("文件解压后的大小与其声明不符，疑似压缩炸弹，已拒绝"), "zip_bomb")


def _read_small_part(fh: IO[bytes], info: zipfile.ZipInfo) -> bytes:
    return b"".join(_iter_inflated(fh, info, cap=SMALL_PART_CAP))


def _parse_xml(data: bytes):
    """Parse a small XML part with defusedxml (no entities, no external references)."""
    try:
        return SafeET.fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise _corrupt() from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_content_types(data: bytes) -> None:
    """Macro-enabled workbooks declare themselves here even without a vbaProject part."""
    root = _parse_xml(data)
    for element in root.iter():
        content_type = (element.get("ContentType") or "").lower()
        if "macroenabled" in content_type or "vbaproject" in content_type:
            raise SpreadsheetRejected(_("文件含有宏，请另存为不含宏的 .xlsx"), "macro")
        if "activex" in content_type:
            raise SpreadsheetRejected(
                _("文件含有 ActiveX 控件，请删除控件后另存为 .xlsx"), "activex"
            )


@dataclass(frozen=True, slots=True)
class _Sheet:
    name: str
    visible: bool
    part: zipfile.ZipInfo | None  # None: a chart sheet, a dialog sheet or a missing part


def _workbook_sheets(fh: IO[bytes], parts: dict[str, zipfile.ZipInfo]) -> list[_Sheet]:
    """The sheets in workbook order, each resolved to its part as calamine resolves it."""
    workbook = _parse_xml(_read_small_part(fh, parts["xl/workbook.xml"]))
    elements = [el for el in workbook.iter() if _local(el.tag) == "sheet"]
    if not elements:
        raise SpreadsheetRejected(_("文件中没有工作表"), "no_sheet")
    rels_info = parts.get("xl/_rels/workbook.xml.rels")
    if rels_info is None:
        raise _corrupt()
    targets = {
        rel.get("Id"): rel.get("Target") or ""
        for rel in _parse_xml(_read_small_part(fh, rels_info)).iter()
        if _local(rel.tag) == "Relationship"
    }
    sheets = []
    for element in elements:
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rel_id)
        if not target:
            raise _corrupt()
        if target.startswith("/xl/"):
            path = target[1:]
        elif target.startswith("xl/"):
            path = target
        else:
            path = "xl/" + target
        is_worksheet = path.split("/")[1:2] == ["worksheets"]
        sheets.append(
            _Sheet(
                name=element.get("name") or "",
                visible=(element.get("state") or "visible") == "visible",
                part=parts.get(_part_key(path)) if is_worksheet else None,
            )
        )
    names = [sheet.name for sheet in sheets]
    if len(set(names)) != len(names):
        # calamine finds a sheet by name: with two of one name it could read the other one.
        raise _corrupt()
    return sheets


def _sheet_to_read(sheets: list[_Sheet], preferred: str | None) -> tuple[_Sheet, bool]:
    """The visible sheet named ``preferred``, else the first visible worksheet.

    Hidden sheets are never read: Excel users do not see them. The second value says whether
    the choice is settled (a sheet had the preferred name, or there is one visible worksheet);
    otherwise `inspect_xlsx` looks at which visible worksheets hold data.
    """
    visible = [sheet for sheet in sheets if sheet.visible and sheet.part is not None]
    if not visible:
        if any(sheet.visible for sheet in sheets):
            raise SpreadsheetRejected(
                _("可见的工作表都不是普通表格（可能是图表），请把数据放在普通工作表中"),
                "first_sheet_not_data",
            )
        raise _corrupt()
    if preferred:
        for sheet in visible:
            if sheet.name.strip() == preferred:
                return sheet, True
    return visible[0], len(visible) == 1


def _several_sheets(names: list[str], preferred: str | None) -> SpreadsheetRejected:
    listed = join_words(f"“{name}”" for name in names)
    if preferred:
        message = _(
            "文件中有 %(count)d 个可见的工作表含有数据（%(names)s），无法确定读取哪一个。"
            "请把要上传的内容放在名为“%(preferred)s”的工作表中，或删除其他工作表后再上传"
        ) % {"count": len(names), "names": listed, "preferred": preferred}
    else:
        message = _(
            "文件中有 %(count)d 个可见的工作表含有数据（%(names)s），无法确定读取哪一个。"
            "请只保留一个含数据的工作表后再上传"
        ) % {"count": len(names), "names": listed}
    return SpreadsheetRejected(message, "several_sheets")


# A value, an inline string or a formula with something in it: the sheet holds data.
_HOLDS_DATA = re.compile(rb"<(?:[\w.-]+:)?(?:v|t|f)(?:\s[^>]*)?>\s*[^<\s]")


class _DataSniffer:
    """Whether a sheet holds any data, seen in its XML as it streams past."""

    def __init__(self):
        self.found = False
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        if not self.found:
            self.found = _HOLDS_DATA.search(self._tail + chunk) is not None
            self._tail = chunk[-BOUNDARY:]


# --------------------------------------------------------------------------------------------
# Step 4: bound the cells of the first sheet while it streams past.


def get_column_letter(number: int) -> str:
    """Excel's name for a 1-based column number (openpyxl is only imported for writing)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_at_most(n: int) -> bytes:
    """Regex for a column name (any case) whose number is at most ``n``.

    Used where a digit must follow, so it always spans the whole run of letters.
    """
    name = get_column_letter(n)

    def either_case(text: str) -> bytes:
        return b"".join(b"[%s%s]" % (c.encode(), c.lower().encode()) for c in text)

    alternatives = [either_case(name) + rb"(?=\d)"]
    if len(name) > 1:
        alternatives.append(rb"[A-Za-z]{1,%d}(?=\d)" % (len(name) - 1))
    for i, letter in enumerate(name):
        if letter > "A":
            prefix = either_case(name[:i])
            below = chr(ord(letter) - 1)
            letters = b"[A-%sa-%s]" % (below.encode(), below.lower().encode())
            rest = len(name) - i - 1
            alternatives.append(prefix + letters + rb"[A-Za-z]{%d}(?=\d)" % rest)
    return b"(?:" + b"|".join(alternatives) + b")"


def _integer_at_most(n: int) -> bytes:
    """Regex for a decimal integer (leading zeros allowed) whose value is at most ``n``."""
    digits = str(n)
    alternatives = [digits.encode()]
    if len(digits) > 1:
        alternatives.append(rb"\d{1,%d}" % (len(digits) - 1))
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - i - 1
            alternatives.append(
                digits[:i].encode() + b"[0-%d]" % (int(digit) - 1) + rb"\d{%d}" % rest
            )
    return rb"0*(?:" + b"|".join(alternatives) + rb")(?!\d)"


_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s+ref\s*=\s*["']([A-Za-z0-9:$]+)["']""")
_SHARED_STRING = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")
_REF = re.compile(r"\$?([A-Za-z]+)\$?0*(\d+)$")
# How far a pattern may reach past a chunk boundary: "<c" plus a canonical reference.
BOUNDARY = 64
# A reference as Excel writes it, after "<c": enough to tell a cell out of bounds at once.
_CANONICAL_REF = re.compile(rb' r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_MERGE_CELL = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\s+ref\s*=\s*["']([A-Za-z0-9:$]{1,40})["']""")
MERGE_BOUNDARY = 128
MAX_MERGED_RANGES = 10_000


def _ref_position(ref: str) -> tuple[int, int] | None:
    """(row, column) of "B12"-style text, 1-based; absurd lengths saturate instead of
    converting megabyte-long digit strings."""
    match = _REF.match(ref)
    if not match:
        return None
    letters, digits = match.groups()
    row = int(digits) if len(digits) <= 9 else 10**9
    col = _column_number(letters) if len(letters) <= 4 else 10**9
    return row, col


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + (ord(letter) - 64)
    return number


class _SheetScanner:
    """Bounds calamine's grid from the raw sheet XML while it streams past.

    Fast path, per chunk: one regex search for a cell tag that does NOT start with a
    reference inside the limits, written the way Excel, WPS, LibreOffice and openpyxl
    write it (``<c r="B12"``), and a search for a namespace-prefixed cell (``<x:c``).
    Anything else (a reference out of bounds, a cell without "r", odd spacing or quotes)
    sends the sheet to the exact walk, which applies calamine's own placement rules.
    The <dimension ref> is read from the first chunk: a claim that may refuse early,
    never one that accepts.
    """

    def __init__(self, *, max_rows: int, max_cols: int):
        self.max_rows = max_rows
        self.max_cols = max_cols
        self._unusual_cell = re.compile(
            rb'<c(?=[\s/>])(?! r="%s%s")' % (_column_at_most(max_cols), _integer_at_most(max_rows))
        )
        self._tail = b""
        self._merge_tail = b""
        self._started = False
        self._looking_for_dimension = True
        self.declared_rows: int | None = None
        self.needs_exact_walk = False
        self.merged: list[str] = []

    def feed(self, chunk: bytes) -> None:
        if not self._started:
            self._started = True
            # UTF-16 or another encoding would hide every pattern below from a byte search.
            if not chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                raise _corrupt()
        if self._looking_for_dimension:
            self._check_dimension(self._tail + chunk)
        if not self.needs_exact_walk:
            self.needs_exact_walk = self._seam_is_unusual(chunk) or self._chunk_is_unusual(chunk)
        self._tail = chunk[-BOUNDARY:]
        self._find_merges(chunk)

    def finish(self) -> None:
        """Judge the last bytes, which no following chunk will complete."""
        if not self.needs_exact_walk:
            match = self._unusual_cell.search(self._tail)
            if match is not None:
                self._refuse_if_out_of_bounds(self._tail, match.end())
                self.needs_exact_walk = True

    def _chunk_is_unusual(self, chunk: bytes) -> bool:
        if b":c" in chunk:
            return True
        match = self._unusual_cell.search(chunk)
        # A tag in the last BOUNDARY bytes may be cut short: the next seam judges it.
        if match is None or match.start() >= len(chunk) - BOUNDARY:
            return False
        self._refuse_if_out_of_bounds(chunk, match.end())
        return True

    def _seam_is_unusual(self, chunk: bytes) -> bool:
        """Tags that start in the previous chunk's last bytes, seen with what follows."""
        if not self._tail:
            return False
        seam = self._tail + chunk[:BOUNDARY]
        cut = len(self._tail)
        if seam.find(b":c", cut - 1, cut + 1) >= 0:
            return True
        for match in self._unusual_cell.finditer(seam):
            if match.start() < cut:
                self._refuse_if_out_of_bounds(seam, match.end())
                return True
        return False

    def _refuse_if_out_of_bounds(self, data: bytes, position: int) -> None:
        """The first unusual cell, written the usual way but out of bounds, settles it.

        Every cell before it was in bounds, so the exact walk would stop at this very cell
        with this very message; saying so now saves walking a sheet of 100 000 rows.
        """
        match = _CANONICAL_REF.match(data, position)
        if match is None:
            return
        letters, digits = match.groups()
        if _column_number(letters.decode("ascii")) > self.max_cols:
            raise _too_many_cols(self.max_cols)
        if int(digits) > self.max_rows:
            raise _too_many_rows(self.max_rows)

    def _find_merges(self, chunk: bytes) -> None:
        window = self._merge_tail + chunk
        seen = len(self._merge_tail)
        self._merge_tail = chunk[-MERGE_BOUNDARY:]
        if b"ergeCell" not in window:
            return
        for match in _MERGE_CELL.finditer(window):
            if match.end() <= seen:
                continue  # found in the previous window
            if len(self.merged) >= MAX_MERGED_RANGES:
                raise SpreadsheetRejected(
                    _("表格中的合并单元格过多（超过 %(max)d 处），请取消合并后再上传")
                    % {"max": MAX_MERGED_RANGES},
                    "too_many_merged_cells",
                )
            self.merged.append(match.group(1).decode("ascii").replace("$", "").upper())

    def _check_dimension(self, window: bytes) -> None:
        match = _DIMENSION.search(window)
        if match:
            position = _ref_position(match.group(1).split(b":")[-1].decode("ascii"))
            if position:
                self.declared_rows = position[0]
                if position[1] > self.max_cols:
                    raise _too_many_cols(self.max_cols)
                if position[0] > self.max_rows:
                    raise _too_many_rows(self.max_rows)
        if match or b"sheetData" in window:
            self._looking_for_dimension = False


_ROW_START = (b" ", b">", b"/", b"\t", b"\r", b"\n")  # what follows "<row" (not "<rowBreaks")


def _holds_value(piece: bytes) -> bool:
    return b"<v>" in piece or b"<t>" in piece or b"<t " in piece


class _ValueRowCounter:
    """Counts the rows that hold a value (``<v>`` or an inline ``<t>``), from the raw XML.

    Each chunk is cut just before its last "<" near the end, so no tag is split between two
    windows; the rest is split at "<row" and each piece is one row (or the text before the
    first). The last piece may go on in the next chunk: it stays open. Prefixed elements
    (``<x:row>``) are counted by the exact walk instead.
    """

    def __init__(self):
        self.count = 0
        self._carry = b""
        self._open = False  # inside a row that may go on in the next chunk
        self._has_value = False

    def feed(self, chunk: bytes) -> None:
        window = self._carry + chunk
        cut = window.rfind(b"<", max(0, len(window) - 8))
        if cut < 0:
            cut = len(window)
        self._carry = window[cut:]
        head, *rows = window[:cut].split(b"<row")
        if self._open and not self._has_value:
            self._has_value = _holds_value(head)
        if not rows:
            return
        self._close()
        last = rows.pop()
        # The hot loop of a 100 000-row sheet: C-level byte searches only.
        self.count += sum(1 for row in rows if row[:1] in _ROW_START and _holds_value(row))
        self._open = last[:1] in _ROW_START
        self._has_value = self._open and _holds_value(last)

    def _close(self) -> None:
        if self._open and self._has_value:
            self.count += 1
        self._open = self._has_value = False

    def finish(self) -> int:
        if self._open and not self._has_value:
            self._has_value = _holds_value(self._carry)
        self._close()
        return self.count


_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_CELL_REF = re.compile(rb'\sr="([A-Za-z]{1,3}[0-9]{1,7})"')
_CELL_TYPE = re.compile(rb'\st="([A-Za-z]+)"')
_FILLED_VALUE = re.compile(rb"<v(?:\s[^>]*)?>\s*[^<\s]")
MAX_LISTED_FORMULAS = 1000
# No cell Excel writes comes near this: a formula is at most 8 192 characters.
MAX_CELL_BYTES = 1 * MiB


class _FormulaFinder:
    """Finds formula cells saved without their result, from the raw sheet XML.

    Excel, WPS and LibreOffice save each formula's last result in ``<v>``; files written by
    programs (openpyxl among them) often do not, and then calamine reads the cell as empty
    although Excel shows a value. A formula whose saved result is the empty text
    (``t="str"`` with an empty ``<v>``) is not one of them. Cells without a reference are
    not judged. Sheets without any "<f" cost one byte search per chunk.
    """

    def __init__(self):
        self.cells: list[str] = []
        self.count = 0
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        window = self._carry + chunk
        done = 0
        if b"<f" in window:
            for match in _FORMULA_TAG.finditer(window):
                start = window.rfind(b"<c ", done, match.start())
                if start < 0:
                    continue  # not inside a cell that starts after the last one judged
                end = window.find(b"</c>", match.end())
                if end < 0:
                    done = start  # the cell goes on in the next chunk
                    break
                self._judge(window[start:end])
                done = end
        # Keep the last cell begun (its formula may follow in the next chunk) and the last
        # bytes, which may hold the start of a "<c " or "<f" tag.
        keep = window.rfind(b"<c ", done)
        keep = min(keep if keep >= 0 else len(window), len(window) - 8)
        self._carry = window[max(done, keep, 0) :]
        if len(self._carry) > MAX_CELL_BYTES:
            raise _corrupt()

    def _judge(self, cell: bytes) -> None:
        head = cell[: cell.find(b">") + 1]
        ref = _CELL_REF.search(head)
        if ref is None or _FILLED_VALUE.search(cell):
            return
        kind = _CELL_TYPE.search(head)
        if kind is not None and kind.group(1) == b"str" and b"<v" in cell:
            return  # the formula's result is the empty text
        self.count += 1
        if len(self.cells) < MAX_LISTED_FORMULAS:
            self.cells.append(ref.group(1).decode("ascii").upper())


class _ExactCellWalker:
    """Follows calamine's placement rules with expat, for sheets with cells lacking "r".

    A row without "r" is the next row; a cell without "r" is the next column. Every cell
    counts, even an empty one, which errs on the safe side.
    """

    def __init__(self, *, max_rows: int, max_cols: int):
        self.max_rows = max_rows
        self.max_cols = max_cols
        self.row = 0
        self.col = 0
        self.value_rows = 0
        self._row_has_value = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = _local(tag)
        if name in ("v", "is"):
            self._row_has_value = True
        elif name == "row":
            self._end_row()
            ref = attrib.get("r")
            # Only cells without "r" take their row from here; an empty row costs nothing.
            self.row = _parse_int(ref) if ref is not None else self.row + 1
            self.col = 0
        elif name == "c":
            ref = attrib.get("r")
            if ref is None:
                self.col += 1
                self._check(self.row, self.col)
            else:
                position = _ref_position(ref)
                if position is None:
                    raise _corrupt()
                self.col = position[1]
                self._check(*position)

    def _check(self, row: int, col: int) -> None:
        if col > self.max_cols:
            raise _too_many_cols(self.max_cols)
        if row > self.max_rows:
            raise _too_many_rows(self.max_rows)

    def _end_row(self) -> None:
        if self._row_has_value:
            self.value_rows += 1
        self._row_has_value = False

    def close(self) -> None:
        """The end of the sheet closes its last row."""
        self._end_row()


def _parse_int(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise _corrupt()
    return int(text)


def _walk_exactly(fh: IO[bytes], info: zipfile.ZipInfo, *, cap: int, walker: _ExactCellWalker):
    """Feed the sheet to defusedxml's parser with the walker as target: no tree is built."""
    parser = SafeET.DefusedXMLParser(target=walker)
    try:
        for chunk in _iter_inflated(fh, info, cap=cap):
            parser.feed(chunk)
        parser.close()
    except SpreadsheetRejected:
        raise
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise _corrupt() from exc


def _count_shared_strings(chunks: Iterator[bytes], *, limit: int) -> Iterator[bytes]:
    """Pass chunks through, refusing more shared strings than the sheet could use.

    calamine keeps every shared string in memory, so their number is bounded like cells.
    Chunks are cut at the last "<" so that no "<si" is counted twice or missed.
    """
    count = 0
    tail = b""
    for chunk in chunks:
        window = tail + chunk
        cut = window.rfind(b"<")
        cut = cut if cut > 0 else len(window)
        count += len(_SHARED_STRING.findall(window, 0, cut))
        if count > limit:
            raise _bomb()
        tail = window[cut:]
        yield chunk
    count += len(_SHARED_STRING.findall(tail))
    if count > limit:
        raise _bomb()


# --------------------------------------------------------------------------------------------
# Public API


def inspect_xlsx(
    path: str | os.PathLike,
    *,
    max_file_bytes: int = 50 * MiB,
    max_uncompressed_bytes: int = 400 * MiB,
    max_ratio: float = 200,
    max_entries: int = 5000,
    max_rows: int = EXCEL_MAX_ROWS,
    max_cols: int = EXCEL_MAX_COLS,
    preferred_sheet: str | None = None,
) -> XlsxInfo:
    """Decide whether an uploaded file is a plain .xlsx that is safe to hand to a parser.

    Raises :class:`SpreadsheetRejected` with a message for the user. In order: size and
    magic bytes (empty, too large, OLE: encrypted or legacy .xls, other formats named), the
    zip directory (entry count, declared sizes and ratios, encrypted entries, compression
    methods, duplicate names), required parts and active content (macros, ActiveX), then
    every entry is inflated with caps (real size must equal the declared one, CRC must
    match) while the cell references of the sheet to read are bounded by ``max_rows`` and
    ``max_cols``. Nothing is kept in memory beyond one chunk and the small XML parts.

    The sheet to read: the visible sheet named ``preferred_sheet``; without one, the only
    visible worksheet that holds data, or the first visible worksheet when none does. Hidden
    sheets are never read; several visible sheets holding data (and none with the preferred
    name) are refused, naming them. The result also lists the sheet's merged ranges and the
    formula cells saved without a result, for the caller to judge.
    """
    _check_bytes(path, max_file_bytes)
    with _open_zip(path) as zf, open(path, "rb") as fh:
        parts = _check_directory(
            zf,
            max_uncompressed_bytes=max_uncompressed_bytes,
            max_ratio=max_ratio,
            max_entries=max_entries,
        )
        _check_package_kind(parts)
        _check_content_types(_read_small_part(fh, parts["[content_types].xml"]))
        sheets = _workbook_sheets(fh, parts)
        chosen, settled = _sheet_to_read(sheets, preferred_sheet)
        bounds = {"max_rows": max_rows, "max_cols": max_cols, "cap": max_uncompressed_bytes}
        # The sheet to read first: an oversized sheet is refused before anything else inflates.
        reading = _scan_sheet(fh, chosen.part, **bounds)
        # Without a settled choice, the other visible worksheets are looked at for data.
        sniffers: dict[str, _DataSniffer] = {}
        if not settled:
            sniffers = {
                sheet.part.filename: _DataSniffer()
                for sheet in sheets
                if sheet.visible and sheet.part is not None and sheet is not chosen
            }
        total = chosen.part.file_size
        for key, info in parts.items():
            if info is chosen.part or info.is_dir():
                continue
            chunks = _iter_inflated(fh, info, cap=max_uncompressed_bytes - total)
            if key == "xl/sharedstrings.xml":
                chunks = _count_shared_strings(chunks, limit=max_rows * max_cols)
            sniffer = sniffers.get(info.filename)
            for chunk in chunks:
                if sniffer is not None:
                    sniffer.feed(chunk)
            total += info.file_size
        if not settled:
            with_data = [
                sheet
                for sheet in sheets
                if (sheet is chosen and reading.data.found) or _sniffed(sniffers, sheet)
            ]
            if len(with_data) > 1:
                raise _several_sheets([sheet.name for sheet in with_data], preferred_sheet)
            if with_data and with_data[0] is not chosen:
                chosen = with_data[0]  # the one visible sheet that holds data
                reading = _scan_sheet(fh, chosen.part, **bounds)
        scanner = reading.scanner
        value_rows = reading.rows.count
        if scanner.needs_exact_walk:
            walker = _ExactCellWalker(max_rows=max_rows, max_cols=max_cols)
            _walk_exactly(fh, chosen.part, cap=max_uncompressed_bytes, walker=walker)
            value_rows = walker.value_rows
        return XlsxInfo(
            entry_count=len(parts),
            uncompressed_bytes=total,
            sheet_names=tuple(sheet.name for sheet in sheets),
            sheet_name=chosen.name,
            sheet_part=chosen.part.filename,
            declared_rows=scanner.declared_rows,
            row_limit=max_rows,
            col_limit=max_cols,
            exact_scan=scanner.needs_exact_walk,
            value_rows=value_rows,
            merged_ranges=tuple(scanner.merged),
            uncomputed_formulas=tuple(reading.formulas.cells),
            uncomputed_formula_count=reading.formulas.count,
        )


def _sniffed(sniffers: dict[str, _DataSniffer], sheet: _Sheet) -> bool:
    sniffer = sniffers.get(sheet.part.filename) if sheet.part is not None else None
    return sniffer is not None and sheet.visible and sniffer.found


@dataclass(slots=True)
class _SheetReading:
    scanner: _SheetScanner
    rows: _ValueRowCounter
    formulas: _FormulaFinder
    data: _DataSniffer


def _scan_sheet(
    fh: IO[bytes], info: zipfile.ZipInfo, *, max_rows: int, max_cols: int, cap: int
) -> _SheetReading:
    """One pass over the sheet to read: bounds, merged ranges, value rows, lost formulas."""
    reading = _SheetReading(
        _SheetScanner(max_rows=max_rows, max_cols=max_cols),
        _ValueRowCounter(),
        _FormulaFinder(),
        _DataSniffer(),
    )
    for chunk in _iter_inflated(fh, info, cap=cap):
        reading.scanner.feed(chunk)
        reading.rows.feed(chunk)
        reading.formulas.feed(chunk)
        reading.data.feed(chunk)
    reading.scanner.finish()
    reading.rows.finish()
    return reading


def cell_to_str(value: Any) -> str:
    """Text of a cell as a clerk would read it in Excel.

    Integral floats lose their ".0" so that a phone number typed as a number reads back
    right; dates become ISO 8601; None becomes "".
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _float_text(value: float) -> str:
    """The common non-text cell (calamine reads every number as float), kept cheap."""
    if value.is_integer() and -1e21 < value < 1e21:
        return str(int(value))
    return repr(value)


def iter_rows(
    path: str | os.PathLike,
    *,
    max_rows: int,
    max_cols: int,
    info: XlsxInfo | None = None,
    preferred_sheet: str | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(excel_row_number, cells)`` for every row of the sheet to read, cells as text.

    Blank rows are yielded too (all cells ""), so row numbers match what the user sees.
    Column A is always ``cells[0]``. The file is first checked with :func:`inspect_xlsx`
    bounded by ``max_rows``/``max_cols`` unless ``info`` from such a check is passed in; the
    sheet read is the one that check chose (``info.sheet_name``).
    Raises :class:`SpreadsheetRejected` for a corrupt file or too many rows.
    """
    if info is None or info.row_limit > max_rows or info.col_limit > max_cols:
        # No check, or one with looser bounds than these: calamine must not see the file yet.
        info = inspect_xlsx(
            path, max_rows=max_rows, max_cols=max_cols, preferred_sheet=preferred_sheet
        )
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(os.fspath(path))
    except Exception as exc:  # calamine raises its own classes and plain errors alike
        raise _corrupt() from exc
    try:
        yield from _iter_sheet_rows(workbook, info.sheet_name, max_rows=max_rows, max_cols=max_cols)
    finally:
        workbook.close()


def _iter_sheet_rows(
    workbook, name: str, *, max_rows: int, max_cols: int
) -> Iterator[tuple[int, list]]:
    try:
        sheet = workbook.get_sheet_by_name(name)
        start = sheet.start
        if start is None:
            return
        # python-calamine pads the rows above the data but starts each row at the first
        # column that has data; pad the columns so that cells[0] is column A.
        padding = [""] * start[1]
        for index, row in enumerate(sheet.iter_rows(), start=1):
            if index > max_rows:
                raise _too_many_rows(max_rows)
            # Inline fast paths: text, and numbers (calamine gives every number as float).
            cells = [
                v
                if type(v) is str
                else str(int(v))
                if type(v) is float and v.is_integer() and -1e21 < v < 1e21
                else cell_to_str(v)
                for v in row
            ]
            if padding:
                cells = padding + cells
            if len(cells) > max_cols:
                raise _too_many_cols(max_cols)
            yield index, cells
    except SpreadsheetRejected:
        raise
    except Exception as exc:
        raise _corrupt() from exc
    except BaseException as exc:
        # A Rust panic surfaces as pyo3's PanicException, which is a BaseException.
        if type(exc).__name__ == "PanicException":
            raise _corrupt() from exc
        raise


# --------------------------------------------------------------------------------------------
# Writing


def _safe_sheet_title(title: str) -> str:
    cleaned = " ".join(re.sub(r"[\[\]:*?/\\]", " ", title or "").split()).strip("'")
    return (cleaned or "Sheet1")[:31]


def _text_cell(worksheet, value: str, *, font=None, alignment=None):
    """A cell that is a string whatever its first character, so Excel never evaluates it."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _safe_value(worksheet, value: Any):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_TRIGGERS):
            return _text_cell(worksheet, value)
        return value
    if value is None or isinstance(value, int | float | datetime.date | datetime.time):
        return value
    return _safe_value(worksheet, str(value))


def write_xlsx(
    rows: Iterable[Sequence[Any]],
    *,
    headers: Sequence[str],
    title: str,
    path_or_buffer: str | os.PathLike | IO[bytes],
    preamble: Sequence[Sequence[Any]] = (),
    column_widths: Sequence[float] | None = None,
    freeze_header: bool = True,
    fit_widths: bool = False,
    autofilter: bool = False,
) -> None:
    """Write a workbook of one worksheet (`add_sheet`) to ``path_or_buffer``."""
    workbook = new_workbook()
    add_sheet(
        workbook,
        rows,
        headers=headers,
        title=title,
        preamble=preamble,
        column_widths=column_widths,
        freeze_header=freeze_header,
        fit_widths=fit_widths,
        autofilter=autofilter,
    )
    workbook.save(path_or_buffer)


def new_workbook():
    """An empty streaming (write-only) workbook for `add_sheet`; save it with ``.save()``."""
    # Imported here: readers (every upload, every worker) need none of openpyxl.
    from openpyxl import Workbook

    return Workbook(write_only=True)


def add_sheet(
    workbook,
    rows: Iterable[Sequence[Any]],
    *,
    headers: Sequence[str],
    title: str,
    preamble: Sequence[Sequence[Any]] = (),
    column_widths: Sequence[float] | None = None,
    freeze_header: bool = True,
    fit_widths: bool = False,
    autofilter: bool = False,
) -> None:
    """Add a worksheet named ``title``: ``preamble`` lines, a bold header row, the rows.

    Streams (openpyxl write-only), so ``rows`` may be a generator over a large queryset —
    unless ``fit_widths`` asks for each column as wide as its content (`fitted_widths`),
    which reads the rows first. ``autofilter`` puts filter buttons on the header row.
    Every string that starts with = + - @ tab or CR is stored as a text cell, never a
    formula (formula/CSV injection), and characters XML cannot hold are dropped.
    """
    from openpyxl.styles import Alignment, Font

    if fit_widths and column_widths is None:
        rows = list(rows)
        column_widths = fitted_widths(headers, rows)
    worksheet = workbook.create_sheet(_safe_sheet_title(title))
    for index, width in enumerate(column_widths or (), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    header_row = len(preamble) + 1
    if freeze_header and headers:
        worksheet.freeze_panes = f"A{header_row + 1}"
    for line in preamble:
        worksheet.append([_safe_value(worksheet, v) for v in line])
    if headers:
        bold = Font(bold=True)
        centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
        worksheet.append(
            [_text_cell(worksheet, str(h), font=bold, alignment=centred) for h in headers]
        )
    last_row = header_row
    for row in rows:
        worksheet.append([_safe_value(worksheet, v) for v in row])
        last_row += 1
    if autofilter and headers:
        # Written after the rows (the sheet's tail), so the range can cover them all.
        last_column = get_column_letter(len(headers))
        worksheet.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"


# Excel's column width is in characters of the default font; a CJK character takes two.
WIDTH_MIN = 6
WIDTH_MAX = 50
# A header longer than this wraps onto a second line rather than widening its column.
HEADER_WIDTH_MAX = 24


def display_width(value: Any) -> int:
    """How many narrow characters the longest line of a cell's text takes (CJK counts two)."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.splitlines() or [""]
        ),
        default=0,
    )


def fitted_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """A width per column: its widest cell, the header counting up to HEADER_WIDTH_MAX (a
    longer header wraps), plus a margin, between WIDTH_MIN and WIDTH_MAX."""
    widths = [min(display_width(h), HEADER_WIDTH_MAX) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            if index >= len(widths):
                widths.append(0)
            widths[index] = max(widths[index], display_width(value))
    return [float(min(max(w + 2, WIDTH_MIN), WIDTH_MAX)) for w in widths]
