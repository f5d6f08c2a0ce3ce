"""The campaign workbook (Excel): one row per application, for programme staff.

Pure reads: nothing here writes; ``documents.services`` logs each export.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.applications.documents.grid import display_value
from manyi.applications.forms.specs import APPLICATION_CODES, Field, all_fields, form_spec


def workbook_fields() -> list[tuple[str, str]]:
    """(key, header) for every field key of the five application forms, in printed order.

    A key whose label differs between forms (联系人电话 / 联系人办公电话) names both."""
    labels: dict[str, list[str]] = {}
    units: dict[str, str] = {}
    for code in APPLICATION_CODES:
        for field in all_fields(form_spec(code)):
            label = field.display_label()
            seen = labels.setdefault(field.key, [])
            if label not in seen:
                seen.append(label)
            units.setdefault(field.key, field.unit)
    headers = []
    for key, names in labels.items():
        header = "／".join(names)
        if units[key]:
            header = f"{header}（{units[key]}）"
        if header in FIXED_HEADERS:
            header = f"{header}（申请表）"
        headers.append((key, header))
    return headers


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
            agency = application.agency or application.organisation.agency
            yield [
                application.number,
                application.campaign.year,
                application.get_category_display(),
                application.organisation.name,
                application.organisation.uscc or "",
                agency.name if agency else "",
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
    )
    return buffer.getvalue()
