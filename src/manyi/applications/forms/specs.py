"""The measures' forms as data: 附件2 (活动确认表) and 附件4-1 … 4-5 (the five application forms).

Every cell of the printed field tables is a `Field` here, grouped in `Section`s as the tables
group them, so the web form (`form_builder`), the checks (`form_validation`) and the PDF all
come from one description. Keys are stable English names: they are the JSON keys of the stored
form data and must never be renamed. Labels are the measures' wording with the whitespace inside
the printed cells removed ("联 系 人" → "联系人"); where a label is printed across several
cells (固定资产（万元） 原值 / 净值) the label is a readable combination and `printed` keeps the
fragments exactly as printed, so the tests can find every one of them in the measures.

Pure data: nothing from Django but ``gettext_lazy`` (the source strings are the measures' Chinese).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

KINDS = frozenset(
    {
        "text",
        "textarea",
        "int",
        "decimal",
        "percent",
        "date",
        "year",
        "phone",
        "mobile",
        "postcode",
        "email",
        "choice",
        "yesno",
    }
)

TEXT_MAX = 100
NAME_MAX = 200
TEXTAREA_MAX = 2000

# The largest value a number field takes, by its unit, unless the field says otherwise
# (``max_value``): far above any real enterprise (万元: one trillion yuan), low enough that a
# typing slip (元 typed as 万元, "1e99") is caught before it is printed on a form.
UNIT_MAX = {
    "万元": 10**8,
    "元": 10**9,
    "元／人": 10**8,
    "平方米": 10**8,
    "人": 10**7,
    "人次": 10**10,
    "次": 10**8,
    "个": 10**7,
    "台件": 10**12,
    "%": 100,
}
NUMBER_MAX = 10**12
# Decimal places a decimal field keeps (万元 to four places is one yuan).
DECIMAL_PLACES = 4


@dataclass(frozen=True)
class Field:
    """One cell of a printed form.

    - ``unit``: as printed (万元, 元／人, %, 台件, 平方米, 元); for counts the measures print without a
      unit (人, 次, 人次, 个) the unit is given with ``unit_printed=False``, so the web form can
      show it while the PDF prints the cell as the measures does.
    - ``required_always``: may never be left empty, not even with a stated reason.
    - ``group``: the printed rows a field belongs to when its label repeats within the form
      (两行"年产量（台件）": 主导产品 / 其它批量产品); shown before the label on screen.
    - ``required_if``: (other key, value): only asked when that field has that value.
    - ``at_most`` / ``at_least``: key of a field this value may not exceed / fall below
      (固定资产净值 ≤ 原值, 验收日期 ≥ 竣工日期).
    - ``check``: name of a rule of `form_validation` beyond the kind's format check
      ("single_model", "specific_service", "years").
    - ``max_value``: the largest number a number field takes; by default by its unit
      (`UNIT_MAX`), see `upper_bound`.
    - ``on_paper``: False for fields the measures does not print (其它工程类别).
    - ``prefill``: the organisation's profile field the form starts from;
      ``prefill_from_confirmation``: the key of the applicant's 附件2 it starts from when the
      profile has no such field (注册商标).
    """

    key: str
    label: str
    kind: str = "text"
    unit: str = ""
    unit_printed: bool = True
    required_always: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    multiple: bool = False
    prefill: str = ""
    prefill_from_confirmation: str = ""
    help: str = ""
    max_length: int | None = None
    printed: tuple[str, ...] = ()
    group: str = ""
    required_if: tuple[str, str] | None = None
    at_most: str = ""
    at_least: str = ""
    check: str = ""
    on_paper: bool = True
    max_value: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r} for {self.key}")
        if self.kind in ("choice", "yesno") and not self.choices:
            raise ValueError(f"{self.key}: a {self.kind} field needs choices")

    def label_for(self, data_year: int | None = None) -> str:
        """The label with the campaign's data year put in ("{data_year}年开展…" → "2017年开展…")."""
        label = str(self.label)
        if "{data_year}" not in label:
            return label
        if data_year is None:
            # The Chinese label says "{data_year}年…"; other languages put the year elsewhere.
            return label.replace("{data_year}年", str(_("上年度"))).replace(
                "{data_year}", str(_("上年度"))
            )
        return label.replace("{data_year}", str(data_year))

    def display_label(self, data_year: int | None = None) -> str:
        """The label as the screen shows it: with its group where the label repeats."""
        label = self.label_for(data_year)
        group = str(self.group)
        if group and group not in label:
            return f"{group} · {label}"
        return label

    def label_with_unit(self, data_year: int | None = None) -> str:
        label = self.display_label(data_year)
        return f"{label}（{self.unit}）" if self.unit else label

    @property
    def upper_bound(self) -> int | None:
        """The largest value of a number field (int, decimal, percent); None for others."""
        if self.kind not in ("int", "decimal", "percent"):
            return None
        if self.max_value is not None:
            return self.max_value
        if self.kind == "percent":
            return 100
        return UNIT_MAX.get(self.unit, NUMBER_MAX)

    @property
    def text_limit(self) -> int | None:
        if self.max_length is not None:
            return self.max_length
        if self.kind == "textarea":
            return TEXTAREA_MAX
        if self.kind == "text":
            return TEXT_MAX
        return None


