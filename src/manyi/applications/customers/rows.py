"""The customer list (附件3 申报企业提供用户名单信息表): checking an upload, writing the template.

The list is the sampling frame of the third-party survey, so every row must reach a real
person: a name and a telephone number that can be dialled. :func:`check_customer_list` is
pure: it reads the file and reports, row by row, in Chinese; storing the rows is the
caller's job (all or nothing, only when ``result.ok``).
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from manyi.common.punctuation import join_words
from manyi.common.spreadsheets import (
    SpreadsheetRejected,
    XlsxInfo,
    inspect_xlsx,
    iter_rows,
    write_xlsx,
)


class Column(NamedTuple):
    key: str
    header: str  # as printed in the measures' form; matched against the file, never translated
    max_length: int


COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", 20),
    Column("name", "用户名称或企业名称", 200),
    Column("address", "详细地址", 200),
    Column("department", "联系部门", 100),
    Column("contact", "联系人", 50),
    Column("phone", "联系电话", 100),
)
HEADERS = {column.key: column.header for column in COLUMNS}
# Not a column of the measures' form: an optional seventh column, used only to send a sampled
# customer the link to the web questionnaire. Absent, nothing else changes.
EMAIL = Column("email", "电子邮箱", 254)

TITLE_PREFIX = "申报企业名称"
NOTE_PREFIX = "备注"
# Adapted from the measures' 备注: the list is now uploaded here instead of sent by e-mail.
TEMPLATE_NOTE = (
    "备注：请用 Microsoft Excel（.xlsx）格式按此表填写，每行一个用户，然后在系统中上传。"
    "为提高调查准确性，请申报企业务必提供有效或最新的用户资料。"
    "联系电话填手机号或带区号的座机号（如 020-83341934-807），多个号码用“/”或“、”分隔。"
    "可在最后加一列“电子邮箱”（选填），仅用于向抽中的用户发送网上问卷链接。"
)
SHEET_TITLE = "用户名单"
COLUMN_WIDTHS = (8, 36, 48, 16, 12, 28)

MAX_ERRORS = 1000
MAX_WARNINGS = 100
# Rows above the header (title, note, blank lines) that do not count against max_rows.
HEADER_ALLOWANCE = 100
# Columns beyond the six are tolerated (a clerk's remarks) up to this one, P.
MAX_SHEET_COLUMNS = 16


@dataclass(slots=True)
class CustomerRow:
    """One valid customer: the cleaned text of each column and the phone in canonical form."""

    row: int  # Excel row number, for messages
    seq: str  # full-width digits made ASCII (NFKC)
    name: str
    address: str
    department: str
    contact: str
    phone: str  # as typed, trimmed, in NFKC form, dashes and spaces tidied
    phone_normalized: str  # canonical numbers joined by "/", for duplicate checks
    email: str = ""  # the optional 电子邮箱 column, NFKC and trimmed


@dataclass(frozen=True, slots=True)
class RowError:
    row: int | None  # Excel row number; None for the file as a whole
    column: str | None  # the Chinese header, or None
    message: str


@dataclass(slots=True)
class CheckResult:
    rows: list[CustomerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    company_name: str | None = None
    # What the clerk should look at although the list is accepted (a repeated 序号, a merged
    # range filled down): shown with the accepted list.
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------------------------
# Telephone numbers


class Phone(NamedTuple):
    kind: str  # "mobile" or "landline"
    area: str  # landline area code with its leading 0; "" for a mobile
    number: str
    extension: str

    @property
    def canonical(self) -> str:
        """Digits only: 13800138000, 02083341934, 02083341934-807."""
        digits = self.area + self.number
        return f"{digits}-{self.extension}" if self.extension else digits


_SEPARATORS = re.compile(r"[/、,;]")
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# The local number may be written in two groups: "020 8888 1234", "020-8888-1234".
_LANDLINE = re.compile(
    r"(?:\+?86[\s-]?)?[(（]?(0\d{2,3})[)）]?\s*-?\s*(\d{7,8}|\d{3,4}[\s-]\d{4})"
    r"(?:\s*(?:-|转|分机|ext\.?|x|#)\s*(\d{1,6}))?",
    re.IGNORECASE,
)
# "+86 20 83341934": the international form drops the area code's leading 0.
_INTERNATIONAL_LANDLINE = re.compile(r"\+?86[\s-]?[(（]?([2-9]\d{1,2})[)）]?[\s-]?(.*)")
_LOCAL_ONLY = re.compile(r"[2-9](?:\d{6,7}|\d{2,3}[\s-]\d{4})(?:\s*(?:-|转|分机)\s*\d{1,6})?")
# Dashes NFKC leaves alone (hyphen, figure and en/em dashes, minus) all read as "-".
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_SPACES = re.compile(r"\s+")
_MOBILE_NOISE = re.compile(r"[\s\-()（）]")
# The usual landline, "020-83341934" or "020-83341934-807", in ASCII: parse_phone would give
# exactly these groups (the first "-" can only end the area code), so the checker skips it.
_PLAIN_LANDLINE = re.compile(r"(0[0-9]{2,3})-([0-9]{7,8})(?:-([0-9]{1,6}))?")


class PhoneError(NamedTuple):
    missing_area_code: bool


def tidy_phone(text: str) -> str:
    """The phone cell as stored: NFKC (full-width digits and punctuation made ASCII), every
    dash a "-", runs of spaces one space. The numbers themselves are not rewritten."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).translate(_DASHES)).strip()


