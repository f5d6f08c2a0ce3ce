"""公示, objections and the grant (DOMAIN.md steps 11–12; Art. 24).

- `submit_objection`: anyone, during the period, about one of the notice's applications; the
  objector's name and contact stay private; an evidence file is checked like every upload; a
  private follow-up link is shown once (only its SHA-256 is kept); rate-limited per address.
- `assign_investigator`, `decide_objection`: committee staff hand an objection to someone
  without a conflict (`selectors.investigator_candidates`); the outcome is recorded with its
  findings. An upheld objection withdraws the proposal: the application goes to 未授予称号.
- `grant_notice`: when the period is over and no objection is open, every application still
  in the 公示 gets its title (`titles.services.grant_title`), the 公示 closes, and the final
  公告 lists the titles. `grant_due_notices` does the same every day for the worker.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.accounts.selectors import emails_of_role
from manyi.applications.services import move_application
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.common import ratelimit
from manyi.common.ratelimit import hash_token
from manyi.common.services import log_activity, queue_email
from manyi.titles import access
from manyi.titles.access import (
    ASSIGN_INVESTIGATOR,
    DECIDE_OBJECTION,
    GRANT,
    OBJECT,
    SEE_OBJECTOR,
    manages_decisions,
)
from manyi.titles.models import (
    Decision,
    NoticeKind,
    Objection,
    ObjectionStatus,
    PublicNotice,
)

OFFICIAL_LANGUAGE = "zh-hans"
# Objections accepted from one address per hour: enough for a person with several, too few
# to flood the committee.
OBJECTIONS_PER_HOUR = 5
RATE_SCOPE = "titles:objections"


# ------------------------------------------------------------------------------------------
# Objections


def objection_allowed(ip: str | None) -> bool:
    """Whether the address may still submit an objection this hour."""
    return ratelimit.allowed(RATE_SCOPE, ip, OBJECTIONS_PER_HOUR)


def rate_refusal() -> ValidationError:
    return ValidationError(
        _("同一网络地址每小时最多提交 %(n)d 份异议，请稍后再试，或直接致电广州市用户委员会")
        % {"n": OBJECTIONS_PER_HOUR},
        code="rate_limited",
    )


def objectable_decisions(notice: PublicNotice):
    """The proposals of a 公示 that may still be objected to (not withdrawn)."""
    return (
        Decision.objects.filter(notice=notice, withdrawn_at__isnull=True)
        .select_related("application__organisation", "application__agency")
        .order_by("application__number", "pk")
    )


def submit_objection(
    *, notice: PublicNotice, application, name: str, contact: str, reasons: str, evidence, ip
) -> tuple[Objection, str]:
    """Record a member of the public's objection; returns it and the follow-up token (shown
    once, never stored).

    Refused outside the period, for an application not in the notice, past the hourly limit of
    the address, or with an evidence file that is not a genuine PDF, JPEG or PNG (nothing is
    stored then). Side effects, in order: the evidence file stored under a random name; the
    Objection with the token's hash; an activity-log entry "objection.receive" (without the
    objector's name or contact); the address's count; mail to committee staff after commit.
    """
    from manyi.applications.evidence import check_evidence_file
    from manyi.common.files import stored_upload

    OBJECT.require(None, notice)
    if not objection_allowed(ip):
        raise rate_refusal()
    if not objectable_decisions(notice).filter(application=application).exists():
        raise ValidationError(_("请选择本公示名单中的申报"))
    name, contact, reasons = (name or "").strip(), (contact or "").strip(), (reasons or "").strip()
    if not (name and contact and reasons):
        raise ValidationError(_("请填写异议人姓名或单位、联系方式和异议事实及理由"))
    token = secrets.token_urlsafe(32)
    fields = {
        "notice": notice,
        "application": application,
        "name": name[:100],
        "contact": contact[:100],
        "reasons": reasons,
        "token_hash": hash_token(token),
    }
    if evidence:
        content_type, suffix = check_evidence_file(evidence)
        with (
            stored_upload(evidence, folder="objections", suffix=suffix) as (path, digest, _size),
            transaction.atomic(),
        ):
            objection = _record_objection(
                {
                    **fields,
                    "evidence_path": path,
                    "evidence_name": (evidence.name or "")[:200],
                    "evidence_type": content_type,
                    "evidence_sha256": digest,
                }
            )
    else:
        with transaction.atomic():
            objection = _record_objection(fields)
    ratelimit.count(RATE_SCOPE, ip)
    return objection, token


def _record_objection(fields: dict) -> Objection:
    objection = Objection.objects.create(**fields)
    application = objection.application
    log_activity(
        actor=_("公众"),
        action="objection.receive",
        obj=objection,
        organisation=application.organisation,
        after={
            "notice": objection.notice_id,
            "application": application.number,
            "evidence": objection.evidence_sha256 or None,
        },
    )
    url = reverse("titles:objection_detail", args=[objection.pk])
    for email in emails_of_role(Role.COMMITTEE_STAFF):
        queue_email(
            to=email,
            template="objection_received",
            context={"objection": objection, "application": application, "url": url},
        )
    return objection


def find_objection(token: str) -> Objection | None:
    """The objection a follow-up link belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Objection.objects.filter(token_hash=hash_token(token))
        .select_related("notice", "application__organisation")
        .first()
    )


