"""The forms as printed on paper (PDF) and the campaign workbook (Excel).

- `application_pdf(application)`: 附件4-1 … 4-5 filled in: the field table in the printed
  arrangement (the reason of each empty cell printed in it: 不填之项要说明原因), the four
  materials, the agency's latest opinion with its seal stamped over 推荐单位（盖章）, the
  committee's empty box, the client's appraisal (工程类) and the 填表说明.
- `confirmation_pdf(confirmation)`: 附件2 活动确认表.
- `applications_workbook(applications)`: one row per application, for programme staff.

Pure reads: nothing here writes to the database; the views log the downloads.

The field tables are laid out on a grid of `GRID` equal columns, as the Word originals are:
`LAYOUTS` says which fields share a printed row; the spans follow from how many pairs a row
holds. A field the layout does not place still prints, in a row of its own at the end of its
block, so a field added to a spec can never drop off the paper.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from manyi.applications.form_specs import (
    APPLICATION_CODES,
    CLIENT_APPRAISAL_POINTS,
    MATERIALS_CLOSING,
    Field,
    FormSpec,
    Section,
    all_fields,
    form_spec,
)
from manyi.applications.models import AgencySeal, Decision
from manyi.common.pdf import render_pdf
from manyi.common.templatetags.manyi import cn_date

GRID = 24
BLANK_DATE = "年\u3000\u3000月\u3000\u3000日"
CHECKED, UNCHECKED = "☑", "☐"
NUMERIC_KINDS = ("int", "decimal", "percent")
BR = mark_safe("<br>")


# --- the grid ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    html: str
    colspan: int = 1
    rowspan: int = 1
    css: str = ""


@dataclass(frozen=True)
class Block:
    """The printed rows of one spec section. A titled block has the section's title in a
    left column spanning its rows (工业企业填写, 被推荐产品基本情况, 企业质量管理情况); an
    untitled block whose title the paper does not print gets it as a thin band above."""

    section: str
    rows: tuple[tuple[str, ...], ...]
    titled: bool = False
    title_span: int = 1


# (columns available, pairs in the row) -> the spans of label, value, label, value …
# Chosen so that no printed label wraps (the longest, 该品牌核定服务项目名称, fits in 6), and
# the second pair of a titled row lines up with that of an untitled one.
APPLICATION_SPANS = {
    (24, 1): (6, 18),
    (24, 2): (6, 6, 6, 6),
    (24, 3): (4, 4, 4, 4, 4, 4),
    (23, 1): (6, 17),
    (23, 2): (6, 5, 6, 6),
    (23, 3): (3, 4, 4, 4, 4, 4),
}
CONFIRMATION_SPANS = {
    (24, 1): (5, 19),
    (24, 2): (5, 7, 5, 7),
    (24, 3): (4, 4, 4, 4, 4, 4),
    (19, 1): (7, 12),
}
_QUALITY_ROW = ("national_inspections_passed", "major_accidents")
_SALES_ROW = ("annual_sales", "profit_tax", "forex")
# Rows whose labels need other spans: (keys, columns available) -> spans.
ROW_SPANS = {
    (_QUALITY_ROW, 24): (6, 5, 8, 5),
    (_QUALITY_ROW, 23): (6, 4, 8, 5),
    (_SALES_ROW, 24): (5, 3, 5, 3, 5, 3),
}

_CONTACT_12 = (
    ("legal_representative", "contact_department"),
    ("contact_person", "contact_title"),
    ("phone", "mobile", "fax"),
    ("address", "postcode"),
)
_ECONOMICS = (
    ("@assets",),
    _SALES_ROW,
    ("titles_obtained", "titles_years"),
)
_CONTACT_345 = (
    ("legal_representative", "contact_department"),
    ("contact_person", "contact_title"),
    ("phone", "mobile"),
    ("address", "postcode"),
    ("email", "fax"),
)
_INDUSTRIAL_ROWS = (
    ("returns_per_year", "warranty_repair_rate"),
    ("main_product_name", "main_product_output"),
    ("main_product_sales_volume", "main_product_market_share"),
    ("other_product_name", "other_product_output"),
    ("other_product_sales_volume", "other_product_market_share"),
)
_SERVICE_ROWS = (
    ("service_returns_per_year", "complaints_per_year"),
    ("main_service_name", "main_service_sales"),
    ("main_service_visitors", "main_service_profit_tax"),
    ("other_service_name", "other_service_sales"),
    ("other_service_visitors", "other_service_profit_tax"),
)
LAYOUTS: dict[str, tuple[Block, ...]] = {
    "brand": (
        Block("enterprise", (*_CONTACT_12, ("email", "brand_name"), *_ECONOMICS)),
        # 4-1 prints this row on its own above 工业企业填写.
        Block("quality", (_QUALITY_ROW,)),
        Block("industrial", _INDUSTRIAL_ROWS, titled=True),
        Block("service", _SERVICE_ROWS, titled=True),
    ),
    "enterprise": (
        Block("enterprise", (*_CONTACT_12, ("email",), *_ECONOMICS)),
        Block("industrial", (_QUALITY_ROW, *_INDUSTRIAL_ROWS), titled=True),
        Block(
            "engineering",
            (
                ("main_project_name", "main_project_floor_area"),
                ("main_project_cost", "main_project_period"),
                ("other_project_name", "other_project_floor_area"),
                ("other_project_cost", "other_project_period"),
            ),
            titled=True,
        ),
        Block("service", _SERVICE_ROWS, titled=True),
    ),
    "product": (
        Block("enterprise", _CONTACT_345),
        Block(
            "product",
            (
                ("product_name", "product_model"),
                ("trademark", "market_share"),
                ("sales_volume", "ex_factory_price"),
                ("annual_sales",),
                ("forex", "quality_returns"),
                ("service_outlets", "service_staff"),
                ("quality_awards",),
            ),
            titled=True,
        ),
    ),
    "engineering": (
        Block("enterprise", _CONTACT_345),
        Block(
            "project",
            (
                ("project_name", "project_budget"),
                ("@project_type",),
                ("client_name",),
                ("floor_area", "completed_on", "accepted_on"),
                ("project_location",),
                ("project_manager", "project_manager_phone"),
                ("project_address", "project_postcode"),
                ("designer", "supervisor"),
                ("quality_awards",),
            ),
            titled=True,
        ),
    ),
    "service": (
        Block("enterprise", _CONTACT_345),
        Block(
            "service",
            (
                ("service_name", "service_body"),
                ("service_content",),
                ("service_manager", "service_phone"),
                ("service_address", "service_postcode"),
                ("complaints",),
                ("service_staff", "persons_served"),
                ("service_norms",),
            ),
            titled=True,
        ),
    ),
    "confirmation": (
        Block(
            "enterprise",
            (
                ("@categories",),
                ("name", "legal_representative"),
                ("address", "postcode"),
                ("contact_department", "contact_person"),
                ("phone", "mobile", "fax"),
                ("email",),
                ("main_products", "trademark"),
                ("main_services",),
                ("ownership", "employees"),
                ("profit_tax", "forex"),
                ("titles_obtained", "titles_years"),
            ),
        ),
        Block(
            "quality_management",
            (("@tqm",), ("@iso9000",), ("certification_year",)),
            titled=True,
            title_span=5,
        ),
        Block("signature", (("@evaluation",),)),
    ),
}

# The fields each special row prints (so they are not printed again as left over).
SPECIAL_KEYS = {
    "@assets": ("employees", "labour_productivity", "fixed_assets_original", "fixed_assets_net"),
    "@project_type": ("project_type", "project_type_other"),
    "@categories": ("categories",),
    "@tqm": ("tqm",),
    "@iso9000": ("iso9000",),
    "@evaluation": ("satisfaction_evaluation", "signer", "signed_on"),
}


class _Filled:
    """A form's data as the paper shows it: labels, values, the reasons of empty cells."""

    def __init__(
        self,
        spec: FormSpec,
        data: dict,
        reasons: dict,
        *,
        data_year: int | None,
        chosen_trades=None,
    ):
        self.spec = spec
        self.data = data or {}
        self.reasons = reasons or {}
        self.data_year = data_year
        self.fields = {f.key: f for f in all_fields(spec, chosen_trades)}

    def label(self, key: str) -> SafeString:
        return label_html(self.fields[key], self.data_year)

    def is_empty(self, key: str) -> bool:
        return self.data.get(key) in (None, "", [])

    def reason(self, key: str) -> SafeString:
        reason = str(self.reasons.get(key) or "").strip()
        return (
            format_html('<span class="reason">{}</span>', _("未填：") + reason)
            if reason
            else mark_safe("")
        )

    def value(self, key: str) -> SafeString:
        field = self.fields[key]
        if self.is_empty(key):
            return self.reason(key)
        notes = [p for p in field.printed if p.startswith("（附")]
        text = _multiline(display_value(field, self.data[key]))
        if notes:
            return format_html('<span class="cell-note">{}</span><br>{}', notes[0], text)
        return text