def parse_phone(text: str) -> Phone | PhoneError:
    """Parse one telephone number: a Chinese mobile or a landline with its area code.

    Spaces and dashes inside the number are allowed ("138 0013 8000", "020 8888 1234").
    """
    text = tidy_phone(text)
    mobile = _MOBILE.fullmatch(_MOBILE_NOISE.sub("", text))
    if mobile:
        return Phone("mobile", "", mobile.group(1), "")
    international = _INTERNATIONAL_LANDLINE.fullmatch(text)
    if international and not text.lstrip("+").startswith("860"):
        text = f"0{international.group(1)}-{international.group(2)}"
    landline = _LANDLINE.fullmatch(text)
    if landline:
        area, number, extension = landline.groups()
        return Phone("landline", area, re.sub(r"\D", "", number), extension or "")
    return PhoneError(missing_area_code=bool(_LOCAL_ONLY.fullmatch(text)))


def split_phones(text: str) -> list[str]:
    """Several numbers in one cell are separated by "/", "、", "," or ";" (any width)."""
    normalized = unicodedata.normalize("NFKC", text)
    return [part.strip() for part in _SEPARATORS.split(normalized) if part.strip()]


def mask_phone(phone: str) -> str:
    """Hide the middle of each number: 138****5678, 020-****1934; others keep the last 4."""
    masked = []
    for part in split_phones(phone):
        parsed = parse_phone(part)
        if isinstance(parsed, Phone) and parsed.kind == "mobile":
            masked.append(f"{parsed.number[:3]}****{parsed.number[-4:]}")
        elif isinstance(parsed, Phone):
            masked.append(f"{parsed.area}-****{parsed.number[-4:]}")
        else:
            digits = re.sub(r"\D", "", part)
            masked.append(f"****{digits[-4:]}" if len(digits) > 4 else "****")
    return "/".join(masked)


# --------------------------------------------------------------------------------------------
# Checking


