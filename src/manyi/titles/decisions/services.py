"""The committee's decision (DOMAIN.md step 10; Art. 7, 17): propose, confirm, release.

Committee staff propose award or not, with reasons, and may mark an award as a benchmark
(标杆); the association's administrator confirms each proposal or returns it; once every
evaluated application of a category is confirmed, the administrator releases them together.
The release moves awards to 公示 and the rest to 未授予称号, and publishes the category's 公示.
Before the release the applicant sees nothing: its status stays 已受理，正在评价.

An award for an application whose index is below the category's threshold (or has no index
yet) is refused unless the proposer ticks `override`: the measures judge eligibility on the
index (DOMAIN.md), so departing from it must be a deliberate, recorded act, not a slip of the
radio button. The tick is stored in the basis and the log, beside the reasons that explain it.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.applications.services import move_application
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.common.services import log_activity, queue_email
from manyi.titles.access import CONFIRM, PROPOSE, RELEASE, RETURN_DECISION
from manyi.titles.decisions.selectors import release_problems, row_for
from manyi.titles.models import (
    Decision,
    DecisionRelease,
    NoticeKind,
    Proposal,
    PublicNotice,
)

OFFICIAL_LANGUAGE = "zh-hans"


def _decision_record(decision: Decision) -> dict:
    return {
        "proposal": decision.proposal,
        "reasons": decision.reasons,
        "benchmark": decision.benchmark,
        "override": bool((decision.basis or {}).get("override")),
    }


def _check_proposal(*, row, proposal: str, reasons: str, benchmark: bool, override: bool):
    if proposal not in Proposal.values:
        raise ValidationError(_("请选择评定意见：拟授予称号或不予授予"))
    if not reasons:
        raise ValidationError(_("请填写评定理由"))
    if benchmark and proposal != Proposal.AWARD:
        raise ValidationError(_("只有拟授予称号的申报才能评为标杆"))
    if proposal == Proposal.AWARD and not row.reached and not override:
        if row.index is None:
            raise ValidationError(
                _(
                    "该申报尚无满意度指数。如仍拟授予称号，请勾选“未达门槛仍拟授予”，"
                    "并在理由中说明依据"
                )
            )
        raise ValidationError(
            _(
                "该申报的满意度指数 %(index)s 低于本类别门槛 %(threshold)s。如仍拟授予称号，"
                "请勾选“未达门槛仍拟授予”，并在理由中说明依据"
            )
            % {"index": f"{row.index:.1f}", "threshold": f"{row.threshold:g}"}
        )


def propose_decision(
    *,
    application,
    by,
    proposal: str,
    reasons: str,
    benchmark: bool = False,
    override: bool = False,
) -> Decision:
    """Propose (or, before confirmation, change) the decision on an evaluated application.

    Refused without reasons, for a benchmark that is not an award, and for an award below the
    threshold (or without an index) unless `override` is ticked. Side effects, in one
    transaction: the Decision created or updated with its basis (index, interval, expert
    result, flags, as they stand now); an activity-log entry ("decision.propose", or
    "decision.update" with before and after). The applicant is told nothing.
    """
    PROPOSE.require(by, application)
    reasons = (reasons or "").strip()
    override = bool(override) and proposal == Proposal.AWARD
    row = row_for(application)
    _check_proposal(
        row=row, proposal=proposal, reasons=reasons, benchmark=benchmark, override=override
    )
    basis = {**row.basis(), "override": override}
    with transaction.atomic():
        existing = Decision.objects.select_for_update().filter(application=application).first()
        if existing is not None and (existing.confirmed_at or existing.release_id):
            raise ValidationError(_("评定意见已确认，不能再修改"))
        fields = {
            "proposal": proposal,
            "reasons": reasons,
            "benchmark": bool(benchmark),
            "basis": basis,
            "proposed_by": by,
            "proposed_at": timezone.now(),
        }
        if existing is None:
            try:
                with transaction.atomic():
                    decision = Decision.objects.create(application=application, **fields)
            except IntegrityError as exc:  # someone proposed at the same moment
                raise ValidationError(
                    _("另一位工作人员刚刚提出了评定意见，请刷新页面后再修改")
                ) from exc
            log_activity(
                actor=by,
                action="decision.propose",
                obj=decision,
                organisation=application.organisation,
                after=_decision_record(decision),
            )
        else:
            before = _decision_record(existing)
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save(update_fields=list(fields))
            decision = existing
            log_activity(
                actor=by,
                action="decision.update",
                obj=decision,
                organisation=application.organisation,
                before=before,
                after=_decision_record(decision),
            )
    application.decision = decision
    return decision


def confirm_decision(*, decision: Decision, by) -> Decision:
    """The association's administrator confirms a proposal (Art. 7).

    Side effects: confirmed_by and confirmed_at (claimed while still unconfirmed, so two
    presses confirm once); an activity-log entry "decision.confirm".
    """
    CONFIRM.require(by, decision)
    now = timezone.now()
    with transaction.atomic():
        claimed = Decision.objects.filter(
            pk=decision.pk, confirmed_at__isnull=True, release__isnull=True
        ).update(confirmed_by=by, confirmed_at=now)
        if not claimed:
            raise ValidationError(_("评定意见已被确认或已发布，请刷新页面"))
        decision.refresh_from_db()
        log_activity(
            actor=by,
            action="decision.confirm",
            obj=decision,
            organisation=decision.application.organisation,
            after=_decision_record(decision),
        )
    return decision


def return_decision(*, decision: Decision, by, note: str) -> Decision:
    """The administrator sends a proposal back to committee staff, confirmed or not, before
    release; staff propose again.

    Side effects, in one transaction: the confirmation cleared and the return (who, when,
    why) kept in the basis until the next proposal replaces it; an activity-log entry
    "decision.return"; mail to the proposer after commit.
    """
    RETURN_DECISION.require(by, decision)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请写明退回原因"))
    with transaction.atomic():
        current = Decision.objects.select_for_update().get(pk=decision.pk)
        if current.release_id is not None:
            raise ValidationError(_("评定结果已发布，不能退回"))
        before = {"confirmed": current.confirmed_at is not None}
        current.confirmed_by = None
        current.confirmed_at = None
        current.basis = {
            **(current.basis or {}),
            "returned": {
                "by": by.display_name,
                "at": timezone.now().isoformat(),
                "note": note,
            },
        }
        current.save(update_fields=["confirmed_by", "confirmed_at", "basis"])
        application = current.application
        log_activity(
            actor=by,
            action="decision.return",
            obj=current,
            organisation=application.organisation,
            before=before,
            after={"confirmed": False},
            note=note,
        )
        queue_email(
            to=current.proposed_by.email,
            template="decision_returned",
            context={
                "application": application,
                "note": note,
                "url": reverse(
                    "titles:decision_category",
                    kwargs={"year": application.campaign.year, "category": application.category},
                ),
            },
        )
    decision.refresh_from_db()
    return decision


def notice_title(campaign_category: CampaignCategory, kind: str) -> str:
    """E.g. 2026年度广州市用户满意产品拟授予名单公示 / …称号授予公告 (always in Chinese)."""
    with translation.override(OFFICIAL_LANGUAGE):
        label = campaign_category.get_category_display()
        if kind == NoticeKind.PUBLICITY:
            words = _("%(year)s年度广州市%(category)s拟授予名单公示")
        else:
            words = _("%(year)s年度广州市%(category)s称号授予公告")
        return words % {"year": campaign_category.campaign.year, "category": label}


def publicity_body(campaign_category: CampaignCategory, ends_on) -> str:
    """The notice's text: what is published, until when, and how to object (Art. 24)."""
    from manyi.common.punctuation import local_date

    with translation.override(OFFICIAL_LANGUAGE):
        return _(
            "根据《广州市实施用户满意工程管理办法》，经第三方用户评价调查、专家评审和广州市"
            "用户委员会评定，广州市质量协会确认，现将%(year)s年度“%(category)s”拟授予名单"
            "予以公示。\n\n"
            "公示期为%(days)s天，至%(end)s止。公示期内，任何单位和个人对名单有异议的，可在"
            "本网站公示页面点击“提出异议”在线提交，写明异议对象、事实和理由，并可附证明材料；"
            "异议人姓名和联系方式仅供调查核实使用，予以保密。匿名或无事实依据的异议不予受理。"
            "\n\n"
            "广州市用户委员会  电话：020-83341934"
        ) % {
            "year": campaign_category.campaign.year,
            "category": campaign_category.get_category_display(),
            "days": campaign_category.public_notice_days,
            "end": local_date(ends_on),
        }


