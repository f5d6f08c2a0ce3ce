"""The rubric, the round and the experts' score sheets (reviews/scoring/services.py), and the
expert result read from them (results.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.roles import Role
from manyi.campaigns.models import CampaignCategory
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.reviews.models import (
    AssignmentStatus,
    CriterionSource,
    ReviewRound,
    RubricCriterion,
    Score,
    ScoreSheet,
)
from manyi.reviews.scoring import services
from manyi.reviews.scoring.computed import computed_details
from manyi.reviews.scoring.results import expert_result
from manyi.reviews.scoring.rubric import ensure_rubric
from tests.reviews.factories import accepted, assign_experts


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def category_of(application) -> CampaignCategory:
    return CampaignCategory.objects.get(
        campaign_id=application.campaign_id, category=application.category
    )


def opened(world, application) -> CampaignCategory:
    cc = category_of(application)
    services.open_round(campaign_category=cc, by=staff(world))
    return cc


def expert_codes(cc) -> list[str]:
    return list(
        RubricCriterion.objects.filter(campaign_category=cc, source=CriterionSource.EXPERT)
        .order_by("order")
        .values_list("code", flat=True)
    )


def full_scores(cc, value="8") -> dict:
    return dict.fromkeys(expert_codes(cc), (value, "论述充分"))


def weights_of(cc) -> dict:
    return dict(RubricCriterion.objects.filter(campaign_category=cc).values_list("code", "weight"))


# --- the rubric --------------------------------------------------------------------------------


def test_the_default_rubric_has_the_ten_points_the_index_and_the_form(world):
    application = accepted(world, "product")
    criteria = ensure_rubric(category_of(application))
    assert len(criteria) == 12
    expert = [c for c in criteria if c.source == CriterionSource.EXPERT]
    assert [c.name_zh for c in expert][:2] == ["识别目标用户", "识别目标用户的需求"]
    assert all(c.weight == 6 and c.max_score == 10 and c.name_en for c in expert)
    by_source = {c.source: c.weight for c in criteria if c.source != CriterionSource.EXPERT}
    assert by_source == {CriterionSource.INDEX: 30, CriterionSource.FORM: 10}
    assert sum(c.weight for c in criteria) == 100
    ensure_rubric(category_of(application))
    assert RubricCriterion.objects.filter(campaign_category=category_of(application)).count() == 12


def test_the_engineering_rubric_gives_the_form_weight_to_the_index(world):
    application = accepted(world, "engineering")
    weights = {c.source: c.weight for c in ensure_rubric(category_of(application))}
    assert weights[CriterionSource.FORM] == 0
    assert weights[CriterionSource.INDEX] == 40


def test_weights_must_sum_to_exactly_100_and_the_sum_is_shown(world):
    cc = category_of(accepted(world))
    ensure_rubric(cc)
    before = weights_of(cc)
    weights = {code: str(w) for code, w in before.items()}
    weights["index"] = "35"
    with pytest.raises(ValidationError) as exc:
        services.set_weights(campaign_category=cc, by=staff(world), weights=weights)
    assert "现为 105" in " ".join(exc.value.messages)
    assert weights_of(cc) == before
    assert not ActivityLog.objects.filter(action="rubric.set_weights").exists()


@pytest.mark.parametrize("bad", ["-5", "abc", "100.5", "6.001", ""])
def test_a_bad_weight_is_refused_and_nothing_changes(world, bad):
    cc = category_of(accepted(world))
    ensure_rubric(cc)
    before = weights_of(cc)
    weights = {code: str(w) for code, w in before.items()}
    weights["point-01"] = bad
    with pytest.raises(ValidationError):
        services.set_weights(campaign_category=cc, by=staff(world), weights=weights)
    assert weights_of(cc) == before


def test_weights_summing_to_100_are_saved_and_logged(world):
    cc = category_of(accepted(world))
    weights = dict.fromkeys([f"point-{n:02d}" for n in range(1, 11)], "5")
    weights.update({"index": "40", "form": "10"})
    services.set_weights(campaign_category=cc, by=staff(world), weights=weights)
    assert weights_of(cc)["index"] == Decimal(40)
    assert weights_of(cc)["point-03"] == Decimal(5)
    entry = ActivityLog.objects.get(action="rubric.set_weights")
    assert entry.before["index"] == "30"
    assert entry.after["index"] == "40"


def test_an_unknown_criterion_is_refused(world):
    cc = category_of(accepted(world))
    weights = {code: str(w) for code, w in ((c.code, c.weight) for c in ensure_rubric(cc))}
    weights["bonus"] = "0"
    with pytest.raises(ValidationError):
        services.set_weights(campaign_category=cc, by=staff(world), weights=weights)


def test_the_work_department_may_not_set_weights_or_open(world):
    cc = category_of(accepted(world))
    with pytest.raises(PermissionDenied):
        services.set_weights(campaign_category=cc, by=world.users[Role.WORKDEPT_STAFF], weights={})
    with pytest.raises(PermissionDenied):
        services.open_round(campaign_category=cc, by=world.users[Role.WORKDEPT_STAFF])


def test_weights_lock_when_the_round_opens_and_experts_are_told(world):
    application = accepted(world)
    assignments = assign_experts(world, application, 2)
    cc = opened(world, application)
    review_round = ReviewRound.objects.get(campaign_category=cc)
    assert review_round.opened_at is not None
    assert review_round.opened_by == staff(world)
    mails = OutboxMessage.objects.filter(template="scoring_round_opened")
    assert sorted(m.to for m in mails) == sorted(a.expert.email for a in assignments)
    assert ActivityLog.objects.filter(action="review_round.open").exists()
    before = weights_of(cc)
    weights = {code: str(w) for code, w in before.items()}
    weights.update({"index": "20", "form": "20"})
    with pytest.raises(ValidationError, match="评审已开始"):
        services.set_weights(campaign_category=cc, by=staff(world), weights=weights)
    assert weights_of(cc) == before
    with pytest.raises(ValidationError, match="评审已开始"):
        services.open_round(campaign_category=cc, by=staff(world))


# --- score sheets ------------------------------------------------------------------------------


def test_an_expert_cannot_score_before_the_round_opens(world):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    ensure_rubric(category_of(application))
    with pytest.raises(ValidationError, match="评审尚未开始"):
        services.save_sheet(
            assignment=assignment,
            by=assignment.expert,
            scores=full_scores(category_of(application)),
            recommendation="award",
        )
    assert not ScoreSheet.objects.exists()


def test_a_draft_is_saved_and_submitting_fixes_it(world):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    scores = full_scores(cc)
    scores["point-02"] = ("", "")
    sheet = services.save_sheet(assignment=assignment, by=assignment.expert, scores=scores)
    assert sheet.submitted_at is None
    assert sheet.scores.count() == 9
    assert ActivityLog.objects.filter(action="score_sheet.save").count() == 1
    sheet = services.save_sheet(
        assignment=assignment,
        by=assignment.expert,
        scores=full_scores(cc, "9.5"),
        recommendation="award",
        comment="建议授予",
        submit=True,
    )
    assert sheet.submitted_at is not None
    assert sheet.scores.count() == 10
    assert set(sheet.scores.values_list("value", flat=True)) == {Decimal("9.5")}
    entry = ActivityLog.objects.get(action="score_sheet.submit")
    assert entry.after["scores"]["point-01"] == "9.5"
    assert entry.before["scores"]["point-01"] == "8"


def test_a_submitted_sheet_never_changes(world):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    services.save_sheet(
        assignment=assignment,
        by=assignment.expert,
        scores=full_scores(cc),
        recommendation="award",
        submit=True,
    )
    with pytest.raises(ValidationError, match="已提交"):
        services.save_sheet(
            assignment=assignment,
            by=assignment.expert,
            scores=full_scores(cc, "2"),
            recommendation="not_award",
        )
    sheet = ScoreSheet.objects.get()
    assert sheet.recommendation == "award"
    assert set(sheet.scores.values_list("value", flat=True)) == {Decimal(8)}


@pytest.mark.parametrize("bad", ["11", "-1", "abc", "8.123", "NaN"])
def test_an_out_of_range_value_is_refused_and_nothing_is_stored(world, bad):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    services.save_sheet(assignment=assignment, by=assignment.expert, scores=full_scores(cc, "7"))
    scores = full_scores(cc, "9")
    scores["point-05"] = (bad, "")
    with pytest.raises(ValidationError):
        services.save_sheet(assignment=assignment, by=assignment.expert, scores=scores)
    assert set(Score.objects.values_list("value", flat=True)) == {Decimal(7)}
    assert ActivityLog.objects.filter(action="score_sheet.save").count() == 1


def test_submitting_needs_every_value_and_a_recommendation(world):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    scores = full_scores(cc)
    scores["point-10"] = ("", "")
    with pytest.raises(ValidationError) as exc:
        services.save_sheet(assignment=assignment, by=assignment.expert, scores=scores, submit=True)
    words = " ".join(exc.value.messages)
    assert "请为“客户关系管理”评分" in words
    assert "总体意见" in words
    assert not ScoreSheet.objects.exists()
    assert not Score.objects.exists()


def test_a_value_for_a_computed_criterion_is_refused(world):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    scores = full_scores(cc)
    scores["index"] = ("10", "")
    with pytest.raises(ValidationError, match="由系统计算"):
        services.save_sheet(assignment=assignment, by=assignment.expert, scores=scores)
    assert not Score.objects.exists()


def test_only_the_assigned_expert_scores_and_not_after_declining(world):
    application = accepted(world)
    first, second = assign_experts(world, application, 2)
    cc = opened(world, application)
    with pytest.raises(PermissionDenied):
        services.save_sheet(assignment=first, by=second.expert, scores=full_scores(cc))
    with pytest.raises(PermissionDenied):
        services.save_sheet(assignment=first, by=staff(world), scores=full_scores(cc))
    first.status = AssignmentStatus.DECLINED
    first.save()
    with pytest.raises(ValidationError, match="谢绝"):
        services.save_sheet(assignment=first, by=first.expert, scores=full_scores(cc))
    assert not ScoreSheet.objects.exists()


def test_a_visit_needs_its_date_and_findings(world):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    with pytest.raises(ValidationError, match="核查日期"):
        services.save_sheet(
            assignment=assignment,
            by=assignment.expert,
            scores=full_scores(cc),
            visit_findings="现场查看了售后服务中心",
        )
    assert not ScoreSheet.objects.exists()


# --- computed criteria and the result ----------------------------------------------------------


def _submit(assignment, cc, value, recommendation, comment=""):
    return services.save_sheet(
        assignment=assignment,
        by=assignment.expert,
        scores=full_scores(cc, value),
        recommendation=recommendation,
        comment=comment,
        submit=True,
    )


def test_the_form_criterion_is_the_mean_of_the_forms_quality_rates(world):
    application = accepted(world, "brand")
    application.form_data = {
        **application.form_data,
        "major_accidents": "no",
        "warranty_repair_rate": "2",
        "returns_per_year": "",
    }
    application.save()
    cc = category_of(application)
    details = computed_details(application, ensure_rubric(cc))
    # 无事故 1, 1 − 2 % = 0.98: mean 0.99 × 10.
    assert details["form"].value == Decimal("9.90")
    assert details["index"].value is None
    assert details["index"].pending is True


def test_a_product_form_reads_its_returns_against_its_sales(world):
    application = accepted(world, "product")
    application.form_data = {**application.form_data, "quality_returns": 5, "sales_volume": "1000"}
    application.save()
    details = computed_details(application, ensure_rubric(category_of(application)))
    assert details["form"].value == Decimal("9.95")


def test_a_form_without_quality_figures_scores_0(world):
    application = accepted(world, "service")
    application.form_data = {}
    application.save()
    details = computed_details(application, ensure_rubric(category_of(application)))
    assert details["form"].value == Decimal(0)


def test_no_result_before_a_sheet_is_submitted(world):
    application = accepted(world)
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    services.save_sheet(assignment=assignment, by=assignment.expert, scores=full_scores(cc))
    assert expert_result(application) is None


def test_the_expert_result_from_submitted_sheets_of_active_assignments(world):
    application = accepted(world, "product")
    application.form_data = {**application.form_data, "quality_returns": 0, "sales_volume": 100}
    application.save()
    a, b, c, d = assign_experts(world, application, 4)
    cc = opened(world, application)
    _submit(a, cc, "6", "not_award")
    _submit(b, cc, "8", "award")
    _submit(c, cc, "9", "award")
    _submit(d, cc, "10", "award")
    d.status = AssignmentStatus.REPLACED  # a replaced expert's sheet no longer counts
    d.save()
    result = expert_result(application)
    # Experts: 60 × v/10; no index yet (0, provisional); form: no returns, 10 × 10/10 = 10.
    assert [t for _e, t in result["totals"]] == [46.0, 58.0, 64.0]
    assert [e for e, _t in result["totals"]] == [a.expert, b.expert, c.expert]
    assert result["n"] == 3
    assert result["mean"] == pytest.approx(56.0)
    assert result["median"] == pytest.approx(58.0)
    assert result["trimmed_mean"] == pytest.approx(56.0)
    assert result["spread"] == pytest.approx(18.0)
    assert result["dispersed"] is True
    assert (result["recommend_award"], result["recommend_not"]) == (2, 1)
    assert result["provisional"] is True


def test_the_index_criterion_comes_from_the_survey_result(world):
    from tests.fieldwork.results_helpers import closed

    survey = closed(world)
    application = survey.application
    from manyi.fieldwork.results.summary import survey_result

    index = survey_result(survey).index
    assert index is not None
    (assignment,) = assign_experts(world, application, 1)
    cc = opened(world, application)
    details = computed_details(application, ensure_rubric(cc))
    expected = (Decimal(str(index)) / 100 * 10).quantize(Decimal("0.01"))
    assert details["index"].value == expected
    _submit(assignment, cc, "10", "award")
    result = expert_result(application)
    assert result["provisional"] is False
    form = float(details["form"].value)
    assert result["totals"][0][1] == pytest.approx(60 + 3 * float(expected) + form, abs=0.01)
