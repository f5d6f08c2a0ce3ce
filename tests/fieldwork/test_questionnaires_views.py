"""The pages of the item bank and the questionnaires: who sees what, forms, preview."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.fieldwork.models import Item, Questionnaire, QuestionnaireStatus
from manyi.fieldwork.questionnaires import bank
from manyi.fieldwork.questionnaires.services import (
    default_questionnaire,
    new_version,
    publish_questionnaire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


@pytest.fixture
def draft(staff):
    return default_questionnaire(category="brand", by=staff)


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def draft_post(questionnaire, *, without=(), **changes) -> dict:
    data = {
        "title": questionnaire.title,
        "model_name": questionnaire.model_name,
        "min_seconds": questionnaire.min_seconds,
        "intro_zh": questionnaire.intro_zh,
        "intro_en": questionnaire.intro_en,
    }
    for entry in questionnaire.entries.select_related("item"):
        if entry.item.code not in without:
            data[f"inc_{entry.item_id}"] = "on"
            data[f"pos_{entry.item_id}"] = entry.position
    return {**data, **changes}


# ------------------------------------------------------------------------------------------
# Item bank


def test_the_bank_offers_to_load_the_missing_items(client_for):
    client = client_for(Role.COMMITTEE_STAFF)
    assert 'data-action="load-bank"' in page(client.get(reverse("fieldwork:item_list")))

    response = client.post(reverse("fieldwork:item_bank_load"), follow=True)

    assert Item.objects.count() == len(bank.BANK)
    html = page(response)
    assert 'data-action="load-bank"' not in html
    assert 'data-item="sat1"' in html


def test_the_bank_is_filtered_and_searched(world, staff, client_for):
    bank.load_default_bank(by=staff)
    client = client_for(Role.WORKDEPT_STAFF)

    screening = page(client.get(reverse("fieldwork:item_list"), {"purpose": "screen"}))
    searched = page(client.get(reverse("fieldwork:item_list"), {"q": "投诉"}))

    assert re.findall(r'data-item="([^"]+)"', screening) == ["screen_customer", "screen_used"]
    assert set(re.findall(r'data-item="([^"]+)"', searched)) == {"complaint", "complaint_text"}
    # The work department reads; it is offered no change.
    assert reverse("fieldwork:item_create") not in screening


def test_an_item_is_created_through_the_form(client_for):
    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("fieldwork:item_create"),
        {
            "code": "delivery",
            "purpose": "model",
            "kind": "score",
            "indicator": "quality1",
            "text_zh": "您如何评价该企业的交货及时性？",
            "scale_min": 1,
            "scale_max": 10,
            "anchor_low_zh": "非常差",
            "anchor_high_zh": "非常好",
            "allows_unknown": "on",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    item = Item.objects.get(code="delivery")
    assert item.indicator == "quality1"
    assert item.allows_unknown
    assert ActivityLog.objects.filter(action="item.create").exists()


def test_a_bad_item_is_shown_again_with_the_reason(client_for):
    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("fieldwork:item_create"),
        {
            "code": "x1",
            "purpose": "model",
            "kind": "text",
            "text_zh": "题目",
            "scale_min": 1,
            "scale_max": 10,
        },
    )

    assert "模型指标题必须是评分题" in page(response)
    assert not Item.objects.filter(code="x1").exists()


def test_an_item_in_use_is_shown_but_not_changed(staff, client_for):
    publish_questionnaire(questionnaire=default_questionnaire(category="brand", by=staff), by=staff)
    item = Item.objects.get(code="sat1")
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("fieldwork:item_edit", kwargs={"pk": item.pk})

    assert "data-item-locked" in page(client.get(url))
    response = client.post(
        url, {"text_zh": "改过", "purpose": "model", "kind": "score"}, follow=True
    )

    assert "该题目已用于已发布的问卷，不能修改，请新建题目" in page(response)
    item.refresh_from_db()
    assert item.text_zh != "改过"


# ------------------------------------------------------------------------------------------
# Questionnaires


def test_the_first_version_of_a_category_is_generated(client_for):
    response = client_for(Role.ASSOCIATION_ADMIN).post(
        reverse("fieldwork:questionnaire_new_version", kwargs={"category": "product"}),
        {"model_name": "ecsi"},
    )

    questionnaire = Questionnaire.objects.get(category="product")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "fieldwork:questionnaire_edit", kwargs={"pk": questionnaire.pk}
    )
    assert questionnaire.model_name == "ecsi"
    assert questionnaire.entries.filter(item__code="image1_trust").exists()


def test_the_list_shows_every_version_and_its_surveys(world, staff, client_for):
    publish_questionnaire(questionnaire=default_questionnaire(category="brand", by=staff), by=staff)
    new_version(category="brand", by=staff)

    html = page(client_for(Role.WORKDEPT_STAFF).get(reverse("fieldwork:questionnaire_list")))

    brand = html.split('data-category="brand"')[1].split("</section>")[0]
    assert re.findall(r'data-version="(\d+)"', brand) == ["2", "1"]
    assert 'data-questionnaire-status="published"' in brand
    assert 'data-questionnaire-status="draft"' in brand
    assert "生成默认问卷" not in html  # the work department only reads


@pytest.mark.parametrize("versions", [1, 3])
def test_the_lists_cost_the_same_queries_for_more_rows(
    staff, client_for, django_assert_max_num_queries, versions
):
    for _ in range(versions):
        publish_questionnaire(questionnaire=new_version(category="brand", by=staff), by=staff)
    client = client_for(Role.COMMITTEE_STAFF)
    client.get(reverse("fieldwork:questionnaire_list"))  # sessions and memberships warmed

    # Ten queries today, whatever the number of versions or items shown.
    with django_assert_max_num_queries(12):
        client.get(reverse("fieldwork:questionnaire_list"))
    with django_assert_max_num_queries(9):
        client.get(reverse("fieldwork:item_list"))


def test_a_draft_is_edited_through_the_form(draft, client_for):
    url = reverse("fieldwork:questionnaire_edit", kwargs={"pk": draft.pk})
    client = client_for(Role.COMMITTEE_STAFF)
    assert 'data-item="sat1"' in page(client.get(url))
    sat1 = draft.entries.get(item__code="sat1").item_id
    data = draft_post(draft, without={"suggestion"})
    # Everything moves down by ten; sat1 goes first.
    data = {k: v + 10 if k.startswith("pos_") else v for k, v in data.items()}
    data[f"pos_{sat1}"] = 1

    response = client.post(url, data)

    assert response.status_code == 302
    codes = list(draft.entries.order_by("position").values_list("item__code", flat=True))
    assert codes[0] == "sat1"
    assert "suggestion" not in codes


def test_a_draft_without_items_is_refused(draft, client_for):
    url = reverse("fieldwork:questionnaire_edit", kwargs={"pk": draft.pk})
    data = {k: v for k, v in draft_post(draft).items() if not k.startswith("inc_")}

    html = page(client_for(Role.COMMITTEE_STAFF).post(url, data))

    assert "请至少选择一道题目" in html
    assert draft.entries.count() == len(bank.SCREEN_CODES) + 17 + len(bank.CLOSING_CODES)


def test_the_page_says_what_stops_publishing(draft, staff, client_for):
    client = client_for(Role.COMMITTEE_STAFF)
    client.post(
        reverse("fieldwork:questionnaire_edit", kwargs={"pk": draft.pk}),
        draft_post(draft, without={"sat4"}),
    )
    url = reverse("fieldwork:questionnaire_detail", kwargs={"pk": draft.pk})

    html = page(client.get(url))
    response = client.post(reverse("fieldwork:questionnaire_publish", kwargs={"pk": draft.pk}))

    assert "sat4" in html
    assert reverse("fieldwork:questionnaire_publish", kwargs={"pk": draft.pk}) not in html
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT


def test_a_draft_is_published_from_its_page(draft, client_for):
    client = client_for(Role.COMMITTEE_STAFF)
    html = page(client.get(reverse("fieldwork:questionnaire_detail", kwargs={"pk": draft.pk})))
    assert "data-confirm=" in html

    response = client.post(
        reverse("fieldwork:questionnaire_publish", kwargs={"pk": draft.pk}), follow=True
    )

    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.PUBLISHED
    assert "第 1 版已发布" in page(response)


def test_a_published_version_sends_the_editor_back(staff, draft, client_for):
    publish_questionnaire(questionnaire=draft, by=staff)

    response = client_for(Role.COMMITTEE_STAFF).get(
        reverse("fieldwork:questionnaire_edit", kwargs={"pk": draft.pk}), follow=True
    )

    assert "该版本已发布，不能修改；如需修改，请新建版本" in page(response)


def test_the_work_department_reads_but_cannot_publish(draft, client_for):
    client = client_for(Role.WORKDEPT_STAFF)

    html = page(client.get(reverse("fieldwork:questionnaire_detail", kwargs={"pk": draft.pk})))
    response = client.post(reverse("fieldwork:questionnaire_publish", kwargs={"pk": draft.pk}))

    assert draft.title in html
    assert reverse("fieldwork:questionnaire_publish", kwargs={"pk": draft.pk}) not in html
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT


@pytest.mark.parametrize("role", [Role.SURVEYOR, Role.SURVEY_MANAGER, Role.ENTERPRISE_USER])
def test_firms_and_enterprises_are_refused(draft, client_for, role):
    client = client_for(role)
    for url in (
        reverse("fieldwork:questionnaire_list"),
        reverse("fieldwork:questionnaire_preview", kwargs={"pk": draft.pk}),
        reverse("fieldwork:item_list"),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("fieldwork:questionnaire_publish", kwargs={"pk": draft.pk})).status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT


# ------------------------------------------------------------------------------------------
# Preview


def test_the_preview_shows_every_question(staff, draft, client_for):
    published = publish_questionnaire(questionnaire=draft, by=staff)
    url = reverse("fieldwork:questionnaire_preview", kwargs={"pk": published.pk})

    html = page(client_for(Role.WORKDEPT_STAFF).get(url))

    assert re.findall(r'<li class="mb-4 question" data-code="([^"]+)"', html) == [
        q["code"] for q in published.questions
    ]
    assert "综合考虑，您对该企业的产品或服务总体上是否满意？" in html
    assert 'name="q_sat1"' in html
    assert "广州市用户委员会委托的第三方调查机构" in html


def test_the_preview_in_english(draft, client_for):
    url = reverse("fieldwork:questionnaire_preview", kwargs={"pk": draft.pk})

    html = page(client_for(Role.COMMITTEE_STAFF).get(url, {"lang": "en"}))

    assert "how satisfied are you overall" in html
    assert "Very dissatisfied" in html
    assert "Guangzhou User Committee" in html


def test_the_phone_preview_frames_a_bare_page(draft, client_for):
    client = client_for(Role.COMMITTEE_STAFF)
    frame_url = reverse("fieldwork:questionnaire_preview_frame", kwargs={"pk": draft.pk})

    html = page(
        client.get(
            reverse("fieldwork:questionnaire_preview", kwargs={"pk": draft.pk}), {"device": "phone"}
        )
    )
    frame = client.get(frame_url)

    assert f'<iframe class="phone-frame" src="{frame_url}"' in html
    assert 'name="q_sat1"' not in html  # the questions are inside the frame
    assert 'name="q_sat1"' in page(frame)
    assert 'id="nav"' not in frame.content.decode()
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in frame["Content-Security-Policy"]


def test_other_pages_still_refuse_to_be_framed(draft, client_for):
    response = client_for(Role.COMMITTEE_STAFF).get(
        reverse("fieldwork:questionnaire_preview", kwargs={"pk": draft.pk})
    )

    assert response["X-Frame-Options"] == settings.X_FRAME_OPTIONS
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
