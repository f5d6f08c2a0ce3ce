"""The standard item bank (标准题库): the questions every questionnaire is built from.

One SCORE item per indicator of the `china`, `acsi` and `ecsi` presets, worded as a respondent
hears it, plus the screening, complaint and open questions. An item's code is the indicator's
name, except where two presets use one name for different things (ECSI's ``value1`` is the
price given the quality, China's the quality given the price): the second meaning gets its own
item, ``<indicator>_<what it asks>``, whose ``indicator`` is still the column it fills. So a
data set is built from each question's ``indicator``, never from its code.

ACSI's ``complaint1`` is not a 1–10 score: whether a customer complained is the yes/no item
``complaint`` (it feeds the complaint rate), so no ACSI questionnaire can be scored.

The wording is data in both languages (``text_zh`` / ``text_en``), stored as it is: it is not
passed through gettext, which would store whichever language the loading person reads.
"""

from dataclasses import dataclass
from functools import cache

from django.db import transaction

from manyi.common.services import log_activity
from manyi.fieldwork.access import MANAGE_QUESTIONNAIRES
from manyi.fieldwork.models import Item, ItemKind, ItemPurpose

ALL_MODELS = ("china", "acsi", "ecsi")
# Models a questionnaire may use: those whose every indicator the bank measures with a score.
QUESTIONNAIRE_MODELS = ("china", "ecsi")
# Indicators that are not asked as a score (see the module's docstring).
NOT_SCORED = {("acsi", "complaint1")}

SCREEN_CODES = ("screen_customer", "screen_used")
CLOSING_CODES = ("complaint", "complaint_text", "suggestion")

# Scale anchors: (low zh, high zh, low en, high en).
SATISFIED = ("非常不满意", "非常满意", "Very dissatisfied", "Very satisfied")
GOOD = ("非常差", "非常好", "Very poor", "Very good")
HIGH = ("非常低", "非常高", "Very low", "Very high")
LIKELY = ("非常不可能", "非常可能", "Very unlikely", "Very likely")
AGREE = ("非常不同意", "非常同意", "Strongly disagree", "Strongly agree")
MEETS = ("完全不能满足", "完全能满足", "Not at all", "Completely")
RELIABLE = ("非常不可靠", "非常可靠", "Very unreliable", "Very reliable")
REASONABLE = ("非常不合理", "非常合理", "Very unreasonable", "Very reasonable")
NONE = ("", "", "", "")


@dataclass(frozen=True)
class BankItem:
    code: str
    kind: str
    purpose: str
    zh: str
    en: str
    anchors: tuple = NONE
    indicator: str = ""
    models: tuple = ()  # the presets whose `indicator` this item measures

    def fields(self) -> dict:
        low_zh, high_zh, low_en, high_en = self.anchors
        return {
            "kind": self.kind,
            "purpose": self.purpose,
            "text_zh": self.zh,
            "text_en": self.en,
            "indicator": self.indicator,
            "scale_min": 1,
            "scale_max": 10,
            "allows_unknown": self.kind == ItemKind.SCORE,
            "anchor_low_zh": low_zh,
            "anchor_high_zh": high_zh,
            "anchor_low_en": low_en,
            "anchor_high_en": high_en,
        }


def _score(code, zh, en, anchors, models, indicator=""):
    return BankItem(
        code, ItemKind.SCORE, ItemPurpose.MODEL, zh, en, anchors, indicator or code, models
    )


CHINA_ACSI_ECSI = ("china", "acsi", "ecsi")
CHINA_ACSI = ("china", "acsi")
BEFORE = "在购买或使用之前，"
BEFORE_EN = "Before you bought or used it, "
USED = "根据您的实际使用经历，"
USED_EN = "From your own experience, "

# Quality given the price / price given the quality: China and ACSI number them 1, 2; ECSI 2, 1.
QUALITY_FOR_PRICE = (
    "考虑到您支付的价格，您如何评价该企业产品或服务的质量？",
    "Considering the price you paid, how would you rate the quality of this company's products "
    "or services?",
)
PRICE_FOR_QUALITY = (
    "考虑到该企业产品或服务的质量，您认为它的价格是否合理？",
    "Considering the quality of this company's products or services, how reasonable is the price?",
)
RECOMMEND = (
    "您向亲友或同行推荐该企业产品或服务的可能性有多大？",
    "How likely are you to recommend this company's products or services to friends or peers?",
)
PRICE_TOLERANCE = (
    "如果该企业产品或服务的价格有所上涨，您仍然继续购买（使用）的可能性有多大？",
    "If the price of this company's products or services went up, how likely would you be to "
    "keep buying (using) them?",
)


def _agree(statement_zh, statement_en):
    return (
        f"“{statement_zh}”，您在多大程度上同意这一说法？",
        f'How far do you agree: "{statement_en}"?',
    )


