"""Telephone interviews (CATI): the firm's manager shares the sample among interviewers; an
interviewer calls, records what happened, and enters the interview into the questionnaire.

The full number is shown only on the call screen of the assigned interviewer, from the moment
`start_call` opens an attempt (logged as `call.start`: a read of personal data).
"""

import datetime
from itertools import cycle

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Membership
from manyi.accounts.roles import Role
from manyi.common.services import log_activity
from manyi.fieldwork.access import ASSIGN_INTERVIEWERS, CALL, is_assigned_interviewer, not_allowed
from manyi.fieldwork.models import CallAttempt, CallOutcome, ContactStatus, SampledContact
from manyi.fieldwork.responses import check_answers, record_response
from manyi.fieldwork.states import OPEN_CONTACT

# What an outcome makes of the contact (no answer and busy leave it open, up to the limit).
OUTCOME_STATUS = {
    CallOutcome.REFUSED: ContactStatus.REFUSED,
    CallOutcome.WRONG_NUMBER: ContactStatus.WRONG_NUMBER,
    CallOutcome.CALLBACK: ContactStatus.CALLBACK,
}
UNREACHED = (CallOutcome.NO_ANSWER, CallOutcome.BUSY)


def firm_interviewers(firm):
    """The firm's active interviewers."""
    return (
        Membership.objects.filter(
            organisation=firm, role=Role.SURVEYOR, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def assign_interviewers(*, survey, interviewers, by) -> dict:
    """Share the open, unassigned contacts among `interviewers` in draw order, round-robin.

    Side effects: each contact's interviewer set; one activity-log entry with the counts.
    Returns {interviewer: number of contacts given}. Another firm's person → ValidationError.
    """
    ASSIGN_INTERVIEWERS.require(by, survey)
    allowed = {m.user_id: m.user for m in firm_interviewers(survey.firm)}
    chosen = [u for u in interviewers if u.pk in allowed]
    if not chosen or len(chosen) != len(list(interviewers)):
        raise ValidationError(_("只能把样本分配给本调查机构的访问员"))
    with transaction.atomic():
        open_ids = list(
            SampledContact.objects.filter(
                survey=survey, is_reserve=False, interviewer__isnull=True, status__in=OPEN_CONTACT
            )
            .order_by("position")
            .values_list("pk", flat=True)
        )
        shares: dict = {u.pk: [] for u in chosen}
        for contact_id, user in zip(open_ids, cycle(chosen), strict=False):
            shares[user.pk].append(contact_id)
        for user_id, ids in shares.items():
            SampledContact.objects.filter(pk__in=ids).update(interviewer_id=user_id)
        counts = {allowed[uid].email: len(ids) for uid, ids in shares.items()}
        log_activity(
            actor=by,
            action="survey.interviewers_assign",
            obj=survey,
            organisation=survey.firm,
            after={"assigned": counts},
        )
    return counts


def reassign(*, survey, from_interviewer, to_interviewer, count: int, by) -> int:
    """Move `count` open contacts of this survey from one interviewer to another of the firm.

    Contacts not called yet go first, the last in draw order first (the ones the first
    interviewer would reach last); a contact whose call is under way stays. The one giving
    contacts away need not still be active (that is why one moves them); the one receiving
    must be an active interviewer of the firm.
    Side effects: the contacts' interviewer changed; one activity-log entry. Returns the number.
    """
    ASSIGN_INTERVIEWERS.require(by, survey)
    allowed = {m.user_id for m in firm_interviewers(survey.firm)}
    if to_interviewer.pk not in allowed:
        raise ValidationError(_("只能把样本分配给本调查机构的访问员"))
    if from_interviewer.pk == to_interviewer.pk:
        raise ValidationError(_("转出和转入的访问员不能是同一人"))
    if count is None or count < 1:
        raise ValidationError(_("请填写要转移的样本数（至少 1 个）"))
    with transaction.atomic():
        movable = (
            SampledContact.objects.select_for_update()
            .filter(
                survey=survey,
                is_reserve=False,
                interviewer=from_interviewer,
                status__in=OPEN_CONTACT,
            )
            .exclude(pk__in=_under_way())
            .order_by("attempts", "-position")
        )
        ids = list(movable.values_list("pk", flat=True))
        if count > len(ids):
            raise ValidationError(
                _("该访问员在本调查只有 %(n)d 个可转移的待联系样本") % {"n": len(ids)}
            )
        ids = ids[:count]
        SampledContact.objects.filter(pk__in=ids).update(interviewer=to_interviewer)
        log_activity(
            actor=by,
            action="survey.interviewers_assign",
            obj=survey,
            organisation=survey.firm,
            after={"moved": count, "from": from_interviewer.email, "to": to_interviewer.email},
        )
    return count


def _under_way():
    """Contacts with a call open right now."""
    return CallAttempt.objects.filter(ended_at__isnull=True).values("contact_id")


def _end_open_attempts(interviewer, now) -> None:
    """An attempt left open (the browser closed mid-call) counts as not answered."""
    CallAttempt.objects.filter(interviewer=interviewer, ended_at__isnull=True).update(
        ended_at=now, outcome=CallOutcome.NO_ANSWER
    )


def start_call(*, contact: SampledContact, by) -> CallAttempt:
    """Open a call to `contact` (the next in the queue or a callback).

    Side effects, in order: the interviewer's open attempts ended as no-answer; a CallAttempt;
    the contact's attempt count raised; an activity-log entry `call.start` (the number is shown
    from now on).
    """
    CALL.require(by, contact)
    now = timezone.now()
    with transaction.atomic():
        _end_open_attempts(by, now)
        attempt = CallAttempt.objects.create(contact=contact, interviewer=by, started_at=now)
        SampledContact.objects.filter(pk=contact.pk).update(attempts=F("attempts") + 1)
        log_activity(
            actor=by,
            action="call.start",
            obj=contact,
            organisation=contact.survey.firm,
            after={"attempt": contact.attempts + 1},
        )
    contact.attempts += 1
    return attempt


def open_attempt(contact, user) -> CallAttempt | None:
    return (
        CallAttempt.objects.filter(contact=contact, interviewer=user, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )


def _require_open(attempt, by):
    if attempt is None or attempt.ended_at is not None or attempt.interviewer_id != by.pk:
        raise ValidationError(_("这次通话已结束，请从访问队列重新拨打"))
    if not is_assigned_interviewer.test(by, attempt.contact):
        raise not_allowed()


def check_callback(survey, callback_at) -> None:
    if callback_at is None:
        raise ValidationError(_("请填写预约回拨时间"))
    if callback_at <= timezone.now():
        raise ValidationError(_("预约回拨时间必须晚于现在"))
    last = timezone.make_aware(
        datetime.datetime.combine(survey.field_closes, datetime.time(23, 59))
    )
    if callback_at > last:
        raise ValidationError(_("预约回拨时间不能晚于调查截止日期"))


def record_outcome(
    *, attempt: CallAttempt, outcome: str, by, callback_at=None, note: str = ""
) -> SampledContact:
    """End the call with what happened (not a completed interview: see complete_interview).

    Side effects, in order: the attempt ended; the contact's status (refused, wrong number,
    callback at a time; after the attempt limit of no answer or busy, not reachable); an
    activity-log entry `call.outcome`.
    """
    _require_open(attempt, by)
    if outcome not in CallOutcome.values or outcome == CallOutcome.COMPLETED:
        raise ValidationError(_("请选择通话结果"))
    contact = attempt.contact
    survey = contact.survey
    if outcome == CallOutcome.CALLBACK:
        check_callback(survey, callback_at)
    else:
        callback_at = None
    status = OUTCOME_STATUS.get(outcome, contact.status)
    if outcome in UNREACHED:
        status = (
            ContactStatus.NON_CONTACT if contact.attempts >= survey.max_attempts else contact.status
        )
        if status == ContactStatus.CALLBACK:
            status = ContactStatus.PENDING
    with transaction.atomic():
        CallAttempt.objects.filter(pk=attempt.pk).update(
            ended_at=timezone.now(), outcome=outcome, callback_at=callback_at, note=note[:300]
        )
        SampledContact.objects.filter(pk=contact.pk).update(status=status, callback_at=callback_at)
        log_activity(
            actor=by,
            action="call.outcome",
            obj=contact,
            organisation=survey.firm,
            after={"outcome": outcome, "status": status, "attempts": contact.attempts},
        )
    contact.status = status
    contact.callback_at = callback_at
    return contact


def complete_interview(*, attempt: CallAttempt, data, by):
    """Store the interview entered during the call and end the call as completed.

    Side effects, in order (one transaction): the Response through `record_response` (channel
    phone, from the call's start to now); the attempt ended as completed. Invalid answers →
    ValidationError listing them, nothing stored.
    """
    _require_open(attempt, by)
    contact = attempt.contact
    CALL.require(by, contact)
    answers = check_answers(contact.survey, data, form_fields=True)
    with transaction.atomic():
        response = record_response(
            contact=contact, answers=answers, channel="phone", started_at=attempt.started_at, by=by
        )
        CallAttempt.objects.filter(pk=attempt.pk).update(
            ended_at=response.submitted_at, outcome=CallOutcome.COMPLETED
        )
    return response
