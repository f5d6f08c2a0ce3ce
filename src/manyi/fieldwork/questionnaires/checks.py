"""What makes an item, and a questionnaire ready to publish (pure checks, no writes).

Each check returns the problems in the words staff are shown; the services raise them.
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

from manyi.common.punctuation import bracketed, is_chinese, join_words
from manyi.fieldwork.models import ItemKind, ItemPurpose
from manyi.fieldwork.questionnaires import bank

# A code becomes a form field (q_<code>) and a key of every stored answer: keep it plain.
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
ANCHOR_MAX = 40
TEXT_MAX = 500
# Kinds allowed for each purpose (why: `_kind_reason`).
KINDS_FOR_PURPOSE = {
    ItemPurpose.MODEL: (ItemKind.SCORE,),
    ItemPurpose.SCREEN: (ItemKind.YES_NO,),
    ItemPurpose.COMPLAINT: (ItemKind.YES_NO, ItemKind.TEXT),
    ItemPurpose.OPEN: (ItemKind.TEXT,),
}


def _kind_reason(purpose) -> str:
    reasons = {
        ItemPurpose.MODEL: _("模型指标题必须是评分题"),
        ItemPurpose.SCREEN: _("甄别问题必须是是否题（回答“是”方可继续作答）"),
        ItemPurpose.COMPLAINT: _("投诉题应为是否题或开放题：投诉按“是否投诉过”计算投诉率，不打分"),
        ItemPurpose.OPEN: _("意见建议题必须是开放题"),
    }
    return reasons[purpose]


def _scale_errors(values: dict) -> dict[str, list]:
    errors: dict[str, list] = {}
    low, high = values.get("scale_min"), values.get("scale_max")
    if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
        errors["scale_max"] = [_("量表范围应在 0 至 10 之间，且下限小于上限")]
    if not (values["anchor_low_zh"] and values["anchor_high_zh"]):
        errors["anchor_high_zh"] = [_("请填写最低分和最高分的含义")]
    return errors


def check_item(values: dict) -> dict[str, list]:
    """Problems of an item's fields, by field (empty when it may be saved). Clears the
    indicator of an item that measures none."""
    errors: dict[str, list] = {}
    if not CODE.match(values["code"]):
        errors["code"] = [_("题目代码只能由小写字母、数字和下划线组成，以字母开头，最多 40 个字符")]
    if values.get("purpose") not in ItemPurpose.values:
        errors["purpose"] = [_("请选择题目用途")]
    if values.get("kind") not in ItemKind.values:
        errors["kind"] = [_("请选择题型")]
    if not values["text_zh"]:
        errors["text_zh"] = [_("请填写中文题目")]
    for name in ("text_zh", "text_en"):
        if len(values[name]) > TEXT_MAX:
            errors[name] = [_("题目不能超过 %(n)s 个字符") % {"n": TEXT_MAX}]
    for name in ("anchor_low_zh", "anchor_high_zh", "anchor_low_en", "anchor_high_en"):
        if len(values[name]) > ANCHOR_MAX:
            errors[name] = [_("不能超过 %(n)s 个字符") % {"n": ANCHOR_MAX}]
    if errors.keys() & {"purpose", "kind"}:
        return errors
    if values["kind"] not in KINDS_FOR_PURPOSE[values["purpose"]]:
        errors["kind"] = [_kind_reason(values["purpose"])]
    if values["purpose"] == ItemPurpose.MODEL:
        if values["indicator"] not in bank.all_indicators():
            errors["indicator"] = [_("请选择该题测量的模型指标")]
    else:
        values["indicator"] = ""
    if values["kind"] == ItemKind.SCORE:
        errors.update(_scale_errors(values))
    return errors


def _indicator_words(model_name: str, indicators) -> str:
    labels = bank.indicator_labels(model_name)
    lang = "zh" if is_chinese() else "en"
    return join_words(f"{i}{bracketed(labels[i][lang])}" for i in indicators)


def problems_for_publishing(questions: list[dict], model_name: str) -> list[str]:
    """Why a version cannot be published yet (empty when it can): every scored indicator of
    its model measured by exactly one score item, a screening question, a yes/no complaint
    question."""
    if model_name not in bank.QUESTIONNAIRE_MODELS:
        return [_("该测评模型不能用于问卷")]
    problems = []
    measured = Counter(
        q["indicator"]
        for q in questions
        if q["purpose"] == ItemPurpose.MODEL and q["kind"] == ItemKind.SCORE and q["indicator"]
    )
    wanted = bank.scored_indicators(model_name)
    missing = [i for i in wanted if not measured[i]]
    if missing:
        problems.append(
            _("问卷缺少以下模型指标的评分题：%(indicators)s")
            % {"indicators": _indicator_words(model_name, missing)}
        )
    twice = [i for i in wanted if measured[i] > 1]
    if twice:
        problems.append(
            _("以下指标有多道评分题，每个指标只能由一道题测量：%(indicators)s")
            % {"indicators": _indicator_words(model_name, twice)}
        )
    if not any(q["purpose"] == ItemPurpose.SCREEN for q in questions):
        problems.append(_("问卷至少需要一道甄别问题（是否为该企业的用户）"))
    if not any(
        q["purpose"] == ItemPurpose.COMPLAINT and q["kind"] == ItemKind.YES_NO for q in questions
    ):
        problems.append(_("问卷需要一道“是否投诉过”的是否题，用于计算投诉率"))
    return problems
