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

import datetime
import os
import re
import struct
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
    first_sheet_part: str
    declared_rows: int | None  # from the sheet's <dimension ref>, when present
    row_limit: int  # no cell of the first sheet lies below this row
    col_limit: int  # nor right of this column
    exact_scan: bool  # unusual cell tags forced the exact (slower) walk of the sheet


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
    """Decode the head of a file if it is plausibly text (UTF-8 or GB18030)."""
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # The head may end in the middle of a character: ignore only the tail.
            return head[:-4].decode(encoding) if len(head) > 4 else head.decode(encoding)
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


def _first_sheet(
    fh: IO[bytes], parts: dict[str, zipfile.ZipInfo]
) -> tuple[tuple[str, ...], zipfile.ZipInfo]:
    """Find the first sheet as calamine does: workbook order, target resolved the same way."""
    workbook = _parse_xml(_read_small_part(fh, parts["xl/workbook.xml"]))
    sheets = [el for el in workbook.iter() if _local(el.tag) == "sheet"]
    if not sheets:
        raise SpreadsheetRejected(_("文件中没有工作表"), "no_sheet")
    rels_info = parts.get("xl/_rels/workbook.xml.rels")
    if rels_info is None:
        raise _corrupt()
    targets = {
        rel.get("Id"): rel.get("Target") or ""
        for rel in _parse_xml(_read_small_part(fh, rels_info)).iter()
        if _local(rel.tag) == "Relationship"
    }
    first = sheets[0]
    rel_id = next((v for k, v in first.attrib.items() if _local(k) == "id"), None)
    target = targets.get(rel_id)
    if not target:
        raise _corrupt()
    if target.startswith("/xl/"):
        path = target[1:]
    elif target.startswith("xl/"):
        path = target
    else:
        path = "xl/" + target
    if path.split("/")[1:2] != ["worksheets"]:
        raise SpreadsheetRejected(
            _("第一个工作表不是普通表格（可能是图表），请把数据放在第一个工作表"),
            "first_sheet_not_data",
        )
    info = parts.get(_part_key(path))
    if info is None:
        raise _corrupt()
    names = tuple(sheet.get("name") or "" for sheet in sheets)
    return names, info


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
        self._started = False
        self._looking_for_dimension = True
        self.declared_rows: int | None = None
        self.needs_exact_walk = False

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

    def finish(self) -> None:
        """Judge the last bytes, which no following chunk will complete."""
        if not self.needs_exact_walk and self._unusual_cell.search(self._tail):
            self.needs_exact_walk = True

    def _chunk_is_unusual(self, chunk: bytes) -> bool:
        if b":c" in chunk:
            return True
        match = self._unusual_cell.search(chunk)
        # A tag in the last BOUNDARY bytes may be cut short: the next seam judges it.
        return match is not None and match.start() < len(chunk) - BOUNDARY

    def _seam_is_unusual(self, chunk: bytes) -> bool:
        """Tags that start in the previous chunk's last bytes, seen with what follows."""
        if not self._tail:
            return False
        seam = self._tail + chunk[:BOUNDARY]
        cut = len(self._tail)
        if seam.find(b":c", cut - 1, cut + 1) >= 0:
            return True
        return any(m.start() < cut for m in self._unusual_cell.finditer(seam))

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

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = _local(tag)
        if name == "row":
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

    def close(self) -> None:
        """The parser's target protocol wants it; nothing to hand back."""


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
) -> XlsxInfo:
    """Decide whether an uploaded file is a plain .xlsx that is safe to hand to a parser.

    Raises :class:`SpreadsheetRejected` with a message for the user. In order: size and
    magic bytes (empty, too large, OLE: encrypted or legacy .xls, other formats named), the
    zip directory (entry count, declared sizes and ratios, encrypted entries, compression
    methods, duplicate names), required parts and active content (macros, ActiveX), then
    every entry is inflated with caps (real size must equal the declared one, CRC must
    match) while the first sheet's cell references are bounded by ``max_rows`` and
    ``max_cols``. Nothing is kept in memory beyond one chunk and the small XML parts.
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
        sheet_names, sheet_info = _first_sheet(fh, parts)
        scanner = _SheetScanner(max_rows=max_rows, max_cols=max_cols)
        # The first sheet first: an oversized sheet is refused before anything else inflates.
        for chunk in _iter_inflated(fh, sheet_info, cap=max_uncompressed_bytes):
            scanner.feed(chunk)
        scanner.finish()
        total = sheet_info.file_size
        for key, info in parts.items():
            if info is sheet_info or info.is_dir():
                continue
            chunks = _iter_inflated(fh, info, cap=max_uncompressed_bytes - total)
            if key == "xl/sharedstrings.xml":
                chunks = _count_shared_strings(chunks, limit=max_rows * max_cols)
            for _chunk in chunks:
                pass
            total += info.file_size
        if scanner.needs_exact_walk:
            walker = _ExactCellWalker(max_rows=max_rows, max_cols=max_cols)
            _walk_exactly(fh, sheet_info, cap=max_uncompressed_bytes, walker=walker)
        return XlsxInfo(
            entry_count=len(parts),
            uncompressed_bytes=total,
            sheet_names=sheet_names,
            first_sheet_part=sheet_info.filename,
            declared_rows=scanner.declared_rows,
            row_limit=max_rows,
            col_limit=max_cols,
            exact_scan=scanner.needs_exact_walk,
        )


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
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(excel_row_number, cells)`` for every row of the first sheet, cells as text.

    Blank rows are yielded too (all cells ""), so row numbers match what the user sees.
    Column A is always ``cells[0]``. The file is first checked with :func:`inspect_xlsx`
    bounded by ``max_rows``/``max_cols`` unless ``info`` from such a check is passed in.
    Raises :class:`SpreadsheetRejected` for a corrupt file or too many rows.
    """
    if info is None or info.row_limit > max_rows or info.col_limit > max_cols:
        # No check, or one with looser bounds than these: calamine must not see the file yet.
        info = inspect_xlsx(path, max_rows=max_rows, max_cols=max_cols)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(os.fspath(path))
    except Exception as exc:  # calamine raises its own classes and plain errors alike
        raise _corrupt() from exc
    try:
        yield from _iter_sheet_rows(workbook, max_rows=max_rows, max_cols=max_cols)
    finally:
        workbook.close()


def _iter_sheet_rows(workbook, *, max_rows: int, max_cols: int) -> Iterator[tuple[int, list]]:
    try:
        sheet = workbook.get_sheet_by_index(0)
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
) -> None:
    """Write one worksheet named ``title``: ``preamble`` lines, a bold header row, the rows.

    Streams (openpyxl write-only), so ``rows`` may be a generator over a large queryset.
    Every string that starts with = + - @ tab or CR is stored as a text cell, never a
    formula (formula/CSV injection), and characters XML cannot hold are dropped.
    """
    # Imported here: readers (every upload, every worker) need none of openpyxl.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
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
    for row in rows:
        worksheet.append([_safe_value(worksheet, v) for v in row])
    workbook.save(path_or_buffer)