def label_html(field: Field, data_year: int | None = None) -> SafeString:
    """The label cell as printed: the printed fragments one per line, else the label with its
    unit when the paper prints the unit. A fragment "（附…）" is printed in the value cell."""
    fragments = [p for p in field.printed if not p.startswith("（附")]
    # A label carrying the data year is printed with this campaign's year, not the seed's.
    if fragments and "{data_year}" not in str(field.label):
        return format_html_join(BR, "{}", ((p,) for p in fragments))
    label = field.label_for(data_year)
    if field.unit and field.unit_printed:
        label = f"{label}（{field.unit}）"
    return escape(label)


def display_value(field: Field, value) -> str:
    """A stored value as words: choice labels, dates in Chinese, unprinted units added."""
    if value in (None, "", []):
        return ""
    if field.choices:
        labels = {str(k): str(v) for k, v in field.choices}
        items = value if isinstance(value, list | tuple) else [value]
        return "、".join(labels.get(str(v), str(v)) for v in items)
    if field.kind == "date":
        try:
            return cn_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    text = str(value)
    if field.kind in NUMERIC_KINDS and field.unit and not field.unit_printed:
        text = f"{text}{field.unit}"
    return text


def _multiline(text: str) -> SafeString:
    return format_html_join(BR, "{}", ((line,) for line in str(text).splitlines()))


