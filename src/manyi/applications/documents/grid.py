"""The grid engine: the measures' field tables laid out as the Word originals print them.

Used by ``documents.pdf`` (the forms on paper) and ``documents.workbook`` (cell values).

The field tables are laid out on a grid of `GRID` equal columns, as the Word originals are:
`LAYOUTS` says which fields share a printed row; the spans follow from how many pairs a row
holds. A field the layout does not place still prints, in a row of its own at the end of its
block, so a field added to a spec can never drop off the paper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from manyi.applications.forms.specs import (
    Field,
    FormSpec,
    Section,
    all_fields,
)
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


class FilledForm:
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
        if field.kind == "email":
            return email_html(display_value(field, self.data[key]))
        text = _multiline(display_value(field, self.data[key]))
        if notes:
            return format_html('<span class="cell-note">{}</span><br>{}', notes[0], text)
        return text


def email_html(address: str) -> SafeString:
    """An e-mail address as printed: smaller (form_pdf.css `.email`), and if it must wrap, then
    after its @ (or, for a very long one, before a dot), never in the middle of a name."""
    parts = [escape(part) for part in address.strip().split(".")]
    breakable = mark_safe("<wbr>.".join(parts).replace("@", "@<wbr>", 1))  # noqa: S308 - escaped
    return format_html('<span class="email">{}</span>', breakable)


def label_html(field: Field, data_year: int | None = None) -> SafeString:
    """The label cell as printed: the printed fragments one per line, else the label with its
    unit when the paper prints the unit. A fragment "（附…）" is printed in the value cell."""
    fragments = [p for p in field.printed if not p.startswith("（附")]
    # A label carrying the data year is printed with this campaign's year, not the measures'.
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


def _pair_cells(filled: FilledForm, keys, spans) -> list[Cell]:
    cells = []
    for key, (label_span, value_span) in zip(
        keys, zip(spans[::2], spans[1::2], strict=True), strict=True
    ):
        cells.append(Cell(filled.label(key), label_span, css="label"))
        cells.append(Cell(filled.value(key), value_span, css="value"))
    return cells


# --- special rows ------------------------------------------------------------------------


def _assets_rows(filled: FilledForm, width: int) -> list[list[Cell]]:
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


def _project_type_rows(filled: FilledForm, width: int) -> list[list[Cell]]:
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


def _categories_rows(filled: FilledForm, width: int) -> list[list[Cell]]:
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

    def rows(filled: FilledForm, width: int) -> list[list[Cell]]:
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


def _evaluation_rows(filled: FilledForm, width: int) -> list[list[Cell]]:
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
    block: Block, section: Section, filled: FilledForm, spans: dict, placed: set[str]
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
    spec: FormSpec, filled: FilledForm, *, chosen_trades=None, skip=("name",)
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