@dataclass(frozen=True)
class Section:
    """A block of a printed table. Optional sections are the trade blocks of the brand and
    enterprise forms (工业企业填写 …): the applicant fills those that fit its trade."""

    key: str
    title: str
    fields: tuple[Field, ...]
    optional: bool = False
    trade: str = ""  # accounts.roles.Trade value, for optional sections
    printed: tuple[str, ...] = ()  # the title's fragments as printed; empty when not printed


@dataclass(frozen=True)
class Material:
    """One of the four texts of 请附以下材料 (企业实施用户满意工程情况介绍).

    ``key`` is the attribute of `Application` that holds the text. Limits count characters with
    `count_chars`; 0 means no limit.
    """

    key: str
    number: int
    title: str
    limit_text: str  # as printed after the title: "200字", "2500-3000字"
    min_chars: int = 0
    max_chars: int = 0
    brand_title: str = ""  # the brand form (附件4-1) words item 2 differently

    def title_for(self, code: str) -> str:
        if code == "brand" and self.brand_title:
            return str(self.brand_title)
        return str(self.title)

    def printed_for(self, code: str) -> str:
        """The item as printed, e.g. "企业概况（200字）"."""
        return f"{self.title_for(code)}（{self.limit_text}）"


@dataclass(frozen=True)
class Evidence:
    """A copy the measures ask for with the form (另请提供…复印件). ``kind`` matches
    `models.AttachmentKind`."""

    kind: str
    title: str
    printed: str


@dataclass(frozen=True)
class FormSpec:
    code: str
    number: str
    title: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()  # 填表说明, each item as printed without its "1、" number
    printed_number: str = ""  # where the measures print the number differently (附表4-4)
    printed_title: tuple[str, ...] = ()
    # "以上栏目由企业据实填报，以{data_year}年度数据为准。" and the year the measures print.
    data_note: str = ""
    printed_data_year: int | None = None
    seal: str = ""  # where the seal goes, as printed
    materials_title: str = ""
    materials: tuple[Material, ...] = ()
    materials_guidance: str = ""
    evidence: tuple[Evidence, ...] = ()

    @property
    def trade_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.optional)

    @property
    def has_trade_sections(self) -> bool:
        return any(s.optional for s in self.sections)

    def active_sections(self, chosen_trades=None) -> tuple[Section, ...]:
        """The general sections and the chosen trade sections; all of them when ``None``."""
        if chosen_trades is None:
            return self.sections
        chosen = set(chosen_trades)
        return tuple(s for s in self.sections if not s.optional or s.trade in chosen)

    def field(self, key: str) -> Field:
        for section in self.sections:
            for field in section.fields:
                if field.key == key:
                    return field
        raise KeyError(key)

    def section_of(self, key: str) -> Section:
        for section in self.sections:
            if any(f.key == key for f in section.fields):
                return section
        raise KeyError(key)

    def title_for(self, year: int | None = None) -> str:
        title = str(self.title)
        return title.format(year=year) if "{year}" in title and year is not None else title

    def data_note_for(self, data_year: int | None = None) -> str:
        year = data_year if data_year is not None else self.printed_data_year
        return str(self.data_note).format(data_year=year) if self.data_note else ""


# --- helpers -------------------------------------------------------------------------------


def F(key: str, label, kind: str = "text", **kw) -> Field:
    """Short on purpose: the specs below read like the printed tables, one row per field."""
    return Field(key=key, label=label, kind=kind, **kw)


