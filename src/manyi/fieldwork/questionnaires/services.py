"""The only code that writes items and questionnaires.

A questionnaire is a numbered version per category. It is edited as a draft (its entries point
at bank items), then `publish_questionnaire` freezes it: each item's question is copied into
`Questionnaire.questions`, so later edits of the bank never reach a version in use, and the
category's previously published version is retired in the same transaction. Surveys keep
pointing at the version they were assigned.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.campaigns.categories import Category
from manyi.common.services import log_activity
from manyi.fieldwork.access import (
    EDIT_ITEM,
    EDIT_QUESTIONNAIRE,
    MANAGE_QUESTIONNAIRES,
    NEW_QUESTIONNAIRE_VERSION,
)
from manyi.fieldwork.models import (
    Item,
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireStatus,
)
from manyi.fieldwork.questionnaires import bank
from manyi.fieldwork.questionnaires.checks import check_item, problems_for_publishing
from manyi.fieldwork.questions import item_question

ITEM_FIELDS = (
    "code",
    "kind",
    "purpose",
    "text_zh",
    "text_en",
    "indicator",
    "scale_min",
    "scale_max",
    "allows_unknown",
    "anchor_low_zh",
    "anchor_high_zh",
    "anchor_low_en",
    "anchor_high_en",
    "is_active",
)
DRAFT_FIELDS = ("title", "intro_zh", "intro_en", "model_name", "min_seconds")

# The default text a respondent reads first (and an interviewer reads out): who surveys, why,
# and how the answers are used. Stored data in both languages, not gettext (see bank.py).
INTRO_ZH = (
    "您好！本调查由广州市用户委员会委托的第三方调查机构开展。根据《广州市实施用户满意工程"
    "推进活动管理办法（试行）》第二十二条，申报企业须接受第三方用户评价，我们因此向该企业的"
    "用户了解对其产品或服务的真实评价。\n"
    "您的回答仅用于计算该企业的用户满意度指数；个人的回答不会提供给被调查企业。调查结束后，"
    "您的联系方式不予保留。问卷约需 5 分钟，感谢您的支持！"
)
INTRO_EN = (
    "Hello! This survey is carried out by an independent survey firm on behalf of the Guangzhou "
    "User Committee. Under Article 22 of the Guangzhou measures for the User Satisfaction "
    "Project, every company that applies is evaluated by its own customers, so we are asking "
    "you for your honest view of this company's products or services.\n"
    "Your answers are used only to compute the company's customer satisfaction index; no "
    "individual answers are passed to the company. Your contact details are not kept after "
    "the survey. It takes about 5 minutes. Thank you for your help!"
)


def _entries(questionnaire) -> list[str]:
    return list(questionnaire.entries.order_by("position").values_list("item__code", flat=True))


def _checked_item(fields: dict, *, item=None) -> dict:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"not item fields: {sorted(unknown)}")
    values = {name: getattr(item, name) for name in ITEM_FIELDS} if item else {}
    values.update(fields)
    for name in ("text_zh", "text_en", "anchor_low_zh", "anchor_high_zh"):
        values[name] = str(values.get(name) or "").strip()
    for name in ("anchor_low_en", "anchor_high_en", "indicator", "code"):
        values[name] = str(values.get(name) or "").strip()
    values.setdefault("scale_min", 1)
    values.setdefault("scale_max", 10)
    values.setdefault("allows_unknown", True)
    values.setdefault("is_active", True)
    errors = check_item(values)
    if item is None and values["code"] and Item.objects.filter(code=values["code"]).exists():
        errors.setdefault("code", []).append(_("已有代码相同的题目"))
    if errors:
        raise ValidationError(errors)
    return values


def create_item(*, by, **fields) -> Item:
    """Add an item to the bank.

    Side effects: the item created; one activity-log entry `item.create`.
    """
    MANAGE_QUESTIONNAIRES.require(by, None)
    values = _checked_item(fields)
    with transaction.atomic():
        try:
            item = Item.objects.create(**values)
        except IntegrityError:
            raise ValidationError({"code": [_("已有代码相同的题目")]}) from None
        log_activity(actor=by, action="item.create", obj=item, after=values)
    return item


def update_item(*, item: Item, by, **fields) -> Item:
    """Change an item that no published or retired version carries (its code stays).

    Side effects: the item saved; one activity-log entry `item.update` with what changed.
    """
    fields.pop("code", None)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        EDIT_ITEM.require(by, item)
        values = _checked_item(fields, item=item)
        before = {name: getattr(item, name) for name in ITEM_FIELDS}
        changed = {k: v for k, v in values.items() if before[k] != v}
        for name, value in changed.items():
            setattr(item, name, value)
        if changed:
            item.save(update_fields=list(changed))
            log_activity(
                actor=by,
                action="item.update",
                obj=item,
                before={k: before[k] for k in changed},
                after=changed,
            )
    return item


def _next_version(category: str) -> int:
    latest = Questionnaire.objects.filter(category=category).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def _create_version(*, category, by, fields: dict, item_ids: list[int], action: str, note=""):
    """A new draft of `category` with `fields` and the items in order; one draft at a time."""
    NEW_QUESTIONNAIRE_VERSION.require(by, category)
    try:
        with transaction.atomic():
            questionnaire = Questionnaire.objects.create(
                category=category, version=_next_version(category), created_by=by, **fields
            )
            QuestionnaireItem.objects.bulk_create(
                QuestionnaireItem(questionnaire=questionnaire, item_id=pk, position=i + 1)
                for i, pk in enumerate(item_ids)
            )
            log_activity(
                actor=by,
                action=action,
                obj=questionnaire,
                after={
                    **fields,
                    "version": questionnaire.version,
                    "items": _entries(questionnaire),
                },
                note=note,
            )
    except IntegrityError:
        # Someone else made a version of this category at the same moment.
        raise ValidationError(_("该类别的问卷刚被他人修改，请刷新页面后重试")) from None
    return questionnaire


def default_questionnaire(*, category: str, by, model_name: str = "china") -> Questionnaire:
    """A first draft for `category`: the screening questions, the model's indicators in block
    order, the complaint questions and the suggestion, with the standard introduction.

    Side effects: missing standard items loaded (`item_bank.load`); the draft and its entries
    created; one activity-log entry `questionnaire.create`.
    """
    MANAGE_QUESTIONNAIRES.require(by, None)
    if category not in Category.values:
        raise ValidationError(_("申报类别无效"))
    if model_name not in bank.QUESTIONNAIRE_MODELS:
        raise ValidationError(_("该测评模型不能用于问卷"))
    NEW_QUESTIONNAIRE_VERSION.require(by, category)
    bank.load_default_bank(by=by)
    codes = [*bank.SCREEN_CODES, *bank.model_codes(model_name), *bank.CLOSING_CODES]
    ids = dict(Item.objects.filter(code__in=codes).values_list("code", "pk"))
    fields = {
        "model_name": model_name,
        "title": default_title(category),
        "intro_zh": INTRO_ZH,
        "intro_en": INTRO_EN,
    }
    return _create_version(
        category=category,
        by=by,
        fields=fields,
        item_ids=[ids[c] for c in codes],
        action="questionnaire.create",
    )


def default_title(category: str) -> str:
    # Stored data that staff may edit, always in Chinese whatever language the page is in.
    with translation.override("zh-hans"):
        return f"{Category(category).label}第三方用户评价调查问卷"


def new_version(*, category: str, by) -> Questionnaire:
    """A draft copying the latest version's items and settings, numbered one higher (the first
    version of a category is `default_questionnaire`).

    Side effects: the draft and its entries created; one activity-log entry
    `questionnaire.new_version` (or `questionnaire.create` for a category's first).
    """
    MANAGE_QUESTIONNAIRES.require(by, None)
    latest = Questionnaire.objects.filter(category=category).order_by("-version").first()
    if latest is None:
        return default_questionnaire(category=category, by=by)
    fields = {name: getattr(latest, name) for name in DRAFT_FIELDS}
    return _create_version(
        category=category,
        by=by,
        fields=fields,
        item_ids=list(latest.entries.order_by("position").values_list("item_id", flat=True)),
        action="questionnaire.new_version",
        note=_("复制自第 %(version)s 版") % {"version": latest.version},
    )


def _checked_draft(fields: dict, item_ids: list[int]) -> dict:
    errors: dict[str, list] = {}
    values = {
        "title": str(fields.get("title") or "").strip(),
        "intro_zh": str(fields.get("intro_zh") or "").strip(),
        "intro_en": str(fields.get("intro_en") or "").strip(),
        "model_name": fields.get("model_name"),
        "min_seconds": fields.get("min_seconds"),
    }
    if not values["title"]:
        errors["title"] = [_("请填写问卷名称")]
    if not values["intro_zh"]:
        errors["intro_zh"] = [_("请填写问卷说明：谁在调查、为什么调查、回答如何使用")]
    if values["model_name"] not in bank.QUESTIONNAIRE_MODELS:
        errors["model_name"] = [_("该测评模型不能用于问卷")]
    if not isinstance(values["min_seconds"], int) or not 0 <= values["min_seconds"] <= 3600:
        errors["min_seconds"] = [_("最短作答时间应为 0 至 3600 秒")]
    if not item_ids:
        errors["items"] = [_("请至少选择一道题目")]
    elif len(set(item_ids)) != len(item_ids):
        errors["items"] = [_("同一道题目只能出现一次")]
    elif Item.objects.filter(pk__in=item_ids).count() != len(item_ids):
        errors["items"] = [_("所选题目不存在，请刷新页面")]
    if errors:
        raise ValidationError(errors)
    return values


def update_draft(*, questionnaire: Questionnaire, by, item_ids: list[int], **fields):
    """Change a draft's title, introductions, model, minimum time and its items in order.

    Side effects: the draft saved and its entries replaced; one activity-log entry
    `questionnaire.update`.
    """
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"not questionnaire fields: {sorted(unknown)}")
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        EDIT_QUESTIONNAIRE.require(by, questionnaire)
        values = _checked_draft(fields, item_ids)
        before = {name: getattr(questionnaire, name) for name in DRAFT_FIELDS}
        before["items"] = _entries(questionnaire)
        for name, value in values.items():
            setattr(questionnaire, name, value)
        questionnaire.save(update_fields=list(values))
        questionnaire.entries.all().delete()
        QuestionnaireItem.objects.bulk_create(
            QuestionnaireItem(questionnaire=questionnaire, item_id=pk, position=i + 1)
            for i, pk in enumerate(item_ids)
        )
        after = {**values, "items": _entries(questionnaire)}
        log_activity(
            actor=by,
            action="questionnaire.update",
            obj=questionnaire,
            before={k: v for k, v in before.items() if v != after[k]},
            after={k: v for k, v in after.items() if v != before[k]},
        )
    return questionnaire


def publish_questionnaire(*, questionnaire: Questionnaire, by) -> Questionnaire:
    """Freeze a draft and make it the category's version for new surveys.

    Refused unless every indicator of its model is measured by exactly one score item, and it
    has a screening question and a yes/no complaint question.

    Side effects: the category's published version retired; the items' questions copied into
    `questions`, status published, published_by/at saved; one activity-log entry
    `questionnaire.publish` (naming the version retired).
    """
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        EDIT_QUESTIONNAIRE.require(by, questionnaire)
        entries = list(questionnaire.entries.order_by("position").values_list("item_id", flat=True))
        # Locked so that an item is not reworded between being checked and being copied.
        items = Item.objects.select_for_update().in_bulk(entries)
        questions = [item_question(items[pk]) for pk in entries]
        problems = problems_for_publishing(questions, questionnaire.model_name)
        if problems:
            raise ValidationError(problems)
        previous = Questionnaire.objects.filter(
            category=questionnaire.category, status=QuestionnaireStatus.PUBLISHED
        ).first()
        if previous is not None:
            previous.status = QuestionnaireStatus.RETIRED
            previous.save(update_fields=["status"])
        questionnaire.questions = questions
        questionnaire.status = QuestionnaireStatus.PUBLISHED
        questionnaire.published_by = by
        questionnaire.published_at = timezone.now()
        questionnaire.save(update_fields=["questions", "status", "published_by", "published_at"])
        log_activity(
            actor=by,
            action="questionnaire.publish",
            obj=questionnaire,
            before={"status": QuestionnaireStatus.DRAFT},
            after={
                "status": QuestionnaireStatus.PUBLISHED,
                "items": [q["code"] for q in questions],
                "retired_version": previous.version if previous else None,
            },
        )
    return questionnaire