BANK: tuple[BankItem, ...] = (
    # Screening: "yes" goes on; a "no" ends the questionnaire.
    BankItem(
        "screen_customer",
        ItemKind.YES_NO,
        ItemPurpose.SCREEN,
        "您（贵单位）是否为该企业的用户？",
        "Are you (is your organisation) a customer of this company?",
    ),
    BankItem(
        "screen_used",
        ItemKind.YES_NO,
        ItemPurpose.SCREEN,
        "在数据年度内，您是否购买或使用过该企业的产品、服务或工程项目？",
        "During the data year, did you buy or use this company's products, services or "
        "construction projects?",
    ),
    # Image
    _score(
        "image1",
        "您如何评价该企业（品牌）的总体形象？",
        "How would you rate the overall image of this company (brand)?",
        GOOD,
        ("china",),
    ),
    _score(
        "image2",
        "与同类企业相比，该企业（品牌）的特征是否鲜明、容易识别？",
        "Compared with similar companies, how distinctive and recognisable is this company "
        "(brand)?",
        ("一点也不鲜明", "非常鲜明", "Not at all distinctive", "Very distinctive"),
        ("china",),
    ),
    _score(
        "image1_trust",
        *_agree("该企业值得信赖", "This company is trustworthy"),
        AGREE,
        ("ecsi",),
        "image1",
    ),
    _score(
        "image2_stable",
        *_agree("该企业经营稳健、根基牢固", "This company is stable and well established"),
        AGREE,
        ("ecsi",),
        "image2",
    ),
    _score(
        "image3",
        *_agree("该企业对社会有贡献", "This company contributes to society"),
        AGREE,
        ("ecsi",),
    ),
    _score(
        "image4",
        *_agree("该企业关心顾客", "This company cares about its customers"),
        AGREE,
        ("ecsi",),
    ),
    _score(
        "image5",
        *_agree("该企业勇于创新、着眼未来", "This company is innovative and looks to the future"),
        AGREE,
        ("ecsi",),
    ),
    # Expectations: asked about the time before the customer bought or used it.
    _score(
        "expect1",
        BEFORE + "您对该企业产品或服务总体质量的期望有多高？",
        BEFORE_EN + "how high were your expectations of the overall quality of this company's "
        "products or services?",
        HIGH,
        CHINA_ACSI_ECSI,
    ),
    _score(
        "expect2",
        BEFORE + "您预期该企业的产品或服务能在多大程度上满足您的个性化需求？",
        BEFORE_EN + "how far did you expect this company's products or services to meet your "
        "own particular needs?",
        MEETS,
        CHINA_ACSI_ECSI,
    ),
    _score(
        "expect3",
        BEFORE + "您预期该企业产品或服务的可靠程度如何？",
        BEFORE_EN + "how reliable did you expect this company's products or services to be?",
        RELIABLE,
        CHINA_ACSI_ECSI,
    ),
    # Perceived quality: asked about the customer's own experience.
    _score(
        "quality1",
        USED + "您如何评价该企业产品或服务的总体质量？",
        USED_EN + "how would you rate the overall quality of this company's products or services?",
        GOOD,
        CHINA_ACSI_ECSI,
    ),
    _score(
        "quality2",
        USED + "该企业的产品或服务在多大程度上满足了您的个性化需求？",
        USED_EN + "how far have this company's products or services met your own particular needs?",
        MEETS,
        CHINA_ACSI,
    ),
    _score(
        "quality3",
        USED + "您如何评价该企业产品或服务的可靠性？",
        USED_EN + "how reliable have this company's products or services been?",
        RELIABLE,
        CHINA_ACSI,
    ),
    _score(
        "quality2_technical",
        USED + "您如何评价该企业产品或服务的技术质量？",
        USED_EN + "how would you rate the technical quality of this company's products or "
        "services?",
        GOOD,
        ("ecsi",),
        "quality2",
    ),
    _score(
        "quality3_service",
        "您如何评价该企业提供的客户服务和咨询？",
        "How would you rate the customer service and advice this company gives?",
        GOOD,
        ("ecsi",),
        "quality3",
    ),
    _score(
        "quality4",
        "您如何评价您所使用的该企业服务的质量？",
        "How would you rate the quality of the services of this company that you used?",
        GOOD,
        ("ecsi",),
    ),
    _score(
        "quality5",
        USED + "您如何评价该企业产品和服务的可靠性？",
        USED_EN + "how reliable have this company's products and services been?",
        RELIABLE,
        ("ecsi",),
    ),
    # Value
    _score("value1", *QUALITY_FOR_PRICE, GOOD, CHINA_ACSI),
    _score("value2", *PRICE_FOR_QUALITY, REASONABLE, CHINA_ACSI),
    _score("value1_price", *PRICE_FOR_QUALITY, REASONABLE, ("ecsi",), "value1"),
    _score("value2_quality", *QUALITY_FOR_PRICE, GOOD, ("ecsi",), "value2"),
    # Satisfaction
    _score(
        "sat1",
        "综合考虑，您对该企业的产品或服务总体上是否满意？",
        "All things considered, how satisfied are you overall with this company's products or "
        "services?",
        SATISFIED,
        CHINA_ACSI_ECSI,
    ),
    _score(
        "sat2",
        "与您购买或使用前的期望相比，该企业的产品或服务表现如何？",
        "Compared with what you expected before buying or using them, how have this company's "
        "products or services turned out?",
        ("远低于期望", "远超过期望", "Far below expectations", "Far above expectations"),
        CHINA_ACSI_ECSI,
    ),
    _score(
        "sat3",
        "与您心目中理想的产品或服务相比，该企业的产品或服务有多接近？",
        "Compared with the ideal product or service you have in mind, how close do this "
        "company's products or services come?",
        ("相差很远", "非常接近", "Very far from it", "Very close to it"),
        CHINA_ACSI_ECSI,
    ),
    _score(
        "sat4",
        "与同类企业相比，您对该企业产品或服务的满意程度如何？",
        "Compared with similar companies, how satisfied are you with this company's products or "
        "services?",
        ("差很多", "好很多", "Much less satisfied", "Much more satisfied"),
        ("china",),
    ),
    # Loyalty: the likelihood of buying again, recommending, and keeping on at a higher price.
    _score(
        "loyal1",
        "如果再有需要，您再次购买（使用）该企业产品或服务的可能性有多大？",
        "If the need arose again, how likely are you to buy (use) this company's products or "
        "services again?",
        LIKELY,
        CHINA_ACSI_ECSI,
    ),
    _score("loyal2", *RECOMMEND, LIKELY, ("china",)),
    _score("loyal3", *PRICE_TOLERANCE, LIKELY, ("china",)),
    _score("loyal2_price", *PRICE_TOLERANCE, LIKELY, ("acsi", "ecsi"), "loyal2"),
    _score("loyal3_recommend", *RECOMMEND, LIKELY, ("ecsi",), "loyal3"),
    # Complaints: a yes/no question (the complaint rate) and what the complaint was about.
    BankItem(
        "complaint",
        ItemKind.YES_NO,
        ItemPurpose.COMPLAINT,
        "过去一年中，您是否向该企业投诉过？",
        "In the past year, have you made a complaint to this company?",
    ),
    BankItem(
        "complaint_text",
        ItemKind.TEXT,
        ItemPurpose.COMPLAINT,
        "如投诉过，请简要说明投诉的内容及处理情况。",
        "If you have, please describe briefly what the complaint was about and how it was handled.",
    ),
    BankItem(
        "suggestion",
        ItemKind.TEXT,
        ItemPurpose.OPEN,
        "您对该企业还有哪些意见和建议？",
        "Do you have any other comments or suggestions for this company?",
    ),
)
BY_CODE = {b.code: b for b in BANK}


