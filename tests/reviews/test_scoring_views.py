"""The rubric pages, the expert's score sheet and the scoring part of the review page."""

from decimal import Decimal

from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.reviews.models import CriterionSource, ReviewRound, RubricCriterion, Score, ScoreSheet
from manyi.reviews.scoring import services
from tests.reviews.factories import accepted, assign_experts
from tests.reviews.test_scoring_services import category_of, full_scores, opened, weights_of

OTHER_COMMENT = "乙专家的独到意见：客户回访记录完整"
OTHER_VISIT = "现场查看了乙专家所见的维修车间"


def sheet_post(cc, value="8", **extra) -> dict:
    data = {}
    for code, (v, note) in full_scores(cc, value).items():
        data[f"score-{code}"] = v
        data[f"note-{code}"] = note
    return {**data, **extra}


def submit_other(assignment, cc):
    services.save_sheet(
        assignment=assignment,
        by=assignment.expert,
        scores=full_scores(cc, "3"),
        recommendation="not_award",
        comment=OTHER_COMMENT,
        visited_on=None,
        submit=True,
    )


# --- the rubric pages --------------------------------------------------------------------------


def test_staff_set_weights_on_the_rubric_page(world, client_for):
    application = accepted(world)
    cc = category_of(application)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("reviews:scoring_rubric", args=[cc.pk])
    page = client.get(url).content.decode()
    assert 'name="weight-index"' in page
    assert "识别目标用户" in page
    assert "data-open-round" in page
    assert not RubricCriterion.objects.exists()  # reading creates nothing
    weights = {f"weight-point-{n:02d}": "6" for n in range(1, 11)}
    response = client.post(url, {**weights, "weight-index": "35", "weight-form": "10"})
    assert response.status_code == 200
    assert "现为 105" in response.content.decode()
    assert 'value="35"' in response.content.decode()  # what was typed is shown again
    assert not RubricCriterion.objects.exists()
    response = client.post(url, {**weights, "weight-index": "25", "weight-form": "15"})
    assert response.status_code == 302
    assert weights_of(cc)["form"] == Decimal(15)


def test_opening_the_round_locks_the_page(world, client_for):
    application = accepted(world)
    cc = category_of(application)
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.post(reverse("reviews:scoring_open", args=[cc.pk]))
    assert response.status_code == 302
    assert ReviewRound.objects.get(campaign_category=cc).opened_at is not None
    page = client.get(reverse("reviews:scoring_rubric", args=[cc.pk])).content.decode()
    assert 'name="weight-' not in page
    assert "评审已开始" in page
    weights = {f"weight-{code}": "0" for code in weights_of(cc)}
    weights["weight-index"] = "100"
    response = client.post(reverse("reviews:scoring_rubric", args=[cc.pk]), weights)
    assert "评审已开始，评分权重不能再修改" in response.content.decode()
    assert weights_of(cc)["index"] == Decimal(30)


def test_the_work_department_reads_the_rubric_without_a_form(world, client_for):
    cc = category_of(accepted(world))
    client = client_for(Role.WORKDEPT_STAFF)
    page = client.get(reverse("reviews:scoring_rubric", args=[cc.pk])).content.decode()
    assert "识别目标用户" in page
    assert 'name="weight-' not in page
    assert "data-open-round" not in page


def test_the_review_list_and_the_campaign_page_link_to_the_rubrics(world, client_for):
    cc = category_of(accepted(world))
    client = client_for(Role.COMMITTEE_STAFF)
    campaign_url = reverse("reviews:scoring_campaign", args=[cc.campaign_id])
    assert campaign_url in client.get(reverse("reviews:list")).content.decode()
    page = client.get(campaign_url).content.decode()
    assert reverse("reviews:scoring_rubric", args=[cc.pk]) in page


# --- the expert's sheet ------------------------------------------------------------------------