def assign_investigator(*, objection: Objection, by, investigator) -> Objection:
    """Hand an open objection to an investigator without a conflict (or change who).

    Side effects, in one transaction: the investigator, who assigned and when, the status
    调查中; an activity-log entry "objection.assign"; mail to the investigator after commit.
    """
    from manyi.titles.notices.selectors import investigator_candidates

    ASSIGN_INVESTIGATOR.require(by, objection)
    if investigator is None or investigator.pk not in {
        u.pk for u in investigator_candidates(objection)
    }:
        raise ValidationError(
            _("所选人员不能担任调查人：须为用户委员会工作人员或评审专家，且与被异议单位无利害关系")
        )
    with transaction.atomic():
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status not in access.OPEN_OBJECTION:
            raise ValidationError(_("该异议已办结"))
        before = {"investigator": current.investigator_id, "status": current.status}
        current.investigator = investigator
        current.assigned_by = by
        current.assigned_at = timezone.now()
        current.status = ObjectionStatus.INVESTIGATING
        current.save(update_fields=["investigator", "assigned_by", "assigned_at", "status"])
        log_activity(
            actor=by,
            action="objection.assign",
            obj=current,
            organisation=current.application.organisation,
            before=before,
            after={"investigator": investigator.pk, "status": current.status},
        )
        queue_email(
            to=investigator.email,
            template="objection_assigned",
            context={
                "objection": current,
                "application": current.application,
                "url": reverse("titles:objection_detail", args=[current.pk]),
            },
        )
    return current


def decide_objection(*, objection: Objection, by, outcome: str, findings: str) -> Objection:
    """Record the outcome of an investigated objection, upheld or dismissed, with findings.

    An upheld objection withdraws a proposal, which is the committee's act: an expert
    investigator may record a dismissal, and committee staff record an upheld outcome.
    Side effects, in one transaction, in order: the objection's outcome; when upheld, the
    decision's withdrawn_at and the application moved 公示中 → 未授予称号 with the findings as
    reason (logged and mailed by `move_application`); an activity-log entry "objection.decide".
    """
    DECIDE_OBJECTION.require(by, objection)
    findings = (findings or "").strip()
    if outcome not in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED):
        raise ValidationError(_("请选择调查结论：异议成立或异议不成立"))
    if not findings:
        raise ValidationError(_("请填写调查结论和理由"))
    upheld = outcome == ObjectionStatus.UPHELD
    if upheld and not manages_decisions.test(by):
        raise ValidationError(
            _("异议成立将撤回拟授予称号，须由用户委员会工作人员记录；请将调查情况报送工作人员")
        )
    with transaction.atomic():
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status not in access.OPEN_OBJECTION:
            raise ValidationError(_("该异议已办结"))
        now = timezone.now()
        current.status = outcome
        current.findings = findings
        current.decided_by = by
        current.decided_at = now
        current.save(update_fields=["status", "findings", "decided_by", "decided_at"])
        application = current.application
        withdrawn = False
        if upheld:
            decision = Decision.objects.select_for_update().filter(application=application).first()
            if decision is not None and decision.withdrawn_at is None:
                decision.withdrawn_at = now
                decision.save(update_fields=["withdrawn_at"])
            if application.status == Status.IN_NOTICE:
                move_application(
                    application=application, to=Status.NOT_AWARDED, by=by, reason=findings
                )
                withdrawn = True
        log_activity(
            actor=by,
            action="objection.decide",
            obj=current,
            organisation=application.organisation,
            before={"status": ObjectionStatus.INVESTIGATING},
            after={"status": outcome, "withdrawn": withdrawn},
            note=findings,
        )
    return current