YES_NO = (("yes", _("是")), ("no", _("否")))
HAVE_NO = (("yes", _("有")), ("no", _("否")))  # 贯彻ISO9000标准，有（ ）否（ ）
HAVE_NONE = (("yes", _("有")), ("no", _("无")))  # 三年内有无…

CATEGORY_CHOICES = (
    ("brand", _("用户满意品牌")),
    ("enterprise", _("用户满意企业")),
    ("product", _("用户满意产品")),
    ("engineering", _("用户满意工程")),
    ("service", _("用户满意服务")),
)

# 工程类别, in the printed order: 1、公共建筑；2、市政工程；3、交通工程；4、住宅工程；5、电力工程；6、其它
ENGINEERING_TYPES = (
    ("public_building", _("公共建筑")),
    ("municipal", _("市政工程")),
    ("transport", _("交通工程")),
    ("residential", _("住宅工程")),
    ("power", _("电力工程")),
    ("other", _("其它")),
)

TRADE_TITLES = {
    "industrial": _("工业企业填写"),
    "engineering": _("工程企业填写"),
    "service": _("服务企业填写"),
}


def _enterprise_name(printed: tuple[str, ...] = ("企业名称（公章）",)) -> Field:
    """企业名称: the application forms print it above the table as "企业名称（公章）："."""
    return F(
        "name",
        _("企业名称"),
        required_always=True,
        prefill="name",
        max_length=NAME_MAX,
        printed=printed,
        help=_("与营业执照一致"),
    )


def _contact_block(*, phone_label, phone_printed: str, with_fax_first: bool) -> tuple[Field, ...]:
    """The contact rows every application form opens with (the order differs: 4-1/4-2 print
    传真 after 手机, 4-3 … 4-5 print it after E-mail)."""
    fax = F("fax", _("传真"), "phone", prefill="fax", printed=("传真",))
    head = (
        _enterprise_name(),
        F("legal_representative", _("法定代表人姓名"), prefill="legal_representative"),
        F("contact_department", _("负责申报部门名称"), prefill="contact_department"),
        F("contact_person", _("申报联系人"), prefill="contact_person"),
        F("contact_title", _("联系人职务"), prefill="contact_title"),
        F("phone", phone_label, "phone", prefill="phone", printed=(phone_printed,)),
        F("mobile", _("手机"), "mobile", prefill="contact_mobile"),
    )
    address = (
        F("address", _("通信地址"), prefill="address", max_length=NAME_MAX),
        F("postcode", _("邮编"), "postcode", prefill="postcode"),
        F("email", _("E-mail"), "email", prefill="email"),
    )
    if with_fax_first:
        return (*head, fax, *address)
    return (*head, *address, fax)


def _economics() -> tuple[Field, ...]:
    """职工人数 … 获得年份 of the brand and enterprise forms."""
    return (
        F(
            "employees",
            _("职工人数"),
            "int",
            unit="人",
            unit_printed=False,
            prefill="employees",
        ),
        F(
            "labour_productivity",
            _("全员劳产率"),
            "decimal",
            unit="元／人",
            printed=("全员劳产率", "元／人"),
        ),
        F(
            "fixed_assets_original",
            _("固定资产原值"),
            "decimal",
            unit="万元",
            printed=("固定资产", "（万元）", "原值"),
        ),
        F(
            "fixed_assets_net",
            _("固定资产净值"),
            "decimal",
            unit="万元",
            printed=("固定资产", "（万元）", "净值"),
            at_most="fixed_assets_original",
        ),
        F("annual_sales", _("年销售额"), "decimal", unit="万元"),
        F("profit_tax", _("实现利税"), "decimal", unit="万元"),
        F("forex", _("创汇"), "decimal", unit="万元"),
        F(
            "titles_obtained",
            _("已获得的满意称号"),
            "textarea",
            max_length=500,
            help=_("多项请分行填写"),
        ),
        F(
            "titles_years",
            _("获得年份"),
            max_length=200,
            help=_("与满意称号逐项对应，例如 2015、2016"),
            check="years",
        ),
    )


def _quality_record() -> tuple[Field, ...]:
    return (
        F(
            "national_inspections_passed",
            _("国家抽检合格次数"),
            "int",
            unit="次",
            unit_printed=False,
        ),
        F(
            "major_accidents",
            _("三年内有无重大安全、质量事故"),
            "yesno",
            choices=HAVE_NONE,
        ),
    )


def _industrial(*, main_label, main_group, with_quality: bool) -> Section:
    other_group = _("其它批量产品")

    def rows(prefix: str, name_field: Field, group) -> tuple[Field, ...]:
        return (
            name_field,
            F(f"{prefix}_output", _("年产量"), "int", unit="台件", group=group),
            F(f"{prefix}_sales_volume", _("年销售量"), "int", unit="台件", group=group),
            F(f"{prefix}_market_share", _("国内市场占有率"), "percent", unit="%", group=group),
        )

    fields = (
        *(_quality_record() if with_quality else ()),
        F("returns_per_year", _("年处理退赔次数"), "int", unit="次", unit_printed=False),
        F("warranty_repair_rate", _("保修期返修率"), "percent", unit="%"),
        *rows(
            "main_product",
            F("main_product_name", main_label, group=main_group, max_length=NAME_MAX),
            main_group,
        ),
        *rows(
            "other_product",
            F(
                "other_product_name",
                _("其它批量产品名称"),
                group=other_group,
                max_length=NAME_MAX,
            ),
            other_group,
        ),
    )
    return Section(
        "industrial",
        TRADE_TITLES["industrial"],
        fields,
        optional=True,
        trade="industrial",
        printed=("工业企业填写",),
    )


def _engineering_trade() -> Section:
    def rows(prefix: str, name_label, group) -> tuple[Field, ...]:
        return (
            F(f"{prefix}_name", name_label, group=group, max_length=NAME_MAX),
            F(f"{prefix}_floor_area", _("工程建筑面积"), "decimal", unit="平方米", group=group),
            F(f"{prefix}_cost", _("工程造价"), "decimal", unit="万元", group=group),
            F(
                f"{prefix}_period",
                _("工程建设时间"),
                group=group,
                help=_("例如 2015年3月至2017年6月"),
            ),
        )

    return Section(
        "engineering",
        TRADE_TITLES["engineering"],
        (
            *rows("main_project", _("主要工程名称"), _("主要工程")),
            *rows("other_project", _("其它工程名称"), _("其它工程")),
        ),
        optional=True,
        trade="engineering",
        printed=("工程企业填写",),
    )


def _service_trade(*, main_label, main_group) -> Section:
    other_group = _("其它服务项目")

    def rows(prefix: str, name_label, group) -> tuple[Field, ...]:
        return (
            F(f"{prefix}_name", name_label, group=group, max_length=NAME_MAX),
            F(f"{prefix}_sales", _("年销售额"), "decimal", unit="万元", group=group),
            F(
                f"{prefix}_visitors",
                _("年接待人次"),
                "int",
                unit="人次",
                unit_printed=False,
                group=group,
            ),
            F(f"{prefix}_profit_tax", _("年税利"), "decimal", unit="万元", group=group),
        )

    return Section(
        "service",
        TRADE_TITLES["service"],
        (
            F(
                "service_returns_per_year",
                _("年处理退赔次数"),
                "int",
                unit="次",
                unit_printed=False,
            ),
            F("complaints_per_year", _("年接待投诉次数"), "int", unit="次", unit_printed=False),
            *rows("main_service", main_label, main_group),
            *rows("other_service", _("其它服务项目名称"), other_group),
        ),
        optional=True,
        trade="service",
        printed=("服务企业填写",),
    )


def _general(fields: tuple[Field, ...]) -> Section:
    return Section("enterprise", _("企业基本情况"), fields)


# --- 请附以下材料 ----------------------------------------------------------------------------

MATERIALS_TITLE = "请附以下材料：(企业实施用户满意工程情况介绍)"

# 3、实施用户满意工程的主要目标、措施和经验: the ten points, in the printed order.
TEN_POINTS = (
    "识别目标用户",
    "识别目标用户的需求",
    "研发设计",
    "生产过程控制",
    "交付和售后服务",
    "投诉处理方法",
    "用户满意度监视及测量",
    "利用测量结果所实施的改进情况",
    "客户信息管理",
    "客户关系管理",
)

MATERIALS_GUIDANCE = (
    "（重点描述从把握用户需求到实现用户满意所采用的战略层面、管理层面、现场操作层面的理念、方法等，包括"
    + "".join(f"{n}）{point}" for n, point in enumerate(TEN_POINTS, start=1))
    + "等。）"
)
MATERIALS_CLOSING = "全文抓住重点、突出特色。"

