"""Quality control by the survey firm's manager: the review of flagged responses, and the
call-back verification of a drawn share of telephone interviews.

Every decision is claimed with the old state in the filter (an UPDATE that checks its row
count), so two managers pressing the button at the same moment decide once and the second is
told politely.
"""

import math
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.fieldwork.access import (
    DRAW_VERIFICATION,
    REVIEW_RESPONSE,
    VERIFY_INTERVIEW,
    nothing_to_verify,
)
from manyi.fieldwork.models import (
    ContactStatus,
    QcStatus,
    Response,
    SampledContact,
    Survey,
)
from manyi.fieldwork.qc.choices import (
    INTERVIEW_CHANNELS,
    MAX_REASON,
    ReviewDecision,
    VerifyResult,
)

NOT_CONFIRMED = "not_confirmed"


def _text(value, *, field: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_REASON:
        raise ValidationError({field: _("不能超过 %(n)s 个字") % {"n": MAX_REASON}})
    return text


def review_response(*, response: Response, decision: str, reason: str = "", by) -> Response:
    """Approve or reject a flagged response (a reason is required to reject).

    Side effects, in order: the response's qc_status, qc_reason, qc_by and qc_at saved,
    claimed while it is still flagged; one activity-log entry `response.approve` or
    `response.reject` with the flags. Raises ValidationError when someone decided first.
    """
    REVIEW_RESPONSE.require(by, response)
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("请选择复核意见")})
    reason = _text(reason, field="reason")
    if decision == ReviewDecision.REJECT and not reason:
        raise ValidationError({"reason": _("剔除回答时请写明原因")})
    status = QcStatus.APPROVED if decision == ReviewDecision.APPROVE else QcStatus.REJECTED
    now = timezone.now()
    with transaction.atomic():
        claimed = Response.objects.filter(pk=response.pk, qc_status=QcStatus.FLAGGED).update(
            qc_status=status, qc_reason=reason, qc_by=by, qc_at=now
        )
        if not claimed:
            response.refresh_from_db()
            raise ValidationError(
                _("该回答已由他人处理（当前：%(status)s），请刷新页面")
                % {"status": response.get_qc_status_display()}
            )
        log_activity(
            actor=by,
            action="response.approve" if status == QcStatus.APPROVED else "response.reject",
            obj=response,
            organisation=response.survey.application.organisation,
            before={"qc_status": QcStatus.FLAGGED},
            after={"qc_status": status, "flags": response.qc_flags},
            note=reason,
        )
    response.qc_status, response.qc_reason, response.qc_by, response.qc_at = (
        status,
        reason,
        by,
        now,
    )
    return response


# ------------------------------------------------------------------------------------------
# Call-back verification


def verification_count(interviews: int, share) -> int:
    """How many of `interviews` the share asks for: rounded up, at least one when there are
    any. Decimal arithmetic, so 10% of 30 is 3 and not 3.0000000000000004 → 4."""
    if interviews <= 0:
        return 0
    return max(1, math.ceil(Decimal(str(share)) * interviews))


def pick_for_verification(*, seed, already: int, positions, count: int) -> list[int]:
    """`count` positions drawn from `positions`, the same every time for the same seed, the
    same number of earlier selections and the same candidates (so a draw can be redone)."""
    rng = random.Random(f"{seed}-verify-{already}")
    return sorted(rng.sample(sorted(positions), count))