def open_objection_evidence(*, objection: Objection, by):
    """Open an objection's evidence for those handling it. Side effects: an activity-log entry
    "objection.evidence_download". The caller's response closes the file."""
    from manyi.common.files import private_path

    SEE_OBJECTOR.require(by, objection)
    if not objection.evidence_path:
        raise ValidationError(_("该异议没有证明材料"))
    log_activity(
        actor=by,
        action="objection.evidence_download",
        obj=objection,
        organisation=objection.application.organisation,
        after={"file": objection.evidence_name, "sha256": objection.evidence_sha256},
    )
    return open(private_path(objection.evidence_path), "rb")  # noqa: SIM115 - the response closes it


# ------------------------------------------------------------------------------------------
# The grant


def _check_grantable(notice: PublicNotice, by) -> None:
    if by is not None:
        GRANT.require(by, notice)
        return
    # The scheduled task: everything GRANT asks but the person.
    for predicate, refusal in (
        (access.notice_is_publicity, access.not_publicity),
        (access.notice_period_over, access.period_not_over),
        (access.notice_has_no_open_objection, access.objections_pending),
    ):
        if not predicate.test(None, notice):
            raise refusal(notice)


def announcement_body(notice: PublicNotice, count: int) -> str:
    with translation.override(OFFICIAL_LANGUAGE):
        return _(
            "%(title)s期满。经广州市质量协会批准，现公告以下%(count)d家单位获得%(year)s年度"
            "“%(category)s”称号，并颁发证书。宣传使用称号时须注明获得年度（《广州市实施用户"
            "满意工程管理办法》第二十五条）。证书真伪可凭证书编号在本网站查询。"
        ) % {
            "title": notice.title,
            "count": count,
            "year": notice.campaign.year,
            "category": notice.get_category_display(),
        }


def grant_notice(*, notice: PublicNotice, by) -> PublicNotice | None:
    """Grant the titles of a 公示 whose period is over with no objection open; `by` is None
    when the worker does it.

    Side effects, in one transaction, in order: the final 公告 (when a title is granted); each
    application still in the 公示 granted its title through `grant_title` (numbered, logged,
    mailed), linked to the 公告; the 公示 closed; an activity-log entry "notice.grant".
    Returns the 公告, or None when every proposal had been withdrawn.
    """
    from manyi.titles.decisions.services import notice_title
    from manyi.titles.services import grant_title

    _check_grantable(notice, by)
    with transaction.atomic():
        current = (
            PublicNotice.objects.select_for_update().select_related("campaign").get(pk=notice.pk)
        )
        _check_grantable(current, by)
        decisions = list(
            Decision.objects.filter(
                notice=current,
                withdrawn_at__isnull=True,
                application__status=Status.IN_NOTICE,
            )
            .select_related("application__campaign", "application__organisation")
            .order_by("application__number", "pk")
        )
        announcement = None
        if decisions:
            campaign_category = CampaignCategory.objects.select_related("campaign").get(
                campaign_id=current.campaign_id, category=current.category
            )
            announcement = PublicNotice.objects.create(
                campaign=current.campaign,
                category=current.category,
                kind=NoticeKind.ANNOUNCEMENT,
                title=notice_title(campaign_category, NoticeKind.ANNOUNCEMENT),
                body=announcement_body(current, len(decisions)),
                starts_on=timezone.localdate(),
                published_by=by,
            )
        titles = [
            grant_title(application=d.application, by=by, announcement=announcement)
            for d in decisions
        ]
        current.closed_at = timezone.now()
        current.save(update_fields=["closed_at"])
        log_activity(
            actor=by if by is not None else "system",
            action="notice.grant",
            obj=current,
            after={
                "titles": [t.number for t in titles],
                "announcement": announcement.pk if announcement else None,
            },
        )
    return announcement


def grant_due_notices() -> int:
    """Daily (see `titles.schedules`): grant every 公示 whose period has ended with no
    objection open. A 公示 with an objection still open waits for it. Returns how many."""
    due = PublicNotice.objects.filter(
        kind=NoticeKind.PUBLICITY, closed_at__isnull=True, ends_on__lt=timezone.localdate()
    ).order_by("pk")
    granted = 0
    for notice in due:
        try:
            grant_notice(notice=notice, by=None)
        except ValidationError:
            continue
        granted += 1
    return granted


# ------------------------------------------------------------------------------------------
# The notice as a document


def notice_pdf(*, notice: PublicNotice) -> bytes:
    """The notice as an official document (always Chinese); public, so not logged."""
    from manyi.common.pdf import render_pdf
    from manyi.titles.notices.selectors import notice_entries

    return render_pdf(
        "titles/notices/notice_pdf.html",
        {
            "notice": notice,
            "entries": notice_entries(notice),
            "is_publicity": notice.kind == NoticeKind.PUBLICITY,
        },
    )