def test_the_sheet_before_the_round_opens_has_no_form(world, client_for):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    services.set_weights(
        campaign_category=category_of(application),
        by=world.users[Role.COMMITTEE_STAFF],
        weights={f"point-{n:02d}": "6" for n in range(1, 11)} | {"index": "30", "form": "10"},
    )
    client = client_for(assignment.expert)
    page = client.get(reverse("reviews:score", args=[assignment.pk])).content.decode()
    assert "评审尚未开始" in page
    assert 'name="score-point-01"' not in page
    response = client.post(reverse("reviews:score", args=[assignment.pk]), {"action": "save"})
    assert "评审尚未开始" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_the_expert_types_only_expert_criteria(world, client_for):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    client = client_for(assignment.expert)
    url = reverse("reviews:score", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert 'name="score-point-01"' in page
    assert 'name="score-index"' not in page
    assert "待调查结果" in page
    data = sheet_post(cc, "9", **{"score-index": "10", "score-form": "10", "action": "save"})
    assert client.post(url, data).status_code == 302
    stored = set(Score.objects.values_list("criterion__source", flat=True))
    assert stored == {CriterionSource.EXPERT}
    assert Score.objects.count() == 10


def test_a_refused_post_shows_why_and_keeps_what_was_typed(world, client_for):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    client = client_for(assignment.expert)
    data = sheet_post(cc, "8", action="submit", comment="我的意见")
    data["score-point-04"] = "12"
    response = client.post(reverse("reviews:score", args=[assignment.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“生产过程控制”的得分须为 0–10 之间的数" in page
    assert 'value="12"' in page
    assert "我的意见" in page
    assert not ScoreSheet.objects.exists()


def test_another_experts_sheet_is_404(world, client_for):
    application = accepted(world)
    mine, theirs = assign_experts(world, application, 2)
    opened(world, application)
    client = client_for(mine.expert)
    assert client.get(reverse("reviews:score", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("reviews:score", args=[theirs.pk]), {}).status_code == 404


def test_an_expert_sees_the_others_only_after_submitting(world, client_for):
    application = accepted(world)
    mine, theirs = assign_experts(world, application, 2)
    cc = opened(world, application)
    submit_other(theirs, cc)
    client = client_for(mine.expert)
    url = reverse("reviews:score", args=[mine.pk])
    page = client.get(url).content.decode()
    assert OTHER_COMMENT not in page  # the data that could leak exists, and is not there
    assert "其他专家的评分" not in page
    assert "不建议授予" in page  # only as the radio label of my own form
    assert 'data-recommendation="not_award"' not in page
    client.post(url, sheet_post(cc, "8", action="save"))
    assert OTHER_COMMENT not in client.get(url).content.decode()
    response = client.post(url, sheet_post(cc, "8", action="submit", recommendation="award"))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert OTHER_COMMENT in page
    assert "其他专家 1" in page
    assert 'data-recommendation="not_award"' in page
    assert 'name="score-point-01"' not in page  # the submitted sheet is read-only


# --- the review page ---------------------------------------------------------------------------


def test_the_review_page_shows_each_expert_and_the_aggregate(world, client_for):
    application = accepted(world)
    a, b, c = assign_experts(world, application, 3)
    cc = opened(world, application)
    services.save_sheet(
        assignment=a,
        by=a.expert,
        scores=full_scores(cc, "9"),
        recommendation="award",
        comment="甲专家意见",
        visited_on=application.created_at.date(),
        visit_findings="售后服务网点运行良好",
        submit=True,
    )
    submit_other(b, cc)
    services.save_sheet(assignment=c, by=c.expert, scores=full_scores(cc, "5"))  # a draft
    page = client_for(Role.COMMITTEE_STAFF).get(reverse("reviews:detail", args=[application.pk]))
    html = page.content.decode()
    assert 'id="scoring"' in html
    assert reverse("reviews:scoring_rubric", args=[cc.pk]) in html
    assert a.expert.display_name in html
    assert "填写中" in html  # c's draft: its state only
    assert "已提交 2 份评分" in html
    assert "专家意见分歧较大" in html
    assert "甲专家意见" in html
    assert OTHER_COMMENT in html
    assert "售后服务网点运行良好" in html
    # a: 60 × 0.9 = 54 + form; b: 60 × 0.3 = 18 + form; the draft's 5s are nowhere.
    assert 'data-spread="36.0"' in html
    assert 'data-total="' in html


def test_the_review_page_has_no_scoring_part_before_acceptance(world, client_for):
    from tests.reviews.factories import after_recommendation

    application = after_recommendation(world)
    page = client_for(Role.COMMITTEE_STAFF).get(reverse("reviews:detail", args=[application.pk]))
    assert 'id="scoring"' not in page.content.decode()