def draw_verification(*, survey: Survey, by) -> list[int]:
    """Select `survey.callback_share` (at least one) of the completed telephone interviews for
    a call-back; drawn again later, it tops the selection up to the share of all interviews
    completed by then. Returns the positions newly selected.

    Side effects, in order: the survey row locked (two managers drawing at once draw once);
    `verify_selected` set on the drawn contacts; one activity-log entry `survey.verify_draw`.
    """
    DRAW_VERIFICATION.require(by, survey)
    with transaction.atomic():
        Survey.objects.select_for_update().only("pk").get(pk=survey.pk)
        interviews = list(
            SampledContact.objects.filter(
                survey=survey,
                status=ContactStatus.COMPLETED,
                response__channel__in=INTERVIEW_CHANNELS,
            ).values_list("pk", "position", "verify_selected")
        )
        already = sum(1 for _pk, _pos, selected in interviews if selected)
        candidates = {pos: pk for pk, pos, selected in interviews if not selected}
        wanted = verification_count(len(interviews), survey.callback_share) - already
        if not candidates:
            raise ValidationError(_("暂无尚未抽取的已完成电话访问"))
        if wanted <= 0:
            raise ValidationError(
                _("已抽取 %(n)s 个电话访问复核，已达到复核比例；更多访问完成后可再抽取")
                % {"n": already}
            )
        seed = survey.seed if survey.seed is not None else survey.pk
        chosen = pick_for_verification(
            seed=seed, already=already, positions=candidates, count=min(wanted, len(candidates))
        )
        SampledContact.objects.filter(
            pk__in=[candidates[p] for p in chosen], verify_selected=False
        ).update(verify_selected=True)
        log_activity(
            actor=by,
            action="survey.verify_draw",
            obj=survey,
            organisation=survey.application.organisation,
            after={
                "positions": chosen,
                "interviews": len(interviews),
                "already_selected": already,
                "share": str(survey.callback_share),
                "seed": f"{seed}-verify-{already}",
            },
        )
    return chosen


def open_verification(*, contact: SampledContact, by) -> str:
    """The customer's telephone number, for the manager who calls back.

    Side effects: one activity-log entry `call.verify_start` (every sight of a number is on
    record).
    """
    VERIFY_INTERVIEW.require(by, contact)
    log_activity(
        actor=by,
        action="call.verify_start",
        obj=contact,
        organisation=contact.survey.application.organisation,
    )
    return contact.customer.phone


def record_verification(
    *, contact: SampledContact, result: str, note: str = "", by
) -> SampledContact:
    """Record what the call-back found. A customer who denies the interview sends its
    response back to the manager's review, flagged `not_confirmed` (a rejected one stays
    rejected).

    Side effects, in order: the contact's verify_result, verify_note, verified_by and
    verified_at saved, claimed while still unrecorded; on denial, the response's flags and
    qc_status; one activity-log entry `response.verify`.
    """
    VERIFY_INTERVIEW.require(by, contact)
    if result not in VerifyResult.values:
        raise ValidationError({"result": _("请选择回访结果")})
    note = _text(note, field="note")
    now = timezone.now()
    with transaction.atomic():
        claimed = SampledContact.objects.filter(
            pk=contact.pk, verify_selected=True, verify_result=""
        ).update(verify_result=result, verify_note=note, verified_by=by, verified_at=now)
        if not claimed:
            raise nothing_to_verify(contact)
        response = Response.objects.filter(contact=contact).first()
        before = after = None
        if response is not None:
            before = {"qc_status": response.qc_status, "flags": response.qc_flags}
            if result == VerifyResult.DENIED:
                _send_back(response)
            after = {"qc_status": response.qc_status, "flags": response.qc_flags}
        log_activity(
            actor=by,
            action="response.verify",
            obj=response or contact,
            organisation=contact.survey.application.organisation,
            before=before,
            after={"result": result, **(after or {})},
            note=note,
        )
    contact.verify_result, contact.verify_note, contact.verified_by, contact.verified_at = (
        result,
        note,
        by,
        now,
    )
    return contact


def _send_back(response: Response) -> None:
    """Flag a response whose respondent denied the interview; the manager then rejects it.
    An earlier approval no longer holds, so the decision fields are cleared (the log keeps it)."""
    flags = list(response.qc_flags or [])
    if NOT_CONFIRMED not in flags:
        flags.append(NOT_CONFIRMED)
    fields = {"qc_flags": flags}
    if response.qc_status != QcStatus.REJECTED:
        fields.update(qc_status=QcStatus.FLAGGED, qc_reason="", qc_by=None, qc_at=None)
    Response.objects.filter(pk=response.pk).update(**fields)
    for name, value in fields.items():
        setattr(response, name, value)
