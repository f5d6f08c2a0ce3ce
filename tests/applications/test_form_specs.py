"""The form specs hold every field of the seed's forms: proven against the seed text itself."""

import re
from collections import Counter
from pathlib import Path

import pytest

from manyi.accounts.models import Organisation
from manyi.accounts.roles import Trade
from manyi.applications.forms.specs import (
    CLIENT_APPRAISAL_POINTS,
    EVIDENCE,
    FORMS,
    KINDS,
    MATERIALS,
    MATERIALS_GUIDANCE,
    TEN_POINTS,
    all_fields,
    count_chars,
    form_spec,
)

SEED_NAME = "000_8e0ac1c5808272ec.txt"
REPO = Path(__file__).resolve().parents[2]


def _seed_path() -> Path:
    for candidate in (
        REPO / "docs" / "seed" / SEED_NAME,
        REPO.parent / "shared" / "seed" / SEED_NAME,
        REPO / ".." / "shared" / "seed" / SEED_NAME,
        REPO / "shared" / "seed" / SEED_NAME,
    ):
        if candidate.exists():
            return candidate
    pytest.fail(f"the seed text {SEED_NAME} is missing from docs/seed/")


@pytest.fixture(autouse=True)
def _clear_cache():
    """No database and no cache are touched here: override the suite's cache clearing."""
    yield


# Where each form starts in the seed. The engineering form is printed as "附表4-4".
MARKERS = {
    "confirmation": "附件2",
    "brand": "附件4-1",
    "enterprise": "附件4-2",
    "product": "附件4-3",
    "engineering": "附表4-4",
    "service": "附件4-5",
}
MARKER_RE = re.compile(r"^(附件\d(?:-\d)?|附表\d-\d)$")


def norm(line: str) -> str:
    """A cell as the spec writes it: no whitespace, no trailing colon."""
    return re.sub(r"\s+", "", line).rstrip("：:")


def seed_lines() -> list[str]:
    return _seed_path().read_text(encoding="utf-8").splitlines()


