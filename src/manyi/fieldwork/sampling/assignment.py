"""Assigning recommended applications' surveys to a survey firm (`assign_survey`,
`assign_surveys`): the firm, the field period and the sample design; the target completes
come from the design and the size of the current accepted customer list.

`assign_holder_survey` gives a later survey of a title holder (Art. 22, launched by
supervision) to a firm with the same questionnaire rule, design and customer list."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from manyi.accounts.roles import OrgKind
from manyi.common.punctuation import labelled
from manyi.common.services import log_activity
from manyi.fieldwork.access import ASSIGN, ASSIGN_HOLDER, OPEN_ASSIGNMENTS, already_assigned
from manyi.fieldwork.models import Questionnaire, QuestionnaireStatus, Survey, SurveyPurpose
from manyi.fieldwork.sampling.design import STRATA, sample_design
from manyi.fieldwork.sampling.frame import current_list

# Each setting of the design: (lowest, highest, decimal places).
BOUNDS = {
    "margin": (Decimal("0.5"), Decimal("20"), 1),
    "confidence": (Decimal("0.80"), Decimal("0.99"), 2),
    "expected_response_rate": (Decimal("0.05"), Decimal("1"), 2),
    "reserve_share": (Decimal("0"), Decimal("1"), 2),
    "callback_share": (Decimal("0"), Decimal("1"), 2),
}


# --------------------------------------------------------------------------------------------
# Assignment


def _settings(*, firm, field_opens, field_closes, strata, max_attempts, **numbers) -> dict:
    """The checked settings shared by every survey of one assignment (errors by field)."""
    errors = {}
    if firm is None or firm.kind != OrgKind.SURVEY_FIRM or not firm.is_active:
        errors["firm"] = _("请选择有效的第三方调查机构")
    if not field_opens or not field_closes:
        errors["field_closes"] = _("请填写调查开始和截止日期")
    elif field_closes < field_opens:
        errors["field_closes"] = _("调查截止日期不能早于开始日期")
    checked = {}
    for name, (low, high, places) in BOUNDS.items():
        try:
            value = Decimal(str(numbers[name])).quantize(Decimal(1).scaleb(-places))
        except (InvalidOperation, ValueError, TypeError):
            value = None
        if value is None or not low <= value <= high:
            errors[name] = _("请填写 %(low)s 至 %(high)s 之间的数值") % {"low": low, "high": high}
        checked[name] = value
    chosen = list(strata or ())
    if any(s not in STRATA for s in chosen):
        errors["strata"] = _("分层变量只能选择区域或用户类型")
    if not isinstance(max_attempts, int) or not 1 <= max_attempts <= 20:
        errors["max_attempts"] = _("每个号码最多拨打次数应为 1 至 20 次")
    if errors:
        raise ValidationError(errors)
    return {
        "firm": firm,
        "field_opens": field_opens,
        "field_closes": field_closes,
        "strata": [s for s in STRATA if s in chosen],
        "max_attempts": max_attempts,
        **checked,
    }


def _assign(
    application,
    *,
    by,
    settings: dict,
    purpose: str = SurveyPurpose.APPLICATION,
    campaign_id: int | None = None,
) -> Survey:
    """One survey of `application` for `purpose`, in `campaign_id` (the application's own
    campaign unless given: a holder survey counts in the year it is made)."""
    if purpose == SurveyPurpose.APPLICATION:
        ASSIGN.require(by, application)
    else:
        ASSIGN_HOLDER.require(by, application)
    questionnaire = Questionnaire.objects.filter(
        category=application.category, status=QuestionnaireStatus.PUBLISHED
    ).first()
    if questionnaire is None:
        raise ValidationError(_("该类别尚无已发布的问卷，请先发布问卷"))
    customer_list = current_list(application)
    if customer_list is None:
        raise ValidationError(_("该申报没有已通过检查的用户名单，不能委托调查"))
    design = sample_design(
        population=customer_list.row_count,
        margin=settings["margin"],
        confidence=settings["confidence"],
        expected_response_rate=settings["expected_response_rate"],
        reserve_share=settings["reserve_share"],
    )
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                application=application,
                purpose=purpose,
                campaign_id=campaign_id or application.campaign_id,
                questionnaire=questionnaire,
                target_completes=design.completes,
                assigned_by=by,
                **settings,
            )
    except IntegrityError as exc:  # someone assigned it a moment ago
        raise already_assigned() from exc
    log_activity(
        actor=by,
        action="survey.assign",
        obj=survey,
        organisation=application.organisation,
        after={
            "purpose": purpose,
            "firm": settings["firm"].name,
            "target_completes": design.completes,
            "list_rows": customer_list.row_count,
            "field": [settings["field_opens"].isoformat(), settings["field_closes"].isoformat()],
            "questionnaire": f"{questionnaire.category} v{questionnaire.version}",
        },
    )
    return survey


def assign_survey(
    *,
    application,
    firm,
    field_opens,
    field_closes,
    by,
    margin=3,
    confidence=0.95,
    expected_response_rate=0.5,
    reserve_share=0.2,
    strata=(),
    max_attempts=5,
    callback_share=0.1,
) -> Survey:
    """Give a recommended application's survey to a survey firm.

    The questionnaire is the category's published one; the target completes come from the
    design and the size of the current accepted customer list. Side effects, in order: the
    Survey (assigned); an activity-log entry `survey.assign`. Nothing is stored on an error.
    """
    OPEN_ASSIGNMENTS.require(by, None)
    settings = _settings(
        firm=firm,
        field_opens=field_opens,
        field_closes=field_closes,
        strata=strata,
        max_attempts=max_attempts,
        margin=margin,
        confidence=confidence,
        expected_response_rate=expected_response_rate,
        reserve_share=reserve_share,
        callback_share=callback_share,
    )
    with transaction.atomic():
        return _assign(application, by=by, settings=settings)


def assign_holder_survey(
    *, application, campaign, firm, field_opens, field_closes, by, **design
) -> Survey:
    """A later survey of the title holder that `application` made (purpose HOLDER), counted in
    `campaign` (its phones are kept apart from that campaign's other surveys).

    The same questionnaire rule, design and customer list (the application's current accepted
    one) as `assign_survey`; the caller checks the title. Runs inside the caller's transaction
    when there is one. Side effects, in order: the Survey (assigned); an activity-log entry
    `survey.assign`. Nothing is stored on an error.
    """
    settings = _settings(
        firm=firm, field_opens=field_opens, field_closes=field_closes, **_design_args(design)
    )
    with transaction.atomic():
        return _assign(
            application,
            by=by,
            settings=settings,
            purpose=SurveyPurpose.HOLDER,
            campaign_id=campaign.pk,
        )


def assign_surveys(*, applications, firm, field_opens, field_closes, by, **design) -> list[Survey]:
    """`assign_survey` for several applications at once, all or nothing.

    Every application is checked; when any is refused, nothing is stored and the one
    ValidationError names each refused applicant with its reason.
    """
    OPEN_ASSIGNMENTS.require(by, None)
    applications = list(applications)
    if not applications:
        raise ValidationError({"applications": _("请至少选择一项申报")})
    settings = _settings(
        firm=firm, field_opens=field_opens, field_closes=field_closes, **_design_args(design)
    )
    surveys, problems = [], []
    with transaction.atomic():
        for application in applications:
            try:
                with transaction.atomic():
                    surveys.append(_assign(application, by=by, settings=settings))
            except ValidationError as exc:
                name = application.organisation.name
                problems += [labelled(name, message) for message in exc.messages]
        if problems:  # raised inside the transaction: every survey made above is undone
            raise ValidationError(problems)
    return surveys


def _design_args(design: dict) -> dict:
    defaults = {
        "margin": 3,
        "confidence": 0.95,
        "expected_response_rate": 0.5,
        "reserve_share": 0.2,
        "strata": (),
        "max_attempts": 5,
        "callback_share": 0.1,
    }
    unknown = set(design) - set(defaults)
    if unknown:
        raise TypeError(f"unknown design settings: {sorted(unknown)}")
    return {**defaults, **design}
