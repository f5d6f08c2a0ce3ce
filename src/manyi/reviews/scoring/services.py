"""The experts' scoring: the rubric's weights, opening the round, the experts' score sheets.

- `set_weights`: staff set the weights of a category's criteria (≥ 0, summing to exactly 100)
  while the round is not open.
- `open_round`: staff open the category's expert review; the weights are fixed from then on
  and the assigned experts are told they may score.
- `save_sheet`: an assigned expert saves or submits their sheet; only expert criteria are
  typed (the index and the form's figures are computed, see computed.py); a submitted sheet
  never changes.

The aggregate is computed from the submitted sheets when read (results.py), never stored.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.services import log_activity, queue_email
from manyi.reviews.access import EDIT_RUBRIC, OPEN_ROUND, SCORE, round_opened, sheet_submitted
from manyi.reviews.models import (
    Assignment,
    AssignmentStatus,
    CriterionSource,
    Recommendation,
    ReviewRound,
    RubricCriterion,
    Score,
    ScoreSheet,
)
from manyi.reviews.scoring.rubric import criteria_of, ensure_rubric

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
COMMENT_MAX = 2000
FINDINGS_MAX = 5000


# ------------------------------------------------------------------------------------------
# Weights and the round


def _locked_round(campaign_category) -> ReviewRound:
    """The category's round, created when missing, locked until the transaction ends (so a
    weight change and the opening never cross)."""
    ReviewRound.objects.get_or_create(campaign_category=campaign_category)
    return ReviewRound.objects.select_for_update().get(campaign_category=campaign_category)


def _as_weight(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or number > HUNDRED:
        return None
    if number != number.quantize(CENT):
        return None
    return number


def check_weights(criteria, weights: dict) -> dict[str, Decimal]:
    """code → weight for every criterion, or ValidationError with every problem named."""
    known = {c.code: c for c in criteria}
    problems = []
    unknown = sorted(set(weights) - set(known))
    if unknown:
        problems.append(_("评分项不存在：%(codes)s") % {"codes": "、".join(unknown)})
    clean = {}
    for code, criterion in known.items():
        if weights.get(code) in (None, ""):
            problems.append(_("请填写“%(name)s”的权重") % {"name": criterion.name_zh})
            continue
        weight = _as_weight(weights[code])
        if weight is None:
            problems.append(
                _("“%(name)s”的权重须为 0–100 之间的数，最多两位小数") % {"name": criterion.name_zh}
            )
            continue
        clean[code] = weight
    if not problems:
        total = sum(clean.values(), Decimal(0))
        if total != HUNDRED:
            problems.append(
                _("各项权重之和须恰好为 100，现为 %(sum)s")
                % {"sum": format(total.normalize(), "f")}
            )
    if problems:
        raise ValidationError(problems)
    return clean


def _weights(criteria) -> dict[str, str]:
    return {c.code: format(c.weight.normalize(), "f") for c in criteria}


def set_weights(*, campaign_category, by, weights: dict) -> list[RubricCriterion]:
    """Staff set the weights (%) of the category's criteria, before the round opens.

    Side effects, in one transaction: the default rubric created when missing; each
    criterion's weight saved; an activity-log entry ("rubric.set_weights", before and after).
    Refused, changing nothing, when a weight is missing, negative, above 100 or has more than
    two decimals, or when the weights do not sum to exactly 100 (the sum is shown).
    """
    EDIT_RUBRIC.require(by, campaign_category)
    with transaction.atomic():
        review_round = _locked_round(campaign_category)
        if review_round.opened_at is not None:
            raise round_opened()
        criteria = ensure_rubric(campaign_category)
        clean = check_weights(criteria, weights)
        before = _weights(criteria)
        for criterion in criteria:
            if criterion.weight != clean[criterion.code]:
                criterion.weight = clean[criterion.code]
                criterion.save(update_fields=["weight"])
        log_activity(
            actor=by,
            action="rubric.set_weights",
            obj=campaign_category,
            before=before,
            after=_weights(criteria),
        )
    return criteria


def open_round(*, campaign_category, by) -> ReviewRound:
    """Staff open the category's expert review: the weights are fixed from now on.

    Side effects, in one transaction: the default rubric created when missing; the round's
    opened_at and opened_by set; an activity-log entry ("review_round.open", the weights);
    after commit, a mail to each expert with an active assignment in the category.
    Refused when the round is already open or the weights do not sum to 100.
    """
    OPEN_ROUND.require(by, campaign_category)
    with transaction.atomic():
        review_round = _locked_round(campaign_category)
        if review_round.opened_at is not None:
            raise round_opened()
        criteria = ensure_rubric(campaign_category)
        check_weights(criteria, {c.code: c.weight for c in criteria})
        review_round.opened_at = timezone.now()
        review_round.opened_by = by
        review_round.save(update_fields=["opened_at", "opened_by"])
        log_activity(
            actor=by,
            action="review_round.open",
            obj=campaign_category,
            after={"weights": _weights(criteria), "opened_at": review_round.opened_at},
        )
        for assignment in _active_assignments(campaign_category):
            queue_email(
                to=assignment.expert.email,
                template="scoring_round_opened",
                context={
                    "expert": assignment.expert,
                    "application": assignment.application,
                    "url": reverse("reviews:score", args=[assignment.pk]),
                },
            )
    return review_round


def _active_assignments(campaign_category):
    return (
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            application__campaign_id=campaign_category.campaign_id,
            application__category=campaign_category.category,
        )
        .select_related("expert", "application__organisation", "application__campaign")
        .order_by("application_id", "position")
    )


# ------------------------------------------------------------------------------------------
# Score sheets


def _as_score(value, criterion) -> Decimal | None:
    """The typed value as a Decimal within 0..max with at most two decimals; else
    ValidationError. None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if (
        number is None
        or not number.is_finite()
        or number < 0
        or number > criterion.max_score
        or number != number.quantize(CENT)
    ):
        raise ValidationError(
            _("“%(name)s”的得分须为 0–%(max)s 之间的数，最多两位小数")
            % {"name": criterion.name_zh, "max": criterion.max_score}
        )
    return number


