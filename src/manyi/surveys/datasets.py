"""Reading and checking an uploaded response data set (CSV or .xlsx) and its data dictionary.

A data set is a table: one row per respondent, one column per question (numbers on the
questionnaire's scale, blank when not answered), and optionally a text column that names a
group (the enterprise, the industry). Everything is checked before anything is stored; the
result is either a `TableCheck` without errors or a list of messages in Chinese.
"""

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from manyi.common.punctuation import join_words
from manyi.common.spreadsheets import SpreadsheetRejected, XlsxInfo, inspect_xlsx, iter_rows

MAX_ROWS = 200_000
MAX_COLUMNS = 300
MAX_ERRORS = 50
MIN_RESPONDENTS = 10
MISSING = {"", "na", "n/a", "nan", "null", "none", ".", "-", "缺失", "不适用"}
# Yes/no answers as words (compared in lower case); 1/0 are read as numbers.
YES_WORDS = {"是", "yes", "y", "true", "有"}
NO_WORDS = {"否", "no", "n", "false", "没有"}


class DatasetRejected(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class TableCheck:
    header: list[str]
    columns: dict[str, list[str]]
    numeric: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    # Yes/no columns (also in `numeric`: read as 1/0, never checked against the scale).
    binary: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


def _decode(raw: bytes) -> str:
    # Excel in Chinese Windows saves "CSV" as GB18030; UTF-8 (with or without BOM) otherwise.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DatasetRejected([_("CSV 文件的编码无法识别，请另存为 UTF-8 编码的 CSV")])


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise DatasetRejected([_("文件不是文本格式的 CSV，请上传 CSV 或 .xlsx 文件")])
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return [
            row
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
            if any(c.strip() for c in row)
        ]
    except csv.Error as exc:
        raise DatasetRejected([_("CSV 文件格式有误：%(error)s") % {"error": exc}]) from exc


def _xlsx_rows(path: Path) -> list[list[str]]:
    limits = {"max_rows": MAX_ROWS + 1, "max_cols": MAX_COLUMNS}
    try:
        info = inspect_xlsx(path, **limits)
        _refuse_hidden_cells(info)
        return [
            cells
            for _row, cells in iter_rows(path, info=info, **limits)
            if any(c.strip() for c in cells)
        ]
    except SpreadsheetRejected as exc:
        raise DatasetRejected([exc.message]) from exc


def _refuse_hidden_cells(info: XlsxInfo) -> None:
    """Merged ranges and formulas saved without a result read as blanks where Excel shows
    values: a data set must not be measured with answers silently missing."""
    problems = []
    if info.merged_ranges:
        problems.append(
            _(
                "表格中有合并单元格（%(ranges)s），请取消合并，使每个变量名和每个数据各占一个单元格后再上传"
            )
            % {"ranges": join_words(info.merged_ranges[:5])}
        )
    if info.uncomputed_formulas:
        problems.append(
            _(
                "表格中有 %(count)d 个公式单元格（如 %(cells)s）没有保存计算结果，系统读到的是空白。"
                "请在 Excel 中打开并保存该文件，或把公式转换为数值后再上传"
            )
            % {
                "count": info.uncomputed_formula_count,
                "cells": join_words(info.uncomputed_formulas[:5]),
            }
        )
    if problems:
        raise DatasetRejected(problems)


def read_table(path: Path, file_format: str) -> list[list[str]]:
    rows = _xlsx_rows(path) if file_format == "xlsx" else _csv_rows(path)
    if len(rows) > MAX_ROWS + 1:
        raise DatasetRejected([_("数据超过 %(max)d 行，请拆分后上传") % {"max": MAX_ROWS}])
    return rows


def _number(cell: str) -> float | None:
    value = float(cell)
    if not math.isfinite(value):
        raise ValueError(cell)
    return value


def _yes_no(cell: str) -> float | None:
    """1.0 for a yes, 0.0 for a no, None for anything else (a missing cell included)."""
    word = cell.lower()
    if word in YES_WORDS:
        return 1.0
    if word in NO_WORDS:
        return 0.0
    try:
        value = _number(cell)
    except ValueError:
        return None
    return value if value in (0.0, 1.0) else None


def _all_yes_no(values: list[str]) -> bool:
    """Every answered cell is a yes or a no."""
    return all(_yes_no(c) is not None for c in values if c.lower() not in MISSING)


def _looks_yes_no(values: list[str]) -> bool:
    """Only yeses and noes, recognisably: a word (是/否, yes/no …) or at least one 0 (a column
    of only 1s is as likely a scale answer)."""
    answered = [c.lower() for c in values if c.lower() not in MISSING]
    return (
        bool(answered)
        and _all_yes_no(answered)
        and any(c in YES_WORDS | NO_WORDS or _yes_no(c) == 0.0 for c in answered)
    )


def check_table(
    rows: list[list[str]],
    *,
    scale_min: float,
    scale_max: float,
    group_column: str = "",
    binary_columns=(),
) -> TableCheck:
    """Check header, shape and values; raise DatasetRejected with every problem found (capped).

    Yes/no columns (every answer 1/0 or 是/否 …, see `_looks_yes_no`) are found on their own;
    `binary_columns` names columns that must be yes/no (a survey's complaint question, which
    may hold only yeses)."""
    if len(rows) < 2:
        raise DatasetRejected([_("文件中没有数据：第一行应为变量名，之后每行一位受访者")])
    header = [h.strip() for h in rows[0]]
    errors: list[str] = []
    if any(not h for h in header):
        errors.append(_("第1行（变量名）有空白的列名"))
    duplicates = sorted({h for h in header if h and header.count(h) > 1})
    if duplicates:
        errors.append(_("变量名重复：%(names)s") % {"names": join_words(duplicates)})
    if len(header) > MAX_COLUMNS:
        errors.append(_("变量超过 %(max)d 个") % {"max": MAX_COLUMNS})
    if group_column and group_column not in header:
        errors.append(_("找不到分组变量“%(name)s”") % {"name": group_column})
    if errors:
        raise DatasetRejected(errors)
    body = rows[1:]
    for number, row in enumerate(body, start=2):
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            errors.append(_("第%(row)d行的数据多于变量名") % {"row": number})
    columns = {
        name: [(row[i].strip() if i < len(row) else "") for row in body]
        for i, name in enumerate(header)
    }
    check = TableCheck(header=header, columns=columns)
    declared = set(binary_columns)
    for name in sorted(declared - set(header)):
        errors.append(_("找不到是否题变量“%(name)s”") % {"name": name})
    for name in header:
        if name == group_column:
            check.text.append(name)
            continue
        values = columns[name]
        if name in declared or _looks_yes_no(values):
            if not _all_yes_no(values):
                errors.append(_("变量“%(name)s”应为是否题，只能填 1/0 或 是/否") % {"name": name})
            check.numeric.append(name)
            check.binary.append(name)
            continue
        bad: list[tuple[int, str]] = []
        out_of_scale: list[tuple[int, str]] = []
        for i, cell in enumerate(values):
            if cell.lower() in MISSING:
                continue
            try:
                value = _number(cell)
            except ValueError:
                bad.append((i + 2, cell))
                continue
            if not scale_min <= value <= scale_max:
                out_of_scale.append((i + 2, cell))
        if bad and len(bad) == sum(1 for c in values if c.lower() not in MISSING):
            check.text.append(name)  # a text column (an identifier, a name): not a question
            continue
        check.numeric.append(name)
        for row, cell in bad[:5]:
            errors.append(
                _("第%(row)d行，变量“%(name)s”：“%(value)s”不是数字")
                % {"row": row, "name": name, "value": cell}
            )
        for row, cell in out_of_scale[:5]:
            errors.append(
                _("第%(row)d行，变量“%(name)s”：%(value)s 超出量表范围 %(min)g–%(max)g")
                % {"row": row, "name": name, "value": cell, "min": scale_min, "max": scale_max}
            )
    if not check.numeric:
        errors.append(_("没有可用于测评的数值变量"))
    if len(body) < MIN_RESPONDENTS:
        errors.append(
            _("样本只有 %(n)d 份，至少需要 %(min)d 份") % {"n": len(body), "min": MIN_RESPONDENTS}
        )
    if errors:
        if len(errors) > MAX_ERRORS:
            errors = [
                *errors[:MAX_ERRORS],
                _("还有 %(n)d 处错误未列出") % {"n": len(errors) - MAX_ERRORS},
            ]
        raise DatasetRejected(errors)
    return check


def read_dictionary(path: Path, file_format: str, *, columns: list[str]) -> dict[str, str]:
    """A data dictionary: two columns, the variable name and its question (变量名, 说明)."""
    rows = read_table(path, file_format)
    if rows and rows[0] and rows[0][0].strip() in {"变量名", "变量", "variable", "name"}:
        rows = rows[1:]
    dictionary: dict[str, str] = {}
    unknown = []
    for row in rows:
        if len(row) < 2 or not row[0].strip():
            continue
        name, label = row[0].strip(), row[1].strip()
        if name not in columns:
            unknown.append(name)
        dictionary[name] = label[:300]
    if unknown:
        raise DatasetRejected(
            [_("数据字典中的变量在数据中不存在：%(names)s") % {"names": join_words(unknown[:20])}]
        )
    return dictionary


def numeric_matrix(check: TableCheck, names: list[str]) -> dict[str, list[float]]:
    """The named columns as floats (NaN for missing; a yes/no column as 1/0), ready for the
    engine."""
    out = {}
    binary = set(check.binary)
    for name in names:
        cells = check.columns[name]
        if name in binary:
            out[name] = [math.nan if c.lower() in MISSING else _yes_no(c) for c in cells]
        else:
            out[name] = [math.nan if c.lower() in MISSING else float(c) for c in cells]
    return out