def form_block(code: str) -> list[str]:
    """The seed's lines of one form, from its number to the next form's number."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.strip() == MARKERS[code])
    end = next(
        (i for i in range(start + 1, len(lines)) if MARKER_RE.match(lines[i].strip())),
        len(lines),
    )
    return lines[start:end]


def field_table(code: str) -> list[str]:
    """The cells of the field table: after the title ("活动确认表" / "申请表") up to
    "请附以下材料" or "填表说明"; every non-empty line, whitespace removed. Lines without the
    leading tab of a table cell are kept too: they are cells printed over two lines
    (全员劳产率 / 元／人, 企业质量 / 管理情况, 获部、省以上 / 质量奖励情况 …)."""
    block = form_block(code)
    title_end = next(i for i, line in enumerate(block) if norm(line) in ("活动确认表", "申请表"))
    cells = []
    for line in block[title_end + 1 :]:
        if "请附以下材料" in line or line.strip().startswith("填表说明"):
            break
        cell = norm(line)
        if cell:
            cells.append(cell)
    return cells


# "续表4-1" heads the second page of the printed table: a page break, not a cell.
CONTINUATION = re.compile(r"^续表\d-\d")
UNIT_SUFFIX = re.compile(r"（(?:万元|%|台件|平方米|元)）$")


def known_texts(code: str) -> set[str]:
    spec = form_spec(code)
    known = {spec.seal}
    for section in spec.sections:
        known.add(str(section.title))
        known.update(section.printed)
        for field in section.fields:
            label = str(field.label)
            known.update({label, field.label_for(spec.printed_data_year), *field.printed})
            if field.unit:
                known.add(f"{label}（{field.unit}）")
    return known


@pytest.mark.parametrize("code", list(MARKERS))
def test_every_printed_cell_of_the_seed_is_in_the_spec(code):
    known = known_texts(code)
    cells = field_table(code)
    unmatched = [
        c
        for c in cells
        if c not in known and UNIT_SUFFIX.sub("", c) not in known and not CONTINUATION.match(c)
    ]
    assert not unmatched, f"{code}: cells of the seed missing from the spec: {unmatched}"
    # The cut found the table, not an empty slice.
    assert len(cells) >= 20, cells


@pytest.mark.parametrize("code", list(MARKERS))
def test_a_label_printed_twice_has_two_fields(code):
    """年产量（台件） is printed for the main and for the other products: two fields, not one."""
    spec = form_spec(code)
    provided: Counter[str] = Counter()
    for field in all_fields(spec):
        label = field.label_for(spec.printed_data_year)
        provided.update({label, f"{label}（{field.unit}）", *field.printed})
    printed = Counter(field_table(code))
    short = {
        cell: (n, provided[cell] or provided[UNIT_SUFFIX.sub("", cell)])
        for cell, n in printed.items()
        if n > 1 and n > (provided[cell] or provided[UNIT_SUFFIX.sub("", cell)])
    }
    assert not short, f"{code}: printed n times but fewer fields: {short}"


@pytest.mark.parametrize("code", list(MARKERS))
def test_every_spec_field_is_printed_in_the_seed(code):
    """The other way round: nothing is invented, except fields marked as not on paper."""
    spec = form_spec(code)
    cells = set(field_table(code))
    invented = []
    for field in all_fields(spec):
        label = field.label_for(spec.printed_data_year)
        candidates = {label, f"{label}（{field.unit}）", *field.printed}
        found = bool(candidates & cells)
        if field.printed:
            found = set(field.printed) <= cells
        if found != field.on_paper:
            invented.append(field.key)
    assert not invented, f"{code}: fields whose print status is wrong: {invented}"


def test_a_cell_split_over_two_lines_is_found_by_its_fragments():
    brand = form_spec("brand")
    assert brand.field("labour_productivity").printed == ("全员劳产率", "元／人")
    assert brand.field("labour_productivity").unit == "元／人"
    assert brand.field("fixed_assets_original").printed == ("固定资产", "（万元）", "原值")
    assert brand.field("fixed_assets_net").printed == ("固定资产", "（万元）", "净值")
    assert form_spec("product").field("quality_awards").printed == ("获部、省以上", "质量奖励情况")


@pytest.mark.parametrize(
    ("code", "count"),
    [
        ("confirmation", 26),
        ("brand", 43),
        ("enterprise", 50),
        ("product", 23),
        ("engineering", 27),
        ("service", 22),
    ],
)
def test_field_counts(code, count):
    assert len(all_fields(form_spec(code))) == count


@pytest.mark.parametrize("code", list(MARKERS))
def test_keys_are_unique_snake_case_and_kinds_known(code):
    fields = all_fields(form_spec(code))
    keys = [f.key for f in fields]
    assert len(keys) == len(set(keys))
    for field in fields:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", field.key), field.key
        assert field.kind in KINDS
        assert not re.search(r"\s", str(field.label)), field.label


def test_glossary_names_and_units():
    enterprise = form_spec("enterprise")
    expected = {
        "profit_tax": ("实现利税", "万元"),
        "forex": ("创汇", "万元"),
        "labour_productivity": ("全员劳产率", "元／人"),
        "fixed_assets_original": ("固定资产原值", "万元"),
        "fixed_assets_net": ("固定资产净值", "万元"),
        "warranty_repair_rate": ("保修期返修率", "%"),
        "main_product_output": ("年产量", "台件"),
        "other_product_output": ("年产量", "台件"),
        "main_project_floor_area": ("工程建筑面积", "平方米"),
    }
    for key, (label, unit) in expected.items():
        field = enterprise.field(key)
        assert (str(field.label), field.unit) == (label, unit)
    # The repeated rows are told apart by their group.
    assert (
        enterprise.field("other_product_output").label_with_unit()
        == "其它批量产品 · 年产量（台件）"
    )
    assert enterprise.field("main_product_output").label_with_unit() == "主导产品 · 年产量（台件）"
    assert form_spec("brand").field("main_product_name").label == "该品牌核定产品名称"


def test_prefill_names_are_organisation_attributes():
    names = {f.name for f in Organisation._meta.get_fields()}
    for spec in FORMS.values():
        for field in all_fields(spec):
            if field.prefill:
                assert field.prefill in names, (spec.code, field.key, field.prefill)


def test_trade_sections():
    trades = set(Trade.values)
    assert [s.trade for s in form_spec("brand").trade_sections] == ["industrial", "service"]
    assert [s.trade for s in form_spec("enterprise").trade_sections] == [
        "industrial",
        "engineering",
        "service",
    ]
    for spec in FORMS.values():
        for section in spec.trade_sections:
            assert section.trade in trades
            assert str(section.title) == section.printed[0]
    for code in ("confirmation", "product", "engineering", "service"):
        assert not form_spec(code).trade_sections


def test_national_checks_sit_where_the_seed_prints_them():
    # 4-1: a row of its own above 工业企业填写; 4-2: the first row of 工业企业填写.
    assert form_spec("brand").section_of("national_inspections_passed").optional is False
    assert form_spec("enterprise").section_of("major_accidents").key == "industrial"


def test_engineering_types_are_the_seed_list():
    field = form_spec("engineering").field("project_type")
    assert [v for v, _label in field.choices] == [
        "public_building",
        "municipal",
        "transport",
        "residential",
        "power",
        "other",
    ]
    printed = "".join(field.printed)
    for n, (_value, label) in enumerate(field.choices, start=1):
        assert f"{n}、{label}" in printed
    assert field.required_always
    assert form_spec("engineering").field("project_type_other").required_if == (
        "project_type",
        "other",
    )


def test_required_always_fields():
    assert form_spec("product").field("product_model").required_always
    assert form_spec("engineering").field("project_type").required_always
    assert form_spec("service").field("service_name").required_always
    assert form_spec("confirmation").field("categories").multiple


def test_numbers_titles_and_data_years():
    lines = seed_lines()
    for code, spec in FORMS.items():
        block = form_block(code)
        assert (spec.printed_number or spec.number) == block[0].strip()
        titles = [norm(x) for x in block[1:6] if norm(x)]
        assert tuple(titles[: len(spec.printed_title)]) == spec.printed_title
        if spec.data_note:
            assert spec.data_note_for() in "".join(norm(x) for x in block)
    assert form_spec("engineering").number == "附件4-4"
    assert form_spec("service").printed_data_year == 2016
    assert (
        form_spec("confirmation").title_for(2018)
        == "申报2018年广州市实施用户满意工程先进单位 活动确认表"
    )
    assert "申报2018年广州市实施用户满意工程先进单位" in lines


def seed_notes(code: str) -> list[str]:
    block = form_block(code)
    start = next(i for i, line in enumerate(block) if line.strip().startswith("填表说明"))
    return [
        m.group(1) for line in block[start + 1 :] if (m := re.match(r"^\d+、(.+)$", line.strip()))
    ]


@pytest.mark.parametrize("code", ["brand", "enterprise", "product", "engineering", "service"])
def test_notes_are_the_seeds(code):
    assert [str(n) for n in form_spec(code).notes] == seed_notes(code)


def test_confirmation_notes_are_the_committees_contact():
    text = "".join(re.sub(r"\s+", "", x) for x in form_block("confirmation"))
    for note in form_spec("confirmation").notes:
        assert re.sub(r"\s+", "", str(note)) in text, note


def seed_materials(code: str) -> list[str]:
    block = form_block(code)
    start = next(i for i, line in enumerate(block) if "请附以下材料" in line)
    items = []
    for line in block[start + 1 :]:
        if line.strip().startswith("填表说明"):
            break
        if m := re.match(r"^\d、(.+?)[；。]$", line.strip()):
            items.append(m.group(1))
    return items


@pytest.mark.parametrize("code", ["brand", "enterprise", "product", "engineering", "service"])
def test_materials_are_the_seeds(code):
    spec = form_spec(code)
    assert [m.printed_for(code) for m in spec.materials] == seed_materials(code)
    block_text = "".join(norm(x) for x in form_block(code))
    assert MATERIALS_GUIDANCE in block_text
    assert spec.materials_title in block_text
    for evidence in EVIDENCE[code]:
        assert norm(evidence.printed) in block_text


def test_materials_limits_and_ten_points():
    limits = {m.key: (m.min_chars, m.max_chars) for m in MATERIALS}
    assert limits == {
        "profile": (0, 200),
        "products": (0, 300),
        "measures": (2500, 3000),
        "outlook": (0, 200),
    }
    assert MATERIALS[1].title_for("brand") == "该品牌核定产品和经营服务项目"
    assert MATERIALS[1].title_for("service") == "主导产品（主要工程）和主要经营服务项目"
    assert len(TEN_POINTS) == 10
    assert TEN_POINTS[0] == "识别目标用户"
    assert TEN_POINTS[-1] == "客户关系管理"
    assert [e.kind for code in ("brand", "product") for e in EVIDENCE[code]] == [
        "trademark",
        "trademark",
    ]
    assert EVIDENCE["enterprise"][0].title == "工商企业注册登记执照复印件"
    assert EVIDENCE["engineering"][0].title == "省、自治区、直辖市优质工程文件、奖状复印件"
    appraisal = "".join(norm(x) for x in form_block("engineering"))
    for point in CLIENT_APPRAISAL_POINTS:
        assert point in appraisal


def test_confirmation_data_year_label():
    field = form_spec("confirmation").field("satisfaction_evaluation")
    assert field.label_for(2017) == "2017年开展用户满意评价情况"
    assert field.label_for(2020) == "2020年开展用户满意评价情况"
    assert "{" not in field.label_for(None)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("用户满意ISO9000认证2017年", 9),
        ("", 0),
        (None, 0),
        ("  \n\t\u3000", 0),
        ("用户满意。", 5),
        ("“用户满意”，", 7),
        ("GB/T 19010", 2),
        ("增长3.5%", 4),
        ("销售额1,000万元", 6),
        ("ISO-9001 认证", 3),
        ("ｉｓｏ９０００认证", 3),
        ("e-mail与QQ", 3),
        ("用户\u200b满意", 4),
        ("A, B", 3),
    ],
)
def test_count_chars(text, count):
    assert count_chars(text) == count