def check_sheet(
    criteria, *, scores, recommendation, comment, visited_on, visit_findings, submit
) -> dict:
    """Everything the expert typed, checked at once: the clean values, or ValidationError
    naming every problem (nothing is stored then)."""
    by_code = {c.code: c for c in criteria}
    expert = [c for c in criteria if c.source == CriterionSource.EXPERT]
    problems = []
    for code in scores:
        criterion = by_code.get(code)
        if criterion is None:
            problems.append(_("评分项不存在：%(code)s") % {"code": code})
        elif criterion.source != CriterionSource.EXPERT:
            problems.append(_("“%(name)s”由系统计算，不能填写") % {"name": criterion.name_zh})
    values = {}
    for criterion in expert:
        value, note = scores.get(criterion.code, (None, ""))
        note = (note or "").strip()
        try:
            number = _as_score(value, criterion)
        except ValidationError as exc:
            problems.extend(exc.messages)
            continue
        if len(note) > COMMENT_MAX:
            problems.append(
                _("“%(name)s”的说明请不超过 %(n)d 字")
                % {"name": criterion.name_zh, "n": COMMENT_MAX}
            )
        if number is None and submit:
            problems.append(_("请为“%(name)s”评分") % {"name": criterion.name_zh})
        values[criterion.code] = (number, note)
    recommendation = recommendation or ""
    if recommendation not in ("", *Recommendation.values):
        problems.append(_("请选择建议授予或不建议授予"))
    elif submit and not recommendation:
        problems.append(_("提交前请选择总体意见（建议授予或不建议授予）"))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        problems.append(_("评审意见请不超过 %(n)d 字") % {"n": COMMENT_MAX})
    visit_findings = (visit_findings or "").strip()
    if len(visit_findings) > FINDINGS_MAX:
        problems.append(_("现场核查情况请不超过 %(n)d 字") % {"n": FINDINGS_MAX})
    if visited_on is not None and not isinstance(visited_on, date):
        problems.append(_("现场核查日期无效"))
    elif visited_on is not None and visited_on > timezone.localdate():
        problems.append(_("现场核查日期不能晚于今天"))
    if visit_findings and visited_on is None:
        problems.append(_("填写现场核查情况时，请同时填写核查日期"))
    if submit and visited_on is not None and not visit_findings:
        problems.append(_("请填写现场核查情况"))
    if problems:
        raise ValidationError(problems)
    return {
        "values": values,
        "recommendation": recommendation,
        "comment": comment,
        "visited_on": visited_on,
        "visit_findings": visit_findings,
    }