def _pair_cells(filled: _Filled, keys, spans) -> list[Cell]:
    cells = []
    for key, (label_span, value_span) in zip(
        keys, zip(spans[::2], spans[1::2], strict=True), strict=True
    ):
        cells.append(Cell(filled.label(key), label_span, css="label"))
        cells.append(Cell(filled.value(key), value_span, css="value"))
    return cells


# --- special rows ------------------------------------------------------------------------


def _assets_rows(filled: _Filled, width: int) -> list[list[Cell]]:
    """职工人数 | 全员劳产率 元／人 | 固定资产（万元） 原值 / 净值: two printed rows."""
    keys = [k for k in SPECIAL_KEYS["@assets"] if k in filled.fields]
    if len(keys) < 4:
        return [_pair_cells(filled, [k], APPLICATION_SPANS[(width, 1)]) for k in keys]
    tall = 2
    first = [
        Cell(filled.label("employees"), 4, tall, "label"),
        Cell(filled.value("employees"), 4, tall, "value"),
        Cell(filled.label("labour_productivity"), 4, tall, "label"),
        Cell(filled.value("labour_productivity"), 4, tall, "value"),
        Cell(format_html("{}<br>{}", "固定资产", "（万元）"), 3, tall, "label"),
        Cell(escape("原值"), 2, css="label"),
        Cell(filled.value("fixed_assets_original"), 3, css="value"),
    ]
    second = [
        Cell(escape("净值"), 2, css="label"),
        Cell(filled.value("fixed_assets_net"), 3, css="value"),
    ]
    return [first, second]


