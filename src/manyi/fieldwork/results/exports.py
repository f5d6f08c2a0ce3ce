"""A survey's responses as CSV, Excel and SPSS files, one row per response; every export logged.

No personal data in any format: no names, phone numbers or e-mail addresses, not even the
interviewer's. An export leaves the system and is passed around for analysis, which needs the
answers, not the people; the sample position links a row back to its contact for those who
may look (inside the system). Phone numbers and e-mail addresses a respondent typed into an
open answer are hidden too.

One coding in all three formats: scores as numbers, 不清楚/不适用 as 99 (declared missing in
SPSS), yes 1 and no 0, a question not asked (after a failed screening question) blank.
"""

import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.common.spreadsheets import FORMULA_TRIGGERS, write_xlsx
from manyi.fieldwork.access import EXPORT_RESPONSES
from manyi.fieldwork.models import ItemKind, Survey
from manyi.fieldwork.questions import questions_of

UNKNOWN_CODE = 99
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}
HIDDEN = "***"
# A number a person can be reached at (7 digits or more, spaces and dashes allowed inside) or an
# e-mail address, typed into an open answer. A date (2024-05-01) is no phone number.
_PHONE_LIKE = re.compile(r"\+?\d[\d\s\-]{5,}\d")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@dataclass
class Variable:
    name: str  # a valid SPSS name, used as the column header in every format
    label: str
    kind: str = "number"  # number, text or datetime
    value_labels: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)


@dataclass
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def _hide_number(match: re.Match) -> str:
    found = match.group(0)
    digits = sum(c.isdigit() for c in found)
    return found if digits < 7 or _DATE.fullmatch(found.strip()) else HIDDEN


def hide_contact_details(text: str) -> str:
    return _EMAIL_LIKE.sub(HIDDEN, _PHONE_LIKE.sub(_hide_number, text or ""))


def _variable_name(code: str, taken: set) -> str:
    """``q_`` + the question code with only letters, digits and _ (what SPSS accepts)."""
    base = "q_" + re.sub(r"[^A-Za-z0-9_]", "_", code)[:60]
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name.lower())
    return name


def _yes_no(value) -> int | None:
    return None if value is None else int(bool(value))


def _answer(question: dict, answers: dict):
    if question["code"] not in answers:
        return None
    value = answers[question["code"]]
    if question["kind"] == ItemKind.SCORE:
        return UNKNOWN_CODE if value is None else value
    if question["kind"] == ItemKind.YES_NO:
        return _yes_no(value)
    return hide_contact_details(str(value))


def response_table(survey: Survey) -> tuple[list[Variable], list[list]]:
    yes_no = {1: _("是"), 0: _("否")}
    variables = [
        Variable("response_id", _("回答编号")),
        Variable("position", _("样本序号")),
        Variable(
            "channel", _("调查方式（web 网上问卷，phone 电话访问，api 调查机构系统）"), "text"
        ),
        Variable("stratum", _("层"), "text"),
        Variable("submitted_at", _("提交时间"), "datetime"),
        Variable("duration_seconds", _("作答用时（秒）")),
        Variable(
            "qc_status",
            _("质量复核（clean 通过，approved 复核通过，rejected 已剔除，flagged 待复核）"),
            "text",
        ),
        Variable("qc_flags", _("质量问题"), "text"),
        Variable("screening", _("通过甄别"), value_labels=yes_no),
        Variable("complaint", _("曾经投诉"), value_labels=yes_no),
    ]
    taken = {v.name for v in variables}
    questions = questions_of(survey.questionnaire)
    for q in questions:
        variable = Variable(_variable_name(q["code"], taken), q["text"]["zh"][:250])
        if q["kind"] == ItemKind.SCORE:
            labels = {q["min"]: q["anchors"]["zh"][0], q["max"]: q["anchors"]["zh"][1]}
            variable.value_labels = {k: v for k, v in labels.items() if v}
            if q["unknown"]:
                variable.value_labels[UNKNOWN_CODE] = _("不清楚/不适用")
                variable.missing = [UNKNOWN_CODE]
        elif q["kind"] == ItemKind.YES_NO:
            variable.value_labels = yes_no
        else:
            variable.kind = "text"
        variables.append(variable)
    rows = []
    responses = survey.responses.select_related("contact").order_by("submitted_at", "pk")
    for r in responses:
        rows.append(
            [
                r.pk,
                r.contact.position,
                r.channel,
                r.contact.stratum,
                timezone.localtime(r.submitted_at).replace(tzinfo=None, microsecond=0),
                r.duration_seconds,
                r.qc_status,
                ";".join(r.qc_flags or []),
                _yes_no(r.screening_passed),
                _yes_no(r.complaint),
                *(_answer(q, r.answers) for q in questions),
            ]
        )
    return variables, rows


def _csv(variables, rows, _title) -> bytes:
    def cell(value):
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
            return "'" + value  # never a formula when Excel opens it
        return value

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([v.name for v in variables])
    writer.writerows([cell(value) for value in row] for row in rows)
    # With the BOM, Excel reads the file as UTF-8 (Chinese answers stay legible).
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(variables, rows, title) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(rows, headers=[v.name for v in variables], title=title, path_or_buffer=buffer)
    return buffer.getvalue()


def _fit_bytes(text: str, limit: int) -> str:
    """Cut a label to what SPSS holds (counted in UTF-8 bytes: a Chinese character takes 3)."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _sav(variables, rows, _title) -> bytes:
    # Imported here: only this export needs pandas and pyreadstat.
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame(rows, columns=[v.name for v in variables])
    for v in variables:
        if v.kind == "datetime":
            frame[v.name] = pd.to_datetime(frame[v.name])
        elif v.kind == "number":
            frame[v.name] = pd.to_numeric(frame[v.name])
        else:
            frame[v.name] = frame[v.name].fillna("").astype(str)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.sav"
        pyreadstat.write_sav(
            frame,
            str(path),
            column_labels={v.name: _fit_bytes(v.label, 255) for v in variables},
            variable_value_labels={
                v.name: {k: _fit_bytes(str(label), 120) for k, label in v.value_labels.items()}
                for v in variables
                if v.value_labels
            },
            missing_ranges={v.name: v.missing for v in variables if v.missing},
        )
        return path.read_bytes()


WRITERS = {"csv": _csv, "xlsx": _xlsx, "sav": _sav}


def export_responses(*, survey: Survey, by, file_format: str) -> ExportFile:
    """The survey's responses in `file_format` (csv, xlsx or sav).

    Side effects: one activity-log entry ``survey.export_responses`` with the format and the
    number of rows.
    """
    EXPORT_RESPONSES.require(by, survey)
    if file_format not in WRITERS:
        raise ValueError(file_format)
    variables, rows = response_table(survey)
    content = WRITERS[file_format](variables, rows, _("问卷回答"))
    log_activity(
        actor=by,
        action="survey.export_responses",
        obj=survey,
        organisation=survey.application.organisation,
        after={"format": file_format, "rows": len(rows)},
    )
    return ExportFile(
        content=content,
        filename=f"survey-{survey.pk}-responses.{file_format}",
        content_type=FORMATS[file_format],
    )