MATERIALS: tuple[Material, ...] = (
    Material("profile", 1, _("企业概况"), "200字", max_chars=200),
    Material(
        "products",
        2,
        _("主导产品（主要工程）和主要经营服务项目"),
        "300字",
        max_chars=300,
        brand_title=_("该品牌核定产品和经营服务项目"),
    ),
    Material(
        "measures",
        3,
        _("实施用户满意工程的主要目标、措施和经验"),
        "2500-3000字",
        min_chars=2500,
        max_chars=3000,
    ),
    Material("outlook", 4, _("成就和展望"), "200字", max_chars=200),
)


def materials_for(code: str) -> tuple[tuple[str, Material], ...]:
    """(title as this form prints it, material) for each of the four items."""
    return tuple((m.title_for(code), m) for m in MATERIALS)


TRADEMARK = Evidence(
    "trademark",
    _("商标注册批准文件复印件"),
    "另请提供商标（须经工商注册的批准文件复印件）",
)
EVIDENCE: dict[str, tuple[Evidence, ...]] = {
    "brand": (TRADEMARK,),
    "enterprise": (
        Evidence(
            "business_licence",
            _("工商企业注册登记执照复印件"),
            "另请提供工商企业注册登记执照复印件。",
        ),
    ),
    "product": (
        Evidence("trademark", _("商标注册批准文件复印件"), "商标须提供工商注册的批准文件复印件；"),
    ),
    "engineering": (
        Evidence(
            "award",
            _("省、自治区、直辖市优质工程文件、奖状复印件"),
            "（附省、自治区、直辖市优质工程文件、奖状复印件）",
        ),
    ),
    "service": (),
}

# 续表4-4: what the construction client (建设单位（用户）) appraises.
CLIENT_APPRAISAL_POINTS = (
    "工程质量",
    "施工服务",
    "工程设计的建设性意见",
    "后续维护",
    "总体评价",
    "改进建议",
)

DATA_NOTE = _("以上栏目由企业据实填报，以{data_year}年度数据为准。")

_NOTES_COMMON = (
    _("表格各种数据要如实填写，字迹工整清楚；"),
    _("不填之项要说明原因；"),
    _("格内填不下可另行附页；"),
)
_NOTE_TRADE = _("可根据本行业特点，选择相应项注明填写；")


_KIND_WORDS = {
    "brand": "品牌类",
    "enterprise": "企业类",
    "product": "产品类",
    "engineering": "工程类",
    "service": "服务类",
}


def _application(code, number, title, sections, notes, **kw) -> FormSpec:
    # The printed title is two lines: "…先进单位（品牌类）" and "申请表".
    printed_head = f"广州市实施用户满意工程先进单位（{_KIND_WORDS[code]}）"
    return FormSpec(
        code=code,
        number=number,
        title=title,
        sections=sections,
        notes=notes,
        printed_title=(printed_head, "申请表"),
        data_note=DATA_NOTE,
        printed_data_year=kw.pop("printed_data_year", 2017),
        seal="企业名称（公章）",
        materials_title=MATERIALS_TITLE,
        materials=MATERIALS,
        materials_guidance=MATERIALS_GUIDANCE,
        evidence=EVIDENCE[code],
        **kw,
    )


# --- 附件2 活动确认表 --------------------------------------------------------------------------

