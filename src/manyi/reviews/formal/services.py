"""The committee's formal review: the only code that writes FormalReview and DeficiencyNotice.

Every act checks its Action first (reviews/access.py), runs in one transaction, moves the
application only through `applications.services.move_application`, logs, and mails after
commit. The opinion (审核意见) is written once, with the acceptance or the rejection.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.accounts.selectors import emails_of_role
from manyi.applications.models import Application
from manyi.applications.services import move_application
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.common.services import log_activity, queue_email
from manyi.reviews import access
from manyi.reviews.formal.checklist import CODES, checklist
from manyi.reviews.models import DeficiencyNotice, FormalReview, ReviewOutcome

OPINION_MAX = 2000
REMINDER_DAYS = 2
# The activity-log code of each outcome of the opinion (a literal each, so the log's labels can
# be checked against the source).
OPINION_ACTIONS = {
    ReviewOutcome.ACCEPTED: "review.accepted",
    ReviewOutcome.REJECTED: "review.rejected",
}


def _locked(application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "campaign", "agency")
        .get(pk=application.pk)
    )


def _review_of(application) -> FormalReview:
    review, _created = FormalReview.objects.get_or_create(application=application)
    return review


def _applicant_emails(application) -> list[str]:
    return list(
        application.organisation.memberships.filter(
            is_active=True, role=Role.ENTERPRISE_USER
        ).values_list("user__email", flat=True)
    )


def deficiency_days(application) -> int:
    days = (
        CampaignCategory.objects.filter(
            campaign_id=application.campaign_id, category=application.category
        )
        .values_list("deficiency_days", flat=True)
        .first()
    )
    return days or CampaignCategory._meta.get_field("deficiency_days").default


@transaction.atomic
def record_checks(*, application, by, checks: dict) -> FormalReview:
    """Staff's note on each checklist item (`{code: note}`), kept with the review together
    with the item's computed result at that moment (`{code: {"ok": bool, "note": str}}`), so
    the record shows what staff saw when they wrote it.

    Side effects, in order: the FormalReview (created when missing), an activity-log entry.
    An unknown item code is refused and nothing is written."""
    application = _locked(application)
    access.RECORD_CHECKS.require(by, application)
    unknown = set(checks) - set(CODES)
    if unknown:
        raise ValidationError(_("未知的审查项目"))
    review = _review_of(application)
    before = review.checks
    computed = {item.code: item.ok for item in checklist(application)}
    review.checks = {
        code: {"ok": computed.get(code, True), "note": str(note).strip()[:500]}
        for code, note in checks.items()
        if str(note).strip()
    }
    review.updated_by = by
    review.save(update_fields=["checks", "updated_by", "updated_at"])
    log_activity(
        actor=by,
        action="review.checks",
        obj=review,
        organisation=application.organisation,
        before={"checks": before},
        after={"checks": review.checks},
    )
    return review


@transaction.atomic
def issue_deficiency_notice(
    *, application, by, items: list[dict], note: str = ""
) -> DeficiencyNotice:
    """一次性告知: everything missing in one notice, with a deadline; once per application.

    Side effects, in order: the DeficiencyNotice, the move to 待补正 (its log entry and status
    mail), an activity-log entry with the items, a mail listing every item to the applicant.
    """
    application = _locked(application)
    access.ISSUE_NOTICE.require(by, application)
    cleaned = [
        {
            "code": str(item.get("code") or "other")[:30],
            "text": str(item.get("text", "")).strip()[:500],
        }
        for item in items
        if str(item.get("text", "")).strip()
    ]
    if not cleaned:
        raise ValidationError(_("请至少列出一项需补正的内容"))
    notice = DeficiencyNotice.objects.create(
        application=application,
        items=cleaned,
        note=note.strip()[:2000],
        deadline=timezone.localdate() + timedelta(days=deficiency_days(application)),
        issued_by=by,
    )
    move_application(application=application, to=Status.DEFICIENT, by=by)
    log_activity(
        actor=by,
        action="review.notice",
        obj=notice,
        organisation=application.organisation,
        after={"items": cleaned, "deadline": notice.deadline, "note": notice.note},
    )
    context = {
        "application": application,
        "notice": notice,
        "url": reverse("applications:detail", args=[application.pk]),
    }
    for email in _applicant_emails(application):
        queue_email(to=email, template="deficiency_notice", context=context)
    return notice


@transaction.atomic
def complete_notice(*, application, by, reply: str) -> DeficiencyNotice:
    """The applicant has completed what the notice listed and sends it back, once."""
    application = _locked(application)
    access.COMPLETE_NOTICE.require(by, application)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(_("请说明已补正的内容"))
    notice = DeficiencyNotice.objects.select_for_update().get(application=application)
    notice.reply = reply[:2000]
    notice.completed_by = by
    notice.completed_at = timezone.now()
    notice.save(update_fields=["reply", "completed_by", "completed_at"])
    move_application(application=application, to=Status.COMPLETED, by=by)
    log_activity(
        actor=by,
        action="review.complete",
        obj=notice,
        organisation=application.organisation,
        after={"reply": notice.reply},
    )
    context = {
        "application": application,
        "notice": notice,
        "url": reverse("reviews:detail", args=[application.pk]),
    }
    for email in emails_of_role(Role.COMMITTEE_STAFF):
        queue_email(to=email, template="deficiency_completed", context=context)
    return notice


def _write_opinion(application, by, opinion: str, outcome: str) -> FormalReview:
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError(
            _("请填写审核意见") if outcome == ReviewOutcome.ACCEPTED else _("请填写不予受理的理由")
        )
    if len(opinion) > OPINION_MAX:
        raise ValidationError(_("审核意见不能超过 %(n)d 字") % {"n": OPINION_MAX})
    review = _review_of(application)
    if review.opinion_at is not None:
        raise ValidationError(_("审核意见已填写，不能再修改"))
    review.opinion = opinion
    review.outcome = outcome
    review.opinion_by = by
    review.opinion_at = timezone.now()
    review.updated_by = by
    review.save()
    log_activity(
        actor=by,
        action=OPINION_ACTIONS[outcome],
        obj=review,
        organisation=application.organisation,
        after={"opinion": opinion, "outcome": outcome},
    )
    return review


@transaction.atomic
def accept_application(
    *, application, by, opinion: str, firm=None, field_opens=None, field_closes=None
) -> Application:
    """受理: the opinion written once, the application in evaluation; with a survey firm and
    field dates, its customer survey is given to the firm at once (all or nothing)."""
    application = _locked(application)
    access.ACCEPT.require(by, application)
    if firm is not None and not (field_opens and field_closes):
        raise ValidationError(_("委托调查机构时请填写调查开始和截止日期"))
    if firm is None and (field_opens or field_closes):
        raise ValidationError(_("填写调查日期时请选择第三方调查机构"))
    _write_opinion(application, by, opinion, ReviewOutcome.ACCEPTED)
    application = move_application(application=application, to=Status.ACCEPTED, by=by)
    if firm is not None:
        from manyi.fieldwork.sampling.assignment import assign_survey

        assign_survey(
            application=application,
            firm=firm,
            field_opens=field_opens,
            field_closes=field_closes,
            by=by,
        )
    return application


@transaction.atomic
def reject_application(*, application, by, opinion: str) -> Application:
    """不予受理, with the reasons: written once, and mailed to the applicant with the status."""
    application = _locked(application)
    access.REJECT.require(by, application)
    review = _write_opinion(application, by, opinion, ReviewOutcome.REJECTED)
    return move_application(
        application=application, to=Status.REJECTED, by=by, reason=review.opinion
    )


def remind_deficiencies(*, now=None) -> int:
    """Daily: remind applicants whose notice is due within two days (once per notice)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = DeficiencyNotice.objects.filter(
        application__status=Status.DEFICIENT,
        reminded_at__isnull=True,
        completed_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=REMINDER_DAYS),
    ).select_related("application__organisation", "application__campaign")
    reminded = 0
    for notice in due:
        with transaction.atomic():
            claimed = DeficiencyNotice.objects.filter(
                pk=notice.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            application = notice.application
            log_activity(
                actor="worker",
                action="review.notice_reminder",
                obj=notice,
                organisation=application.organisation,
                after={"deadline": notice.deadline},
            )
            context = {
                "application": application,
                "notice": notice,
                "url": reverse("applications:detail", args=[application.pk]),
            }
            for email in _applicant_emails(application):
                queue_email(to=email, template="deficiency_reminder", context=context)
            reminded += 1
    return reminded