def _project_type_rows(filled: _Filled, width: int) -> list[list[Cell]]:
    """工程类别: the printed list of types, the chosen one circled as a pen would."""
    field = filled.fields["project_type"]
    chosen = filled.data.get("project_type")
    parts = []
    last = len(field.choices)
    for number, (value, label) in enumerate(field.choices, start=1):
        item = f"{number}、{label}"
        shown = (
            format_html('<span class="picked">{}</span>', item) if value == chosen else escape(item)
        )
        if value == "other" and chosen == "other" and filled.data.get("project_type_other"):
            shown = format_html("{}（{}）", shown, filled.data["project_type_other"])
        separator = "" if number == last else "；"
        line_break = BR if number == last - 1 else ""
        parts.append(format_html("{}{}{}", shown, separator, line_break))
    options = mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
    if chosen:
        options = format_html(
            '{}<br><span class="chosen">{}{}</span>',
            options,
            _("已选："),
            display_value(field, chosen),
        )
    else:
        options = format_html("{}<br>{}", options, filled.reason("project_type"))
    label_span, value_span = APPLICATION_SPANS[(width, 1)]
    return [
        [
            Cell(escape(str(field.label)), label_span, css="label"),
            Cell(options, value_span, css="value options"),
        ]
    ]


def _categories_rows(filled: _Filled, width: int) -> list[list[Cell]]:
    """申报类别: 用户满意品牌□ 用户满意企业□ …, the chosen ones ticked."""
    field = filled.fields["categories"]
    chosen = set(filled.data.get("categories") or [])
    boxes = format_html_join(
        " ",
        '<span class="option">{}<span class="tick">{}</span></span>',
        ((label, CHECKED if value in chosen else UNCHECKED) for value, label in field.choices),
    )
    if not chosen:
        boxes = format_html("{}<br>{}", boxes, filled.reason("categories"))
    # Narrower label than the other rows: the five options fit on one line, as on paper.
    return [[Cell(escape(str(field.label)), 4, css="label"), Cell(boxes, width - 4, css="value")]]


def _yes_no_row(key: str):
    """已推行TQM，是（√）否（ ）: the statement with the answer ticked in its brackets."""

    def rows(filled: _Filled, width: int) -> list[list[Cell]]:
        field = filled.fields[key]
        answer = filled.data.get(key)
        marks = format_html_join(
            "",
            "{}（{}）",
            (
                (str(label), "√" if value == answer else "\u3000\u3000")
                for value, label in field.choices
            ),
        )
        html = format_html("{}，{}", field.label_for(filled.data_year), marks)
        if not answer:
            html = format_html("{} {}", html, filled.reason(key))
        return [[Cell(html, width, css="value statement")]]

    return rows


def _evaluation_rows(filled: _Filled, width: int) -> list[list[Cell]]:
    """{data_year}年开展用户满意评价情况 over its text, and beside them 负责人签字 …（单位公章）
    … the date."""
    signer = filled.data.get("signer") or ""
    signed_on = filled.data.get("signed_on")
    signature = format_html(
        '<p class="sign-line">{}{}</p><p class="sign-seal">{}</p><p class="sign-date">{}</p>',
        _("负责人签字："),
        signer or filled.reason("signer"),
        filled.spec.seal,
        display_value(filled.fields["signed_on"], signed_on) if signed_on else BLANK_DATE,
    )
    side = 8
    return [
        [
            Cell(filled.label("satisfaction_evaluation"), width - side, css="label caption"),
            Cell(signature, side, 2, css="value signature"),
        ],
        [Cell(filled.value("satisfaction_evaluation"), width - side, css="value tall")],
    ]


