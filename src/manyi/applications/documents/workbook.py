"""The campaign workbook (Excel): one row per application, for programme staff.

The applicant's name and USCC are those it submitted under (`Application.submitted_details`).

Pure reads: nothing here writes; ``documents.services`` logs each export.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.applications.documents.grid import display_value
from manyi.applications.forms.specs import APPLICATION_CODES, Field, all_fields, form_spec


def workbook_fields() -> list[tuple[str, str]]:
    """(key, header) for every field key of the five application forms, in printed order.

    A key whose label differs between forms (联系人电话 / 联系人办公电话) names both. Two keys
    with the same label (年处理退赔次数 of the industrial and of the service section) are told
    apart by where they are asked (`_qualified`), so no header repeats."""
    labels: dict[str, list[str]] = {}
    units: dict[str, str] = {}
    where: dict[str, list[tuple[str, str]]] = {}
    for code in APPLICATION_CODES:
        spec = form_spec(code)
        for section in spec.sections:
            for field in section.fields:
                label = field.display_label()
                seen = labels.setdefault(field.key, [])
                if label not in seen:
                    seen.append(label)
                units.setdefault(field.key, field.unit)
                where.setdefault(field.key, []).append((section.trade, spec.number))
    headers = []
    for key, names in labels.items():
        header = "／".join(names)
        if units[key]:
            header = f"{header}（{units[key]}）"
        if header in FIXED_HEADERS:
            header = f"{header}（申请表）"
        headers.append((key, header))
    return _qualified(headers, where)


def _qualified(headers: list[tuple[str, str]], where) -> list[tuple[str, str]]:
    """Headers that repeat get the trade section they are asked in (工业企业 / 服务企业), else
    the forms that ask them (附件4-1／附件4-2), else their key."""
    from manyi.accounts.roles import Trade

    def context(key: str) -> str:
        trades = list(dict.fromkeys(t for t, _number in where[key] if t))
        if trades:
            return "／".join(str(Trade(t).label) for t in trades)
        return "／".join(dict.fromkeys(number for _t, number in where[key]))

    counts = Counter(header for _key, header in headers)
    qualified = [
        (key, f"{header}（{context(key)}）" if counts[header] > 1 else header)
        for key, header in headers
    ]
    counts = Counter(header for _key, header in qualified)
    return [
        (key, f"{header}（{key}）" if counts[header] > 1 else header) for key, header in qualified
    ]


FIXED_HEADERS = (
    "申报编号",
    "年度",
    "类别",
    "企业名称",
    "统一社会信用代码",
    "推荐单位",
    "状态",
    "提交时间",
    "推荐意见",
)


def _cell_value(field: Field | None, value, reason: str):
    """A typed cell: numbers as numbers, dates as dates, choices as words."""
    if value in (None, "", []):
        return f"未填：{reason}" if reason else None
    if field is None:
        return str(value)
    if field.choices:
        return display_value(field, value)
    if field.kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)
    if field.kind in ("decimal", "percent"):
        try:
            return float(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return str(value)
    if field.kind == "date":
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return str(value)


def _latest_opinion(application) -> str:
    recommendations = sorted(
        application.recommendations.all(), key=lambda r: (r.created_at, r.pk), reverse=True
    )
    if not recommendations:
        return ""
    latest = recommendations[0]
    return f"{latest.get_decision_display()}：{latest.opinion}"


def applications_workbook(applications) -> bytes:
    """One row per application: who, what, where it stands, the agency's opinion, then a
    column per form field (the union of the five forms). Written by `write_xlsx`, so text
    that looks like a formula stays text."""
    from manyi.common.spreadsheets import write_xlsx

    columns = workbook_fields()
    specs = {code: {f.key: f for f in all_fields(form_spec(code))} for code in APPLICATION_CODES}
    if hasattr(applications, "select_related"):
        applications = applications.select_related(
            "campaign", "organisation", "agency"
        ).prefetch_related("recommendations")

    def rows():
        for application in applications:
            fields = specs.get(application.category, {})
            data = application.form_data or {}
            reasons = application.empty_reasons or {}
            submitted = (
                timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M")
                if application.submitted_at
                else ""
            )
            # Who applied as it was submitted (a later rename changes no row); a draft's as now.
            details = application.submitted_details or {}
            yield [
                application.number,
                application.campaign.year,
                application.get_category_display(),
                details.get("name") or application.organisation.name,
                details.get("uscc") or application.organisation.uscc or "",
                application.agency.name if application.agency else "",
                application.get_status_display(),
                submitted,
                _latest_opinion(application),
                *(
                    _cell_value(fields.get(key), data.get(key), reasons.get(key, ""))
                    if key in fields
                    else None
                    for key, _header in columns
                ),
            ]

    buffer = io.BytesIO()
    write_xlsx(
        rows(),
        headers=[*FIXED_HEADERS, *(header for _key, header in columns)],
        title=_("申报汇总"),
        path_or_buffer=buffer,
        fit_widths=True,
        autofilter=True,
    )
    return buffer.getvalue()