def _sheet_record(sheet, criteria) -> dict:
    typed = {s.criterion_id: s for s in sheet.scores.all()} if sheet and sheet.pk else {}
    codes = {c.pk: c.code for c in criteria}
    return {
        "scores": {codes[pk]: format(s.value.normalize(), "f") for pk, s in typed.items()},
        "recommendation": sheet.recommendation if sheet else "",
        "visited_on": sheet.visited_on if sheet else None,
    }


def save_sheet(
    *,
    assignment,
    by,
    scores: dict,
    recommendation: str = "",
    comment: str = "",
    visited_on=None,
    visit_findings: str = "",
    submit: bool = False,
) -> ScoreSheet:
    """An assigned expert saves (or, with ``submit``, submits) their score sheet.

    ``scores``: expert criterion code → (value, comment); an empty value is left unscored
    (allowed until submitting). Computed criteria are never typed: naming one is refused.
    On submit every expert criterion needs a value, and an overall recommendation is needed.

    Side effects, in one transaction: the sheet created or updated, its scores replaced by the
    ones given; on submit, submitted_at set (the sheet never changes again); an activity-log
    entry ("score_sheet.save" or "score_sheet.submit", before and after). Refused, changing
    nothing, when the round is not open, the assignment is closed or the sheet submitted, or
    when a value is out of range.
    """
    SCORE.require(by, assignment)
    application = assignment.application
    criteria = criteria_of(application)
    clean = check_sheet(
        criteria,
        scores=scores,
        recommendation=recommendation,
        comment=comment,
        visited_on=visited_on,
        visit_findings=visit_findings,
        submit=submit,
    )
    by_code = {c.code: c for c in criteria}
    with transaction.atomic():
        # Locked, so a double click or two tabs never write one sheet twice.
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != AssignmentStatus.ACTIVE:
            SCORE.require(by, locked)
        sheet = ScoreSheet.objects.filter(assignment=locked).first()
        if sheet is not None and sheet.submitted_at is not None:
            raise sheet_submitted()
        before = _sheet_record(sheet, criteria)
        sheet = sheet or ScoreSheet(assignment=locked)
        sheet.recommendation = clean["recommendation"]
        sheet.comment = clean["comment"]
        sheet.visited_on = clean["visited_on"]
        sheet.visit_findings = clean["visit_findings"]
        sheet.submitted_at = timezone.now() if submit else None
        sheet.save()
        kept = []
        for code, (value, note) in clean["values"].items():
            if value is None:
                continue
            criterion = by_code[code]
            Score.objects.update_or_create(
                sheet=sheet, criterion=criterion, defaults={"value": value, "comment": note}
            )
            kept.append(criterion.pk)
        sheet.scores.exclude(criterion_id__in=kept).delete()
        log_activity(
            actor=by,
            action="score_sheet.submit" if submit else "score_sheet.save",
            obj=application,
            organisation=application.organisation,
            before={"assignment": locked.pk, **before},
            after={"assignment": locked.pk, **_sheet_record(sheet, criteria)},
        )
    assignment.sheet = sheet
    return sheet