SPECIALS = {
    "@assets": _assets_rows,
    "@project_type": _project_type_rows,
    "@categories": _categories_rows,
    "@tqm": _yes_no_row("tqm"),
    "@iso9000": _yes_no_row("iso9000"),
    "@evaluation": _evaluation_rows,
}


# --- building the table ------------------------------------------------------------------


def _section_title(section: Section) -> SafeString:
    if section.printed:
        return format_html_join(BR, "{}", ((p,) for p in section.printed))
    return escape(str(section.title))


def _block_rows(
    block: Block, section: Section, filled: _Filled, spans: dict, placed: set[str]
) -> list[list[Cell]]:
    width = GRID - (block.title_span if block.titled else 0)
    rows: list[list[Cell]] = []
    for row in block.rows:
        if row[0].startswith("@"):
            if any(k in filled.fields for k in SPECIAL_KEYS[row[0]]):
                rows.extend(SPECIALS[row[0]](filled, width))
            continue
        keys = [k for k in row if k in filled.fields and k not in placed]
        if keys:
            row_spans = ROW_SPANS.get((tuple(keys), width)) or spans[(width, len(keys))]
            rows.append(_pair_cells(filled, keys, row_spans))
            placed.update(keys)
    # Whatever the layout does not place still prints, one field a row.
    for field in section.fields:
        if field.key not in placed and field.on_paper and field.key in filled.fields:
            rows.append(_pair_cells(filled, [field.key], spans[(width, 1)]))
            placed.add(field.key)
    if not rows:
        return rows
    if block.titled:
        css = "side" if block.title_span == 1 else "label"
        rows[0].insert(0, Cell(_section_title(section), block.title_span, len(rows), css))
    elif not section.printed:
        rows.insert(0, [Cell(escape(str(section.title)), GRID, css="band")])
    return rows


def field_table(
    spec: FormSpec, filled: _Filled, *, chosen_trades=None, skip=("name",)
) -> list[list[Cell]]:
    """The rows of the printed field table of a form: general and chosen trade sections."""
    spans = CONFIRMATION_SPANS if spec.code == "confirmation" else APPLICATION_SPANS
    blocks = {b.section: b for b in LAYOUTS[spec.code]}
    placed = set(skip) | {
        k
        for b in blocks.values()
        for row in b.rows
        if row[0].startswith("@")
        for k in SPECIAL_KEYS[row[0]]
    }
    rows: list[list[Cell]] = []
    for section in spec.active_sections(chosen_trades):
        block = blocks.get(section.key, Block(section.key, ()))
        rows.extend(_block_rows(block, section, filled, spans, placed))
    return rows


# --- application form ----------------------------------------------------------------------


def data_year_of(application) -> int:
    """The year whose figures the form reports (以××年度数据为准): set per category."""
    setting = application.campaign.categories.filter(category=application.category).first()
    return setting.data_year if setting else application.campaign.year - 1


def latest_recommendation(application):
    """The agency's latest opinion on the form. A return for changes is not an opinion on
    the form (the applicant resubmits), so it is not printed with the seal."""
    return (
        application.recommendations.exclude(decision=Decision.RETURN)
        .select_related("agency")
        .order_by("-created_at", "-pk")
        .first()
    )


def seal_data_uri(agency) -> str:
    """The agency's seal as a data URI, or "" when there is none (or its file is gone)."""
    from manyi.common.files import private_path

    seal = AgencySeal.objects.filter(agency=agency).first() if agency is not None else None
    if seal is None:
        return ""
    try:
        content = private_path(seal.file_path).read_bytes()
    except (OSError, ValueError):
        return ""
    return f"data:{seal.content_type};base64,{base64.b64encode(content).decode('ascii')}"