def release_decisions(*, campaign, category: str, by) -> DecisionRelease:
    """Release a category's confirmed decisions together (association's administrator).

    Refused while an application of the category is still in formal review, or an evaluated
    one has no confirmed decision (each is named). Side effects, in one transaction, in order:
    the DecisionRelease; each decision linked to it; awards moved to 公示中 and the rest to
    未授予称号 with the decision's reasons (each move logged and mailed to the applicant by
    `move_application`); the category's 公示 (today until today + `public_notice_days`) with
    the awards linked to it; an activity-log entry "decision.release".
    """
    campaign_category = CampaignCategory.objects.select_related("campaign").get(
        campaign=campaign, category=category
    )
    RELEASE.require(by, campaign_category)
    with transaction.atomic():
        problems = release_problems(campaign_category)
        if problems:
            raise ValidationError([_("以下申报尚不能发布评定结果：")] + problems, code="not_ready")
        try:
            with transaction.atomic():
                release = DecisionRelease.objects.create(
                    campaign=campaign, category=category, released_by=by
                )
        except IntegrityError as exc:
            raise ValidationError(_("本类别的评定结果已经发布")) from exc
        decisions = list(
            Decision.objects.select_for_update()
            .filter(
                application__campaign=campaign,
                application__category=category,
                application__status=Status.ACCEPTED,
                confirmed_at__isnull=False,
                release__isnull=True,
            )
            .select_related("application__organisation", "application__campaign")
            .order_by("application__number", "pk")
        )
        awards = [d for d in decisions if d.proposal == Proposal.AWARD]
        notice = None
        if awards:
            today = timezone.localdate()
            ends_on = today + timedelta(days=campaign_category.public_notice_days)
            notice = PublicNotice.objects.create(
                campaign=campaign,
                category=category,
                kind=NoticeKind.PUBLICITY,
                title=notice_title(campaign_category, NoticeKind.PUBLICITY),
                body=publicity_body(campaign_category, ends_on),
                starts_on=today,
                ends_on=ends_on,
                published_by=by,
            )
        for decision in decisions:
            award = decision.proposal == Proposal.AWARD
            decision.release = release
            decision.notice = notice if award else None
            decision.save(update_fields=["release", "notice"])
            move_application(
                application=decision.application,
                to=Status.IN_NOTICE if award else Status.NOT_AWARDED,
                by=by,
                reason="" if award else decision.reasons,
            )
        log_activity(
            actor=by,
            action="decision.release",
            obj=release,
            after={
                "awards": [d.application.number for d in awards],
                "not_awarded": [
                    d.application.number for d in decisions if d.proposal != Proposal.AWARD
                ],
                "benchmarks": [d.application.number for d in awards if d.benchmark],
                "notice": notice.pk if notice else None,
                "ends_on": notice.ends_on if notice else None,
            },
        )
        if notice is not None:
            _tell_staff_of_notice(notice)
    return release


def _tell_staff_of_notice(notice: PublicNotice) -> None:
    from manyi.accounts.models import Membership

    url = reverse("titles:notice_detail", args=[notice.pk])
    emails = set(
        Membership.objects.filter(
            role=Role.COMMITTEE_STAFF, is_active=True, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    for email in sorted(emails):
        queue_email(to=email, template="notice_published", context={"notice": notice, "url": url})