class _Errors:
    """Collects every error but stores at most MAX_ERRORS, then says how many more."""

    def __init__(self, limit: int = MAX_ERRORS):
        self.items: list[RowError] = []
        self.about_file: list[RowError] = []  # always shown, after the rows
        self.limit = limit
        self.hidden = 0
        self.warnings: list[RowError] = []
        self.hidden_warnings = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.items) < self.limit:
            self.items.append(RowError(row, column, message))
        else:
            self.hidden += 1

    def add_about_file(self, message: str) -> None:
        self.about_file.append(RowError(None, None, message))

    def warn(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(RowError(row, column, message))
        else:
            self.hidden_warnings += 1

    def final_warnings(self) -> list[RowError]:
        if not self.hidden_warnings:
            return list(self.warnings)
        message = _("还有 %(count)d 处提示未列出") % {"count": self.hidden_warnings}
        return [*self.warnings, RowError(None, None, message)]

    def __bool__(self) -> bool:
        return bool(self.items or self.about_file)

    def final(self) -> list[RowError]:
        more = []
        if self.hidden:
            message = _("还有 %(count)d 处错误未列出，请先改正以上错误后重新上传")
            more.append(RowError(None, None, message % {"count": self.hidden}))
        return [*self.items, *more, *self.about_file]


_HEADER_NOISE = re.compile(r"[\s\u200b\ufeff*＊]|[(（]必填[)）]")


def _normalize_header(text: str) -> str:
    """Header cells may hold line breaks and spaces ("用户名称或\\n企业名称") or a "*"."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text))


_HEADER_KEYS = {_normalize_header(column.header): column.key for column in (*COLUMNS, EMAIL)}
HEADER_SEARCH_ROWS = 20


@dataclass(slots=True)
class _Header:
    row: int
    positions: dict[str, int]  # column key -> index in the row


def _company_name(cells: list[str]) -> str | None:
    """Read "申报企业名称：xxx" whether the name follows in the same cell or the next."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled or not _normalize_header(filled[0]).startswith(TITLE_PREFIX):
        return None
    rest = re.sub(r"^\s*申报企业名称\s*[:：]?\s*", "", filled[0])
    name = rest or (filled[1] if len(filled) > 1 else "")
    return name.strip() or None


def _find_header(
    rows: Iterator[tuple[int, list[str]]], errors: _Errors
) -> tuple[_Header | None, str | None]:
    """Consume rows up to the header; return it and the company name found above it."""
    company = None
    for number, cells in rows:
        found: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = _HEADER_KEYS.get(_normalize_header(cell)) if cell else None
            if key and key not in found:
                found[key] = index
        if len(found) >= 2:
            _check_header(number, found, errors)
            return (None if errors else _Header(number, found)), company
        company = company or _company_name(cells)
        if number >= HEADER_SEARCH_ROWS:
            break
    expected = join_words(HEADERS.values())
    errors.add_about_file(
        _("未找到表头行。请使用系统提供的模板，表头依次为：%(headers)s") % {"headers": expected}
    )
    return None, company


def _check_header(number: int, found: dict[str, int], errors: _Errors) -> None:
    for column in COLUMNS:
        if column.key not in found:
            errors.add(
                number,
                column.header,
                _("第%(row)d行：缺少表头“%(column)s”") % {"row": number, "column": column.header},
            )
    # The optional e-mail column may stand anywhere; the six keep the form's order.
    order = [key for key in sorted(found, key=found.__getitem__) if key != EMAIL.key]
    if order != [column.key for column in COLUMNS if column.key in found]:
        errors.add(
            number,
            None,
            _("第%(row)d行：表头顺序不正确，应依次为：%(headers)s")
            % {"row": number, "headers": join_words(HEADERS.values())},
        )


class _RowChecker:
    """Validates data rows one by one and keeps what duplicate detection needs.

    This is the hot loop of a 100 000-row import, hence the fast paths: plain mobiles skip
    the regexes, lengths are compared inline, repeated values share one string object.
    """

    def __init__(self, header: _Header, errors: _Errors):
        self.errors = errors
        index = [header.positions[column.key] for column in COLUMNS]
        # The e-mail column, when the file has one, is read as a seventh value.
        self.has_email = EMAIL.key in header.positions
        if self.has_email:
            index.append(header.positions[EMAIL.key])
        self.width = max(index) + 1
        self.pick = itemgetter(*index)
        self.by_name_and_phone: dict[tuple[str, str], int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_seq: dict[str, int] = {}
        self.shared: dict[str, str] = {}

    def values(self, cells: list[str]) -> tuple[str, ...]:
        """The six columns of a row, trimmed; columns the row does not reach are ""."""
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        return tuple(map(str.strip, self.pick(cells)))

    def check(self, number: int, values: tuple[str, ...]) -> CustomerRow | None:
        email = ""
        if self.has_email:
            email, values = values[6], values[:6]
        seq, name, address, department, contact, phone = values
        # Full-width digits ("１３８…", "１２") are stored as the ASCII they stand for.
        if not (seq.isascii() and phone.isascii()) or "  " in phone:
            seq = unicodedata.normalize("NFKC", seq).strip()
            phone = tidy_phone(phone)
            values = (seq, name, address, department, contact, phone)
        if seq:
            first = self.by_seq.setdefault(seq, number)
            if first != number:
                self._report_repeated_seq(number, seq, first)
        lengths_ok = (
            len(seq) <= 20
            and len(name) <= 200
            and len(address) <= 200
            and len(department) <= 100
            and len(contact) <= 50
            and len(phone) <= 100
        ) or self._report_lengths(number, values)
        name_ok = bool(name) or self._report_missing(number, "name")
        phone_ok = bool(phone) or self._report_missing(number, "phone")
        if not (name_ok and phone_ok):
            return None
        if (
            len(phone) == 11
            and phone.isascii()
            and phone.isdigit()
            and phone[0] == "1"
            and phone[1] > "2"
        ):
            phones = [phone]  # a plain mobile, by far the most common: no regex needed
        elif phone.isascii() and (landline := _PLAIN_LANDLINE.fullmatch(phone)):
            area, digits, extension = landline.groups()
            phones = [f"{area}{digits}-{extension}" if extension else area + digits]
        else:
            phones = self._parse_phones(number, phone)
        if phones is None or not lengths_ok:
            return None
        if email and (email := self._check_email(number, email)) is None:
            return None
        normalized = phones[0] if len(phones) == 1 else "/".join(phones)
        # Duplicates: the same customer twice, or one number given to two customers.
        key = ("".join(unicodedata.normalize("NFKC", name).split()).casefold(), normalized)
        first = self.by_name_and_phone.get(key)
        if first is not None:
            self._report_duplicate(number, first)
            return None
        for each in phones:
            first = self.by_phone.get(each)
            if first is not None:
                self._report_shared_phone(number, each, first)
                return None
        self.by_name_and_phone[key] = number
        for each in phones:
            self.by_phone[each] = number
        shared = self.shared.setdefault
        return CustomerRow(
            number,
            seq,
            name,
            address,
            shared(department, department),
            shared(contact, contact),
            phone,
            normalized,
            email,
        )

    def _check_email(self, number: int, text: str) -> str | None:
        """The e-mail as stored (NFKC: a full-width "＠" is "@"), or None after reporting it."""
        email = unicodedata.normalize("NFKC", text).strip()
        try:
            validate_email(email)
            if len(email) > EMAIL.max_length:
                raise ValidationError("too long")
        except ValidationError:
            self.errors.add(
                number,
                EMAIL.header,
                _("第%(row)d行：电子邮箱“%(value)s”格式不正确") % {"row": number, "value": text},
            )
            return None
        return email

    def _report_repeated_seq(self, number: int, seq: str, first: int) -> None:
        header = HEADERS["seq"]
        self.errors.warn(
            number,
            header,
            _("第%(row)d行：序号“%(seq)s”与第%(other)d行重复，请核对是否漏填或重复填写了用户")
            % {"row": number, "seq": seq, "other": first},
        )

    def _report_missing(self, number: int, key: str) -> bool:
        header = HEADERS[key]
        self.errors.add(
            number, header, _("第%(row)d行：%(column)s不能为空") % {"row": number, "column": header}
        )
        return False

    def _report_lengths(self, number: int, values: tuple[str, ...]) -> bool:
        for column, value in zip(COLUMNS, values, strict=True):
            if len(value) > column.max_length:
                self.errors.add(
                    number,
                    column.header,
                    _("第%(row)d行：%(column)s超过 %(max)d 个字")
                    % {"row": number, "column": column.header, "max": column.max_length},
                )
        return False

    def _parse_phones(self, number: int, text: str) -> list[str] | None:
        canonical = []
        for part in split_phones(text):
            parsed = parse_phone(part)
            if isinstance(parsed, PhoneError):
                self._phone_error(number, part, parsed)
                return None
            canonical.append(parsed.canonical)
        if not canonical:
            self._phone_error(number, text, PhoneError(missing_area_code=False))
            return None
        return canonical

    def _phone_error(self, number: int, part: str, error: PhoneError) -> None:
        header = HEADERS["phone"]
        if error.missing_area_code:
            message = _(
                "第%(row)d行：联系电话“%(value)s”缺少区号，座机请写成 020-83341934 这样的形式"
            )
        else:
            message = _(
                "第%(row)d行：联系电话“%(value)s”格式不正确，应为11位手机号或带区号的座机号（如 020-83341934）"
            )
        self.errors.add(number, header, message % {"row": number, "value": part})

    def _report_duplicate(self, number: int, first: int) -> None:
        self.errors.add(
            number,
            None,
            _("第%(row)d行：与第%(other)d行重复（用户名称和联系电话都相同）")
            % {"row": number, "other": first},
        )

    def _report_shared_phone(self, number: int, phone: str, first: int) -> None:
        self.errors.add(
            number,
            HEADERS["phone"],
            _("第%(row)d行：联系电话 %(phone)s 与第%(other)d行相同，同一号码只能出现一次")
            % {"row": number, "phone": phone, "other": first},
        )


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a loop that only allocates acyclic objects.

    Building 100 000 rows triggers dozens of collections, each walking every object of a
    worker that has the whole project loaded; the rows hold no cycles, so nothing is lost.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_customer_list(
    path: str | os.PathLike, *, min_rows: int = 30, max_rows: int = 200_000
) -> CheckResult:
    """Check an uploaded customer list (附件3) and return its valid rows and every error.

    Runs the spreadsheet guard, finds the header (a "申报企业名称：" line, a note and blank
    lines may stand above it), then checks each data row: name and phone required, phones
    valid (mobile, or landline with area code, extension allowed, several separated by "/"
    or "、"), lengths bounded, no duplicate rows or phones. Blank rows are skipped. Fewer
    than ``min_rows`` valid rows is an error. Nothing is stored.
    """
    with paused_gc():
        return _check_customer_list(path, min_rows=min_rows, max_rows=max_rows)


def _check_customer_list(path: str | os.PathLike, *, min_rows: int, max_rows: int) -> CheckResult:
    errors = _Errors()
    sheet_rows = max_rows + HEADER_ALLOWANCE
    try:
        info = inspect_xlsx(
            path, max_rows=sheet_rows, max_cols=MAX_SHEET_COLUMNS, preferred_sheet=SHEET_TITLE
        )
        if info.value_rows > max_rows + HEADER_SEARCH_ROWS + 1:
            # Counted in the XML before anything is parsed: at most HEADER_SEARCH_ROWS rows
            # (title, note, header) and a note line below are not customers, so the list is
            # over its cap, and a worker need not parse and check every row to say so.
            return CheckResult([], [_over_cap(max_rows)], None)
        rows = iter_rows(path, max_rows=sheet_rows, max_cols=MAX_SHEET_COLUMNS, info=info)
        header, company = _find_header(rows, errors)
        if header is None:
            if info.uncomputed_formulas:
                errors.add_about_file(_formulas_hint(info))
            return CheckResult([], errors.final(), company, errors.final_warnings())
        layout = _SheetLayout(info, header, errors)
        customers = _check_rows(rows, header, errors, max_rows=max_rows, layout=layout)
    except SpreadsheetRejected as exc:
        return CheckResult([], [_file_error(exc, max_rows)], None)
    if customers is not None and len(customers) < min_rows:
        errors.add_about_file(
            _("有效用户只有 %(count)d 条，少于最低要求的 %(min)d 条")
            % {"count": len(customers), "min": min_rows}
        )
    return CheckResult(customers or [], errors.final(), company, errors.final_warnings())


def _over_cap(max_rows: int) -> RowError:
    return RowError(
        None, None, _("用户名单超过上限 %(max)d 行，请分批整理后再上传") % {"max": max_rows}
    )


def _file_error(exc: SpreadsheetRejected, max_rows: int) -> RowError:
    if exc.code == "too_many_rows":
        # The guard counts sheet rows; the clerk thinks in customers.
        return _over_cap(max_rows)
    return RowError(None, None, exc.message)


def _formulas_hint(info: XlsxInfo) -> str:
    return _(
        "文件中有 %(count)d 个公式单元格（如 %(cells)s）没有保存计算结果，系统读到的是空白。"
        "请在 Excel 中打开并保存该文件，或把公式转换为数值（复制后“选择性粘贴—数值”）后再上传"
    ) % {"count": info.uncomputed_formula_count, "cells": join_words(info.uncomputed_formulas[:5])}


_CELL_RANGE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?")


def _column_index(letters: str) -> int:
    """0-based index of an Excel column name: A → 0, AA → 26."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


@dataclass(slots=True)
class _Fill:
    column: int  # index in the row
    first: int  # Excel rows of the merged range
    last: int
    value: str = ""


class _SheetLayout:
    """What the sheet's XML says that the cells read do not: merged ranges and formulas
    saved without their results (see `XlsxInfo`), for the data rows below the header.

    - A merged range within one of the six columns (e.g. one customer name over three
      contacts) is filled down: each of its non-blank rows takes the first row's value, and
      a warning names the range. Ranges above the header (the title) and beside the six
      columns are left alone; any other merged range in the data is an error naming it.
    - A formula cell of the six columns without a saved result is an error naming the cell,
      instead of the "不能为空" the empty reading would give.
    """

    def __init__(self, info: XlsxInfo, header: _Header, errors: _Errors):
        self.errors = errors
        headers = {**HEADERS, EMAIL.key: EMAIL.header}
        self.columns = {index: headers[key] for key, index in header.positions.items()}
        self.fills: dict[int, list[_Fill]] = {}  # first row -> its ranges
        self.active: list[_Fill] = []
        self.formulas: dict[int, list[tuple[int, str]]] = {}
        self.rows: set[int] = set()
        for text in info.merged_ranges:
            self._merged(text, header.row)
        for ref in info.uncomputed_formulas:
            match = _CELL_RANGE.fullmatch(ref)
            row, column = int(match.group(2)), _column_index(match.group(1))
            if row > header.row and column in self.columns:
                self.formulas.setdefault(row, []).append((column, ref))
                self.rows.add(row)
        if info.uncomputed_formula_count > len(info.uncomputed_formulas):
            errors.add_about_file(_formulas_hint(info))

    def _merged(self, text: str, header_row: int) -> None:
        match = _CELL_RANGE.fullmatch(text)
        if match is None or match.group(3) is None:
            return
        top, bottom = sorted((int(match.group(2)), int(match.group(4))))
        left, right = sorted((_column_index(match.group(1)), _column_index(match.group(3))))
        ours = [column for column in range(left, right + 1) if column in self.columns]
        if bottom <= header_row or not ours:
            return  # the title or the header, or a remark beside the list
        column = self.columns[ours[0]] if len(ours) == 1 else None
        if left == right and top > header_row:
            self.fills.setdefault(top, []).append(_Fill(left, top, bottom))
            self.rows.update(range(top, bottom + 1))
            self.errors.warn(
                top,
                column,
                _(
                    "第%(first)d–%(last)d行的“%(column)s”是合并单元格（%(range)s），"
                    "已把第%(first)d行的内容填入其下各行，请核对"
                )
                % {"first": top, "last": bottom, "column": column, "range": text},
            )
            return
        self.errors.add(
            max(top, header_row + 1),
            column,
            _("单元格 %(range)s 是合并单元格，请取消合并，并在每一行填写完整后再上传")
            % {"range": text},
        )

    def fill(self, number: int, cells: list[str], values: tuple[str, ...]) -> list[str]:
        """The row's cells with the merged ranges it lies in filled down."""
        for fill in self.fills.get(number, ()):
            fill.value = cells[fill.column].strip()
            self.active.append(fill)
        self.active = [fill for fill in self.active if fill.last >= number]
        if not any(values):
            return cells  # a blank row inside a merged range stays blank
        filled = list(cells)
        for fill in self.active:
            if fill.first < number and not filled[fill.column].strip():
                filled[fill.column] = fill.value
        return filled

    def report_formulas(self, number: int) -> bool:
        """Report the row's formula cells saved without a result; whether there were any."""
        found = self.formulas.get(number)
        for column, ref in found or ():
            header = self.columns[column]
            self.errors.add(
                number,
                header,
                _(
                    "第%(row)d行：%(column)s（单元格 %(cell)s）是公式，文件中没有保存它的计算结果，"
                    "系统读到的是空白。请在 Excel 中打开并保存该文件，"
                    "或把公式转换为数值（复制后“选择性粘贴—数值”）后再上传"
                )
                % {"row": number, "column": header, "cell": ref},
            )
        return bool(found)


def _check_rows(
    rows: Iterator[tuple[int, list[str]]],
    header: _Header,
    errors: _Errors,
    *,
    max_rows: int,
    layout: _SheetLayout,
) -> list[CustomerRow] | None:
    checker = _RowChecker(header, errors)
    customers: list[CustomerRow] = []
    append = customers.append
    check = checker.check
    pick = checker.pick
    width = checker.width
    strip = str.strip
    special = layout.rows
    seen = 0
    # checker.values() inlined: this loop runs once per row of a 100 000-row list.
    for number, cells in rows:
        if len(cells) < width:
            if not any(cells) and number not in special:
                continue
            cells = cells + [""] * (width - len(cells))
        values = tuple(map(strip, pick(cells)))
        if special and number in special:
            cells = layout.fill(number, cells, values)
            values = tuple(map(strip, pick(cells)))
            if layout.report_formulas(number):
                seen += 1
                continue
        if not any(values) or (values[0][:2] == NOTE_PREFIX and _is_note(values)):
            continue  # blank for our columns (maybe a remark beside), or the template's note
        seen += 1
        if seen > max_rows:
            errors.add_about_file(_over_cap(max_rows).message)
            return None
        customer = check(number, values)
        if customer is not None:
            append(customer)
    return customers


def _is_note(values: tuple[str, ...]) -> bool:
    """The template's 备注 line, if a clerk moved it below the data."""
    return values[0].startswith(NOTE_PREFIX) and not any(values[1:])


# --------------------------------------------------------------------------------------------
# Writing


def write_customer_template(buffer: IO[bytes], *, company_name: str = "") -> None:
    """Write the downloadable 附件3 template: title line, note, header row, column widths."""
    write_xlsx(
        [],
        headers=list(HEADERS.values()),
        title=SHEET_TITLE,
        path_or_buffer=buffer,
        preamble=[[f"{TITLE_PREFIX}：{company_name}"], [TEMPLATE_NOTE]],
        column_widths=COLUMN_WIDTHS,
    )


def _field(row: Any, key: str) -> str:
    value = row.get(key, "") if isinstance(row, dict) else getattr(row, key, "")
    return "" if value is None else str(value)


def write_customer_list(
    buffer: IO[bytes], *, company_name: str, rows: Iterable[Any], mask: bool = False
) -> None:
    """Write a stored list back to Excel in the template's layout, every cell formula-safe.

    ``rows`` yields CustomerRow objects, model instances or dicts with the COLUMNS keys;
    ``mask`` hides the middle of each phone number for readers who need no full numbers.
    """

    def lines() -> Iterator[list[str]]:
        for index, row in enumerate(rows, start=1):
            phone = _field(row, "phone")
            yield [
                _field(row, "seq") or str(index),
                _field(row, "name"),
                _field(row, "address"),
                _field(row, "department"),
                _field(row, "contact"),
                mask_phone(phone) if mask else phone,
            ]

    write_xlsx(
        lines(),
        headers=list(HEADERS.values()),
        title=SHEET_TITLE,
        path_or_buffer=buffer,
        preamble=[[f"{TITLE_PREFIX}：{company_name}"]],
        column_widths=COLUMN_WIDTHS,
    )