CONFIRMATION = FormSpec(
    code="confirmation",
    number="附件2",
    title=_("申报{year}年广州市实施用户满意工程先进单位 活动确认表"),
    printed_title=("申报2018年广州市实施用户满意工程先进单位", "活动确认表"),
    seal="（单位公章）",
    sections=(
        Section(
            "enterprise",
            _("企业基本情况"),
            (
                F(
                    "categories",
                    _("申报类别"),
                    "choice",
                    choices=CATEGORY_CHOICES,
                    multiple=True,
                    required_always=True,
                    printed=("用户满意品牌□用户满意企业□用户满意产品□用户满意工程□用户满意服务□",),
                    help=_("勾选本单位申报的类别，可多选"),
                ),
                _enterprise_name(printed=()),
                F("legal_representative", _("法人代表"), prefill="legal_representative"),
                F("address", _("联系地址"), prefill="address", max_length=NAME_MAX),
                F("postcode", _("邮政编码"), "postcode", prefill="postcode"),
                F("contact_department", _("联系部门"), prefill="contact_department"),
                F("contact_person", _("联系人"), prefill="contact_person", printed=("联系人",)),
                F("phone", _("办公电话"), "phone", prefill="phone"),
                F("mobile", _("手机"), "mobile", prefill="contact_mobile"),
                F("fax", _("传真"), "phone", prefill="fax"),
                F("email", _("E-mail"), "email", prefill="email"),
                F("main_products", _("主导产品"), max_length=NAME_MAX),
                F("trademark", _("注册商标")),
                F("main_services", _("主要服务项目"), max_length=NAME_MAX),
                F("ownership", _("所有制形式"), prefill="ownership"),
                F(
                    "employees",
                    _("职工人数"),
                    "int",
                    unit="人",
                    unit_printed=False,
                    prefill="employees",
                ),
                F("profit_tax", _("实现利税"), "decimal", unit="万元"),
                F("forex", _("创汇"), "decimal", unit="万元"),
                F(
                    "titles_obtained",
                    _("曾获得的满意称号"),
                    "textarea",
                    max_length=500,
                    help=_("多项请分行填写"),
                ),
                F(
                    "titles_years",
                    _("获得年份"),
                    max_length=200,
                    help=_("与满意称号逐项对应，例如 2015、2016"),
                    check="years",
                ),
            ),
        ),
        Section(
            "quality_management",
            _("企业质量管理情况"),
            (
                F(
                    "tqm",
                    _("已推行TQM"),
                    "yesno",
                    choices=YES_NO,
                    printed=("已推行TQM，是（）否（）",),
                ),
                F(
                    "iso9000",
                    _("贯彻ISO9000标准"),
                    "yesno",
                    choices=HAVE_NO,
                    printed=("贯彻ISO9000标准，有（）否（）",),
                ),
                F("certification_year", _("何年获得质量体系认证"), "year"),
                F(
                    "satisfaction_evaluation",
                    _("{data_year}年开展用户满意评价情况"),
                    "textarea",
                    printed=("2017年开展用户满意评价情况",),
                    help=_("开展用户满意度测量与评价的方式、范围和结果"),
                ),
            ),
            printed=("企业质量", "管理情况"),
        ),
        Section(
            "signature",
            _("负责人签字"),
            (
                F(
                    "signer",
                    _("负责人签字"),
                    required_always=True,
                    max_length=60,
                    help=_("由负责人签署；纸质表须加盖单位公章"),
                ),
                F(
                    "signed_on",
                    _("签字日期"),
                    "date",
                    required_always=True,
                    printed=("年月日",),
                ),
            ),
            printed=("负责人签字",),
        ),
    ),
    notes=(
        # The measures' 填表说明 under 附件2 is where to send the form: the committee's contact.
        _("联系人：龙建攀"),
        _("联系电话：020-83341934-807"),
        _("传真：020-83325475"),
        _("邮箱：GZZLXH@sina.com"),
        _("邮编：510110"),
        _("地址：广州市越秀区沿江中路313号康富来大厦1005房 广州市用户委员会"),
    ),
)

# --- 附件4-1 品牌类 --------------------------------------------------------------------------

BRAND = _application(
    "brand",
    "附件4-1",
    _("广州市实施用户满意工程先进单位（品牌类）申请表"),
    (
        _general(
            (
                *_contact_block(
                    phone_label=_("联系人电话"), phone_printed="联系人电话", with_fax_first=True
                ),
                F(
                    "brand_name",
                    _("申报品牌名称"),
                    required_always=True,
                    max_length=NAME_MAX,
                    # The brand applied for is, as a rule, the 注册商标 given in 附件2.
                    prefill_from_confirmation="trademark",
                ),
                *_economics(),
            )
        ),
        # In 4-1 these two sit in a row of their own above 工业企业填写 (its first cell is
        # empty, not part of the trade block), so every brand answers them.
        Section("quality", _("质量安全情况"), _quality_record()),
        _industrial(
            main_label=_("该品牌核定产品名称"),
            main_group=_("该品牌核定产品"),
            with_quality=False,
        ),
        _service_trade(main_label=_("该品牌核定服务项目名称"), main_group=_("该品牌核定服务项目")),
    ),
    (*_NOTES_COMMON, _NOTE_TRADE),
)

# --- 附件4-2 企业类 --------------------------------------------------------------------------

ENTERPRISE = _application(
    "enterprise",
    "附件4-2",
    _("广州市实施用户满意工程先进单位（企业类）申请表"),
    (
        _general(
            (
                *_contact_block(
                    phone_label=_("联系人电话"), phone_printed="联系人电话", with_fax_first=True
                ),
                *_economics(),
            )
        ),
        _industrial(main_label=_("主导产品名称"), main_group=_("主导产品"), with_quality=True),
        _engineering_trade(),
        _service_trade(main_label=_("主要服务项目名称"), main_group=_("主要服务项目")),
    ),
    (*_NOTES_COMMON, _NOTE_TRADE),
)

# --- 附件4-3 产品类 --------------------------------------------------------------------------

_CONTACT_345 = {
    "phone_label": _("联系人办公电话"),
    "phone_printed": "联系人办公电话",
    "with_fax_first": False,
}

PRODUCT = _application(
    "product",
    "附件4-3",
    _("广州市实施用户满意工程先进单位（产品类）申请表"),
    (
        _general(_contact_block(**_CONTACT_345)),
        Section(
            "product",
            _("被推荐产品基本情况"),
            (
                F("product_name", _("产品名称"), required_always=True, max_length=NAME_MAX),
                F(
                    "product_model",
                    _("产品型号及规格"),
                    required_always=True,
                    max_length=NAME_MAX,
                    check="single_model",
                    help=_("必须填写具体型号、规格；填写系列产品推荐无效"),
                ),
                F("trademark", _("商标名称"), prefill_from_confirmation="trademark"),
                F("market_share", _("国内市场占有率"), "percent", unit="%"),
                F("sales_volume", _("年销售量"), "int", unit="台件"),
                F("ex_factory_price", _("单位产品出厂价格"), "decimal", unit="元"),
                F(
                    "annual_sales",
                    _("年销售额"),
                    "decimal",
                    unit="万元",
                    unit_printed=False,
                    help=_("原表未印单位，请按万元填写"),
                ),
                F("forex", _("创汇"), "decimal", unit="万元"),
                F("quality_returns", _("质量退赔次数"), "int", unit="次", unit_printed=False),
                F("service_outlets", _("售后服务网点数"), "int", unit="个", unit_printed=False),
                F("service_staff", _("售后服务职工人数"), "int", unit="人", unit_printed=False),
                F(
                    "quality_awards",
                    _("获部、省以上质量奖励情况"),
                    "textarea",
                    printed=("获部、省以上", "质量奖励情况"),
                ),
            ),
            printed=("被推荐产品基本情况",),
        ),
    ),
    (
        _("商标须提供工商注册的批准文件复印件；"),
        _("产品必须填写型号、规格，填写系列产品推荐无效；"),
        *_NOTES_COMMON,
        _NOTE_TRADE,
    ),
)

# --- 附件4-4 工程类 (the measures print "附表4-4") ---------------------------------------------

ENGINEERING = _application(
    "engineering",
    "附件4-4",
    _("广州市实施用户满意工程先进单位（工程类）申请表"),
    (
        _general(_contact_block(**_CONTACT_345)),
        Section(
            "project",
            _("被推荐工程基本情况"),
            (
                F("project_name", _("工程名称"), required_always=True, max_length=NAME_MAX),
                F("project_budget", _("工程预算"), "decimal", unit="万元"),
                F(
                    "project_type",
                    _("工程类别"),
                    "choice",
                    choices=ENGINEERING_TYPES,
                    required_always=True,
                    printed=(
                        "1、公共建筑；2、市政工程；3、交通工程；4、住宅工程；5、电力工程；",
                        "6、其它",
                    ),
                ),
                F(
                    "project_type_other",
                    _("其它工程类别"),
                    required_if=("project_type", "other"),
                    on_paper=False,
                    help=_("工程类别选“其它”时填写"),
                ),
                F("client_name", _("建设单位（用户）名称"), max_length=NAME_MAX),
                F("floor_area", _("建筑面积"), "decimal", unit="平方米", unit_printed=False),
                F("completed_on", _("竣工日期"), "date"),
                F("accepted_on", _("验收日期"), "date", at_least="completed_on"),
                F("project_location", _("工程地点"), max_length=NAME_MAX),
                F("project_manager", _("项目负责人")),
                F("project_manager_phone", _("电话"), "phone", group=_("项目负责人")),
                F("project_address", _("联系地址"), max_length=NAME_MAX),
                F("project_postcode", _("邮编"), "postcode", group=_("联系地址")),
                F("designer", _("工程设计单位"), max_length=NAME_MAX),
                F("supervisor", _("工程监理单位"), max_length=NAME_MAX),
                F(
                    "quality_awards",
                    _("获地区、行业优质工程情况"),
                    "textarea",
                    printed=(
                        "获地区、行业",
                        "优质工程情况",
                        "（附省、自治区、直辖市优质工程文件、奖状复印件）",
                    ),
                    help=_("附省、自治区、直辖市优质工程文件、奖状复印件"),
                ),
            ),
            printed=("被推荐工程基本情况",),
        ),
    ),
    _NOTES_COMMON,
    printed_number="附表4-4",
)