def _materials(spec: FormSpec, application) -> list[dict]:
    items = []
    last = len(spec.materials)
    for material in spec.materials:
        items.append(
            {
                "heading": f"{material.number}、{material.printed_for(spec.code)}{'。' if material.number == last else '；'}",
                "paragraphs": [
                    p for p in (getattr(application, material.key) or "").splitlines() if p.strip()
                ],
                "guidance": spec.materials_guidance if material.number == 3 else "",
            }
        )
    return items


def _appraisal(application):
    appraisal = (
        getattr(application, "client_appraisal", None)
        if application.category == "engineering"
        else None
    )
    if appraisal is None or appraisal.submitted_at is None:
        return None
    keys = (
        "quality",
        "construction_service",
        "design_suggestions",
        "maintenance",
        "overall",
        "improvements",
    )
    return {
        "object": appraisal,
        "points": [
            (point, getattr(appraisal, key))
            for point, key in zip(CLIENT_APPRAISAL_POINTS, keys, strict=True)
        ],
    }


def application_context(application) -> dict:
    spec = form_spec(application.category)
    data_year = data_year_of(application)
    chosen = list(application.chosen_trades or []) if spec.has_trade_sections else None
    filled = _Filled(
        spec,
        application.form_data,
        application.empty_reasons,
        data_year=data_year,
        chosen_trades=chosen,
    )
    recommendation = latest_recommendation(application)
    agency = recommendation.agency if recommendation else None
    code = spec.code
    return {
        "application": application,
        "spec": spec,
        "title_lines": spec.printed_title,
        "continued": "续表" + spec.number.removeprefix("附件"),
        "name": application.form_data.get("name") or application.organisation.name,
        "grid": field_table(spec, filled, chosen_trades=chosen),
        "grid_columns": range(GRID),
        # 4-3 … 4-5 print the materials inside the first table; 4-1 and 4-2 on the 续表.
        "materials_first": code in ("product", "engineering", "service"),
        "materials": _materials(spec, application),
        "materials_closing": MATERIALS_CLOSING,
        "evidence": [e.printed for e in spec.evidence if e.printed.startswith("另请提供")],
        "data_note": spec.data_note_for(data_year),
        "agency_rows_title": code != "product",
        "seal_label": "（盖章）" if code == "engineering" else "推荐单位（盖章）",
        "recommendation": recommendation,
        "agency": agency,
        "seal_src": seal_data_uri(agency) if recommendation else "",
        "appraisal": _appraisal(application),
        "appraisal_points": "、".join(CLIENT_APPRAISAL_POINTS),
        "blank_date": BLANK_DATE,
        "notes": spec.notes,
    }


def application_pdf(application) -> bytes:
    """附件4-x of one application as a PDF (A4, Chinese font embedded, page numbers)."""
    return render_pdf("applications/pdf/application.html", application_context(application))


# --- confirmation form -------------------------------------------------------------------


def confirmation_pdf(confirmation) -> bytes:
    """附件2 活动确认表 of one organisation for one campaign."""
    spec = form_spec("confirmation")
    data = {k: v for k, v in (confirmation.data or {}).items() if k != "__reasons__"}
    data.setdefault("name", confirmation.organisation.name)
    if confirmation.signer:
        data["signer"] = confirmation.signer
    if confirmation.signed_on:
        data["signed_on"] = confirmation.signed_on.isoformat()
    reasons = (confirmation.data or {}).get("__reasons__") or {}
    data_year = confirmation.campaign.year - 1
    filled = _Filled(spec, data, reasons, data_year=data_year)
    title = spec.title_for(confirmation.campaign.year)
    return render_pdf(
        "applications/pdf/confirmation.html",
        {
            "confirmation": confirmation,
            "spec": spec,
            "title_lines": title.split(" "),
            "grid": field_table(spec, filled, skip=()),
            "grid_columns": range(GRID),
            "notes": spec.notes,
        },
    )


# --- the campaign workbook ---------------------------------------------------------------


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
