"""Fieldwork objects built straight in the database, for tests of the parts that use them.

These skip the services on purpose (a test of the web link should not depend on the draw);
the services' own tests build through the services.
"""

import datetime

from django.utils import timezone

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.fieldwork.models import (
    ContactStatus,
    Item,
    ItemKind,
    ItemPurpose,
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireStatus,
    SampledContact,
    Survey,
    SurveyStatus,
)
from manyi.fieldwork.questions import item_question
from manyi.fieldwork.services import phone_key
from tests.applications.helpers import add_customers, make_application

SCREEN_CODES = ("screen_customer", "screen_used")


def _item(code, kind, purpose, text, indicator=""):
    item, _created = Item.objects.get_or_create(
        code=code,
        defaults={
            "kind": kind,
            "purpose": purpose,
            "text_zh": text,
            "text_en": f"Question {code}",
            "indicator": indicator,
            "anchor_low_zh": "非常不满意",
            "anchor_high_zh": "非常满意",
        },
    )
    return item


def bank_items(model="china") -> list[Item]:
    preset = measurement.load_preset(model).to_dict()
    labels = preset.get("labels", {})
    items = [
        _item("screen_customer", ItemKind.YES_NO, ItemPurpose.SCREEN, "您是否为该企业的用户？"),
        _item(
            "screen_used",
            ItemKind.YES_NO,
            ItemPurpose.SCREEN,
            "您在数据年度内是否使用过其产品或服务？",
        ),
    ]
    for block in preset["blocks"].values():
        for indicator in block:
            items.append(
                _item(
                    indicator,
                    ItemKind.SCORE,
                    ItemPurpose.MODEL,
                    labels.get(indicator, indicator),
                    indicator,
                )
            )
    items += [
        _item("complaint", ItemKind.YES_NO, ItemPurpose.COMPLAINT, "过去一年您是否投诉过该企业？"),
        _item("complaint_text", ItemKind.TEXT, ItemPurpose.COMPLAINT, "投诉的内容是什么？"),
        _item("suggestion", ItemKind.TEXT, ItemPurpose.OPEN, "您对该企业有什么意见和建议？"),
    ]
    return items


def make_questionnaire(
    by, *, category="brand", model="china", published=True, version=None, min_seconds=60
):
    items = bank_items(model)
    version = version or (Questionnaire.objects.filter(category=category).count() + 1)
    questionnaire = Questionnaire.objects.create(
        category=category,
        version=version,
        model_name=model,
        title=f"测试问卷 {category}",
        intro_zh="本调查由广州市用户委员会委托第三方调查机构开展。",
        min_seconds=min_seconds,
        created_by=by,
    )
    QuestionnaireItem.objects.bulk_create(
        QuestionnaireItem(questionnaire=questionnaire, item=item, position=i + 1)
        for i, item in enumerate(items)
    )
    if published:
        questionnaire.questions = [item_question(i) for i in items]
        questionnaire.status = QuestionnaireStatus.PUBLISHED
        questionnaire.published_by = by
        questionnaire.published_at = timezone.now()
        questionnaire.save()
    return questionnaire


def make_survey(
    world,
    *,
    category="brand",
    organisation=None,
    campaign=None,
    status=SurveyStatus.IN_FIELD,
    customers=40,
    sample=20,
    reserve=5,
    interviewer=None,
    phone_base=13900000000,
    target=15,
):
    """A recommended application with an accepted list, its survey at `status`, and (from
    `sampled` on) `sample` contacts plus `reserve` reserve contacts, the first half assigned
    to `interviewer` (default: the world's surveyor)."""
    staff = world.users[Role.COMMITTEE_STAFF]
    application = make_application(
        world, category, organisation=organisation, campaign=campaign, status="accepted"
    )
    customer_list = add_customers(application, n=customers, phone_base=phone_base)
    questionnaire = Questionnaire.objects.filter(
        category=category, status=QuestionnaireStatus.PUBLISHED
    ).first() or make_questionnaire(staff, category=category)
    today = timezone.localdate()
    survey = Survey.objects.create(
        application=application,
        campaign=application.campaign,
        firm=world.survey_firm,
        questionnaire=questionnaire,
        status=status,
        target_completes=target,
        field_opens=today,
        field_closes=today + datetime.timedelta(days=30),
        assigned_by=staff,
    )
    if status == SurveyStatus.ASSIGNED:
        return survey
    interviewer = interviewer or world.users[Role.SURVEYOR]
    rows = list(customer_list.customers.all()[: sample + reserve])
    SampledContact.objects.bulk_create(
        SampledContact(
            survey=survey,
            campaign=application.campaign,
            customer=customer,
            position=i + 1,
            is_reserve=i >= sample,
            phone_key=phone_key(application.campaign_id, customer.phone_normalized),
            email=f"customer{i + 1}@example.cn" if i % 2 == 0 else "",
            status=ContactStatus.RESERVE if i >= sample else ContactStatus.PENDING,
            interviewer=interviewer if i < sample // 2 else None,
        )
        for i, customer in enumerate(rows)
    )
    Survey.objects.filter(pk=survey.pk).update(
        customer_list=customer_list,
        list_hash="0" * 64,
        seed=12345,
        sample_size=sample,
        reserve_size=reserve,
        drawn_by=staff,
        drawn_at=timezone.now(),
    )
    survey.refresh_from_db()
    return survey


def answers_for(questionnaire, *, score=8, vary=True, complaint=False) -> dict:
    """A complete, plausible set of answers (scores around `score`, varied unless not `vary`)."""
    answers = {}
    for i, q in enumerate(questionnaire.questions or []):
        if q["kind"] == ItemKind.SCORE:
            answers[q["code"]] = max(q["min"], min(q["max"], score + ((i % 3) - 1 if vary else 0)))
        elif q["kind"] == ItemKind.YES_NO:
            answers[q["code"]] = complaint if q["purpose"] == ItemPurpose.COMPLAINT else True
        else:
            answers[q["code"]] = ""
    return answers


def form_data(answers: dict) -> dict:
    """The same answers as a browser would post them."""
    data = {}
    for code, value in answers.items():
        if value is True:
            data[f"q_{code}"] = "yes"
        elif value is False:
            data[f"q_{code}"] = "no"
        elif value is None:
            data[f"q_{code}"] = "na"
        else:
            data[f"q_{code}"] = str(value)
    return data