# --- 附件4-5 服务类 --------------------------------------------------------------------------

SERVICE = _application(
    "service",
    "附件4-5",
    _("广州市实施用户满意工程先进单位（服务类）申请表"),
    (
        _general(_contact_block(**_CONTACT_345)),
        Section(
            "service",
            _("被推荐服务基本情况"),
            (
                F(
                    "service_name",
                    _("专项服务名称"),
                    required_always=True,
                    max_length=NAME_MAX,
                    check="specific_service",
                    help=_("填写企业的专项服务名称，不是企业的服务机构"),
                ),
                F("service_body", _("服务机构名称"), max_length=NAME_MAX),
                F("service_content", _("服务内容及标准"), "textarea"),
                F("service_manager", _("负责人")),
                F("service_phone", _("电话"), "phone", group=_("负责人")),
                F("service_address", _("办公地址"), max_length=NAME_MAX),
                F("service_postcode", _("邮编"), "postcode", group=_("办公地址")),
                F("complaints", _("用户投诉次数"), "int", unit="次", unit_printed=False),
                F("service_staff", _("服务职工人数"), "int", unit="人", unit_printed=False),
                F("persons_served", _("每年服务人次"), "int", unit="人次", unit_printed=False),
                F("service_norms", _("制定服务规范情况"), "textarea"),
            ),
            printed=("被推荐服务基本情况",),
        ),
    ),
    (
        _("申报服务应填写企业的专项服务名称（不是企业的服务机构），填写服务项目不清楚推荐无效；"),
        *_NOTES_COMMON,
    ),
    printed_data_year=2016,
)

FORMS: dict[str, FormSpec] = {
    spec.code: spec for spec in (CONFIRMATION, BRAND, ENTERPRISE, PRODUCT, ENGINEERING, SERVICE)
}
APPLICATION_CODES = ("brand", "enterprise", "product", "engineering", "service")


def form_spec(code: str) -> FormSpec:
    try:
        return FORMS[code]
    except KeyError:
        raise KeyError(f"no form spec {code!r}; known: {', '.join(FORMS)}") from None


def all_fields(spec: FormSpec, chosen_trades=None) -> tuple[Field, ...]:
    """Every field of the form, or of its active sections when ``chosen_trades`` is given."""
    return tuple(f for s in spec.active_sections(chosen_trades) for f in s.fields)


# --- counting 字 -----------------------------------------------------------------------------

_ALNUM = r"A-Za-z0-9\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A"  # with full-width Ａ-Ｚ, ０-９
# A word or number: letters and digits, possibly joined inside by . - / _ ' ’ (3.5, GB/T,
# ISO-9001, e-mail) or a thousands comma (1,000).
_WORD = rf"[{_ALNUM}]+(?:(?:[.\-/_'’]|,(?=\d{{3}}))[{_ALNUM}]+)*"
_TOKEN = re.compile(rf"{_WORD}|\S")


def count_chars(text: str | None) -> int:
    """Count 字 as a Chinese reader (and a word processor's 字数统计) does.

    - each Chinese character counts 1, and so does each punctuation mark, full-width (，。；：
      “”（）) or not, and each other symbol (%, ℃, ①);
    - a run of Latin letters and digits is one word or number and counts 1, also when joined
      inside by . - / _ ' or a thousands comma: "ISO9000", "2017", "3.5", "GB/T", "1,000";
    - whitespace (including the ideographic space) and invisible format characters do not count.

    "用户满意ISO9000认证2017年" → 用 户 满 意 ISO9000 认 证 2017 年 = 9.
    """
    if not text:
        return 0
    visible = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc") or c.isspace())
    return len(_TOKEN.findall(visible))