@cache
def model_indicators(model_name: str) -> tuple[str, ...]:
    """A preset's indicators in block order (the engine is imported only when asked)."""
    from manyi.measurement import load_preset

    blocks = load_preset(model_name).to_dict()["blocks"]
    return tuple(indicator for block in blocks.values() for indicator in block)


@cache
def indicator_labels(model_name: str) -> dict[str, dict[str, str]]:
    """``{indicator: {"zh": …, "en": …}}`` of a preset, for messages and the item form."""
    from manyi.measurement import load_preset

    spec = load_preset(model_name).to_dict()
    zh, en = spec.get("labels", {}), spec.get("labels_en", {})
    return {i: {"zh": zh.get(i, i), "en": en.get(i, i)} for i in model_indicators(model_name)}


def scored_indicators(model_name: str) -> tuple[str, ...]:
    return tuple(i for i in model_indicators(model_name) if (model_name, i) not in NOT_SCORED)


def all_indicators() -> list[str]:
    """Every indicator an item may measure, each once, in the presets' order."""
    return list(dict.fromkeys(i for m in ALL_MODELS for i in scored_indicators(m)))


def model_codes(model_name: str) -> list[str]:
    """The bank's item code for each scored indicator of a model, in the model's order."""
    by_indicator = {b.indicator: b.code for b in BANK if model_name in b.models}
    return [by_indicator[i] for i in scored_indicators(model_name)]


def missing_codes() -> list[str]:
    """Codes of the standard bank not (yet) in the item table."""
    present = set(Item.objects.filter(code__in=BY_CODE).values_list("code", flat=True))
    return [code for code in BY_CODE if code not in present]


def load_default_bank(*, by) -> list[str]:
    """Create the standard items that are missing, by code; existing items are left as they
    are (staff may have reworded a draft's item, and published versions keep their copy).

    Side effects: the missing items created; one activity-log entry `item_bank.load` when any
    was. Returns the codes created.
    """
    MANAGE_QUESTIONNAIRES.require(by, None)
    with transaction.atomic():
        missing = missing_codes()
        created = [Item(code=code, **BY_CODE[code].fields()) for code in missing]
        # ignore_conflicts: a second person loading at the same moment adds nothing twice.
        Item.objects.bulk_create(created, ignore_conflicts=True)
        if created:
            log_activity(
                actor=by,
                action="item_bank.load",
                after={"created": [item.code for item in created]},
            )
    return missing
