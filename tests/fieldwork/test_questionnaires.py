"""The item bank and questionnaire versions: loading, drafting, publishing, freezing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.fieldwork.models import (
    Item,
    ItemKind,
    ItemPurpose,
    Questionnaire,
    QuestionnaireStatus,
)
from manyi.fieldwork.questionnaires import bank, services
from manyi.fieldwork.questionnaires.services import (
    create_item,
    default_questionnaire,
    new_version,
    publish_questionnaire,
    update_draft,
    update_item,
)
from tests.fieldwork.factories import bank_items, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def draft_fields(questionnaire) -> dict:
    return {name: getattr(questionnaire, name) for name in services.DRAFT_FIELDS}


def item_ids(questionnaire, without=()) -> list[int]:
    return [
        e.item_id
        for e in questionnaire.entries.select_related("item").order_by("position")
        if e.item.code not in without
    ]


# ------------------------------------------------------------------------------------------
# The standard bank


def test_the_bank_is_loaded_once_and_logged(staff):
    created = bank.load_default_bank(by=staff)

    assert sorted(created) == sorted(b.code for b in bank.BANK)
    assert Item.objects.count() == len(bank.BANK)
    assert ActivityLog.objects.filter(action="item_bank.load").count() == 1
    assert bank.load_default_bank(by=staff) == []
    assert Item.objects.count() == len(bank.BANK)
    assert ActivityLog.objects.filter(action="item_bank.load").count() == 1


def test_loading_keeps_items_that_already_exist(staff):
    bank_items("china")  # the test factories' own wording, created by code
    before = Item.objects.get(code="sat1").text_zh

    created = bank.load_default_bank(by=staff)

    assert "sat1" not in created
    assert Item.objects.get(code="sat1").text_zh == before
    assert Item.objects.filter(code="image1_trust").exists()
    assert Item.objects.count() == len(bank.BANK)


def test_only_programme_managers_load_the_bank(world):
    with pytest.raises(PermissionDenied):
        bank.load_default_bank(by=world.users[Role.WORKDEPT_STAFF])
    assert not Item.objects.exists()


@pytest.mark.parametrize("model", ["china", "acsi", "ecsi"])
def test_every_indicator_has_exactly_one_score_item_per_model(model):
    preset = measurement.load_preset(model).to_dict()
    indicators = [i for block in preset["blocks"].values() for i in block]
    codes = bank.model_codes(model)
    measured = [bank.BY_CODE[c].indicator for c in codes]

    assert measured == [i for i in indicators if i != "complaint1"]
    assert all(bank.BY_CODE[c].kind == ItemKind.SCORE for c in codes)
    assert all(bank.BY_CODE[c].fields()["allows_unknown"] for c in codes)


def test_codes_are_the_indicator_names_of_the_china_model():
    assert bank.model_codes("china") == list(bank.model_indicators("china"))


def test_items_that_mean_something_else_in_ecsi_are_separate():
    # ECSI's value1 is the price given the quality, China's the quality given the price.
    ecsi_value1 = bank.BY_CODE[
        bank.model_codes("ecsi")[bank.model_indicators("ecsi").index("value1")]
    ]
    assert ecsi_value1.code == "value1_price"
    assert ecsi_value1.indicator == "value1"
    assert ecsi_value1.zh == bank.BY_CODE["value2"].zh


def test_complaints_are_a_yes_no_question_never_a_score():
    complaint = bank.BY_CODE["complaint"]
    assert complaint.kind == ItemKind.YES_NO
    assert complaint.purpose == ItemPurpose.COMPLAINT
    assert complaint.zh == "过去一年中，您是否向该企业投诉过？"
    assert bank.BY_CODE["complaint_text"].kind == ItemKind.TEXT
    assert not any(b.indicator == "complaint1" for b in bank.BANK)
    assert "acsi" not in bank.QUESTIONNAIRE_MODELS


def test_respondent_wording():
    sat1 = bank.BY_CODE["sat1"].fields()
    assert sat1["text_zh"] == "综合考虑，您对该企业的产品或服务总体上是否满意？"
    assert (sat1["anchor_low_zh"], sat1["anchor_high_zh"]) == ("非常不满意", "非常满意")
    assert sat1["text_en"]
    assert bank.BY_CODE["expect1"].zh.startswith("在购买或使用之前")
    assert bank.BY_CODE["loyal1"].anchors[:2] == ("非常不可能", "非常可能")
    assert bank.BY_CODE["screen_customer"].purpose == ItemPurpose.SCREEN


# ------------------------------------------------------------------------------------------
# Items


def test_an_item_is_created_and_logged(staff):
    item = create_item(
        by=staff,
        code="price_clear",
        kind=ItemKind.TEXT,
        purpose=ItemPurpose.OPEN,
        text_zh="您对该企业的价格说明有什么意见？",
    )

    assert Item.objects.get(code="price_clear") == item
    assert ActivityLog.objects.filter(action="item.create", object_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"kind": ItemKind.TEXT}, "kind", "模型指标题必须是评分题"),
        ({"indicator": ""}, "indicator", "请选择该题测量的模型指标"),
        ({"anchor_low_zh": ""}, "anchor_high_zh", "请填写最低分和最高分的含义"),
        ({"code": "Sat 1"}, "code", "题目代码只能由小写字母"),
        ({"code": "sat1"}, "code", "已有代码相同的题目"),
        ({"scale_min": 5, "scale_max": 5}, "scale_max", "量表范围"),
    ],
)
def test_a_bad_item_is_refused_and_nothing_stored(staff, fields, field, words):
    bank.load_default_bank(by=staff)
    count = Item.objects.count()
    good = {
        "code": "sat9",
        "kind": ItemKind.SCORE,
        "purpose": ItemPurpose.MODEL,
        "indicator": "sat1",
        "text_zh": "您满意吗？",
        "anchor_low_zh": "非常不满意",
        "anchor_high_zh": "非常满意",
    }

    with pytest.raises(ValidationError) as refused:
        create_item(by=staff, **{**good, **fields})

    assert words in " ".join(refused.value.message_dict[field])
    assert Item.objects.count() == count


def test_a_screening_question_must_be_yes_no(staff):
    with pytest.raises(ValidationError) as refused:
        create_item(
            by=staff, code="screen_x", kind=ItemKind.TEXT, purpose="screen", text_zh="您是用户吗？"
        )
    assert "甄别问题必须是是否题" in refused.value.message_dict["kind"][0]


def test_an_item_only_in_a_draft_may_change(staff):
    draft = default_questionnaire(category="brand", by=staff)
    item = draft.entries.get(item__code="sat1").item

    update_item(item=item, by=staff, text_zh="总的来说，您对该企业满意吗？")

    item.refresh_from_db()
    assert item.text_zh == "总的来说，您对该企业满意吗？"
    entry = ActivityLog.objects.get(action="item.update")
    assert entry.after == {"text_zh": "总的来说，您对该企业满意吗？"}


def test_an_item_in_a_published_version_cannot_change(staff):
    publish_questionnaire(questionnaire=default_questionnaire(category="brand", by=staff), by=staff)
    item = Item.objects.get(code="sat1")
    wording = item.text_zh

    with pytest.raises(ValidationError) as refused:
        update_item(item=item, by=staff, text_zh="改过的题目")

    assert refused.value.messages == ["该题目已用于已发布的问卷，不能修改，请新建题目"]
    item.refresh_from_db()
    assert item.text_zh == wording
    assert not ActivityLog.objects.filter(action="item.update").exists()


# ------------------------------------------------------------------------------------------
# Versions


def test_the_default_questionnaire(staff):
    draft = default_questionnaire(category="service", by=staff, model_name="ecsi")

    codes = list(draft.entries.order_by("position").values_list("item__code", flat=True))
    assert codes[:2] == ["screen_customer", "screen_used"]
    assert codes[2:-3] == bank.model_codes("ecsi")
    assert codes[-3:] == ["complaint", "complaint_text", "suggestion"]
    assert draft.status == QuestionnaireStatus.DRAFT
    assert draft.version == 1
    assert draft.model_name == "ecsi"
    assert "广州市用户委员会委托的第三方调查机构" in draft.intro_zh
    assert "第二十二条" in draft.intro_zh
    assert "仅用于计算" in draft.intro_zh
    assert "不会提供给被调查企业" in draft.intro_zh
    assert "联系方式不予保留" in draft.intro_zh
    assert draft.intro_en
    assert ActivityLog.objects.filter(action="questionnaire.create").count() == 1


def test_acsi_is_not_offered(staff):
    with pytest.raises(ValidationError):
        default_questionnaire(category="brand", by=staff, model_name="acsi")
    assert not Questionnaire.objects.exists()


def test_publishing_freezes_the_questions(staff):
    draft = default_questionnaire(category="brand", by=staff)

    published = publish_questionnaire(questionnaire=draft, by=staff)

    published.refresh_from_db()
    assert published.status == QuestionnaireStatus.PUBLISHED
    assert published.published_by == staff
    assert published.published_at is not None
    assert [q["code"] for q in published.questions] == list(
        draft.entries.order_by("position").values_list("item__code", flat=True)
    )
    sat1 = next(q for q in published.questions if q["code"] == "sat1")
    assert sat1["text"]["zh"] == "综合考虑，您对该企业的产品或服务总体上是否满意？"
    assert ActivityLog.objects.filter(action="questionnaire.publish").count() == 1


def test_a_missing_indicator_stops_publishing_and_changes_nothing(staff):
    draft = default_questionnaire(category="brand", by=staff)
    update_draft(
        questionnaire=draft,
        by=staff,
        item_ids=item_ids(draft, without={"sat4"}),
        **draft_fields(draft),
    )

    with pytest.raises(ValidationError) as refused:
        publish_questionnaire(questionnaire=draft, by=staff)

    assert refused.value.messages == [
        "问卷缺少以下模型指标的评分题：sat4（与同类竞争者相比的满意度）"
    ]
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT
    assert draft.questions == []
    assert not ActivityLog.objects.filter(action="questionnaire.publish").exists()


def test_screening_and_a_yes_no_complaint_are_needed(staff):
    draft = default_questionnaire(category="brand", by=staff)
    without = {"screen_customer", "screen_used", "complaint"}
    update_draft(
        questionnaire=draft,
        by=staff,
        item_ids=item_ids(draft, without=without),
        **draft_fields(draft),
    )

    with pytest.raises(ValidationError) as refused:
        publish_questionnaire(questionnaire=draft, by=staff)

    assert refused.value.messages == [
        "问卷至少需要一道甄别问题（是否为该企业的用户）",
        "问卷需要一道“是否投诉过”的是否题，用于计算投诉率",
    ]


def test_one_indicator_measured_twice_is_refused(staff):
    draft = default_questionnaire(category="brand", by=staff)
    ids = item_ids(draft) + [Item.objects.get(code="loyal3_recommend").pk]  # also loyal3
    update_draft(questionnaire=draft, by=staff, item_ids=ids, **draft_fields(draft))

    with pytest.raises(ValidationError) as refused:
        publish_questionnaire(questionnaire=draft, by=staff)

    assert "loyal3" in refused.value.messages[0]
    assert "只能由一道题测量" in refused.value.messages[0]


def test_a_published_version_cannot_be_edited(staff):
    draft = default_questionnaire(category="brand", by=staff)
    published = publish_questionnaire(questionnaire=draft, by=staff)
    fields = {**draft_fields(published), "title": "改名"}

    with pytest.raises(ValidationError) as refused:
        update_draft(questionnaire=published, by=staff, item_ids=item_ids(published)[:3], **fields)

    assert refused.value.messages == ["该版本已发布，不能修改；如需修改，请新建版本"]
    published.refresh_from_db()
    assert published.title != "改名"
    assert published.entries.count() == len(published.questions)
    with pytest.raises(ValidationError):
        publish_questionnaire(questionnaire=published, by=staff)


def test_a_draft_is_edited_in_the_order_given(staff):
    draft = default_questionnaire(category="brand", by=staff)
    ids = list(reversed(item_ids(draft)))
    fields = {**draft_fields(draft), "title": "新名称", "min_seconds": 120}

    update_draft(questionnaire=draft, by=staff, item_ids=ids, **fields)

    draft.refresh_from_db()
    assert draft.title == "新名称"
    assert draft.min_seconds == 120
    assert item_ids(draft) == ids
    entry = ActivityLog.objects.get(action="questionnaire.update")
    assert entry.after["title"] == "新名称"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"intro_zh": ""}, "intro_zh"),
        ({"model_name": "acsi"}, "model_name"),
        ({"min_seconds": -1}, "min_seconds"),
    ],
)
def test_bad_draft_settings_are_refused(staff, change, field):
    draft = default_questionnaire(category="brand", by=staff)

    with pytest.raises(ValidationError) as refused:
        update_draft(
            questionnaire=draft,
            by=staff,
            item_ids=item_ids(draft),
            **{**draft_fields(draft), **change},
        )

    assert field in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.title == services.default_title("brand")


def test_a_new_version_copies_the_latest(staff):
    first = default_questionnaire(category="brand", by=staff, model_name="ecsi")
    update_draft(
        questionnaire=first,
        by=staff,
        item_ids=item_ids(first),
        **{**draft_fields(first), "min_seconds": 77},
    )
    publish_questionnaire(questionnaire=first, by=staff)

    second = new_version(category="brand", by=staff)

    assert second.version == 2
    assert second.status == QuestionnaireStatus.DRAFT
    assert second.model_name == "ecsi"
    assert second.min_seconds == 77
    assert item_ids(second) == item_ids(first)
    assert ActivityLog.objects.filter(action="questionnaire.new_version").count() == 1


def test_one_draft_per_category(staff):
    default_questionnaire(category="brand", by=staff)

    with pytest.raises(ValidationError) as refused:
        new_version(category="brand", by=staff)

    assert refused.value.messages == ["该类别已有一个草稿版本，请先编辑或发布该草稿"]
    assert Questionnaire.objects.filter(category="brand").count() == 1
    assert new_version(category="product", by=staff).version == 1  # other categories are free


def test_publishing_retires_the_previous_version_and_surveys_keep_theirs(world, staff):
    survey = make_survey(world, category="brand")  # on the factories' published version 1
    first = survey.questionnaire
    frozen = list(first.questions)
    second = new_version(category="brand", by=staff)

    publish_questionnaire(questionnaire=second, by=staff)

    first.refresh_from_db()
    second.refresh_from_db()
    survey.refresh_from_db()
    assert first.status == QuestionnaireStatus.RETIRED
    assert first.questions == frozen
    assert second.status == QuestionnaireStatus.PUBLISHED
    assert survey.questionnaire_id == first.pk
    entry = ActivityLog.objects.get(action="questionnaire.publish")
    assert entry.after["retired_version"] == first.version


def test_the_work_department_cannot_change_questionnaires(world, staff):
    reader = world.users[Role.WORKDEPT_STAFF]
    draft = default_questionnaire(category="brand", by=staff)

    with pytest.raises(PermissionDenied):
        publish_questionnaire(questionnaire=draft, by=reader)
    with pytest.raises(PermissionDenied):
        new_version(category="product", by=reader)
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT
