"""Revocation (撤销, Art. 22–24, 26): from an opened case to a revoked title and its recall.

A case is opened through `opening.open_revocation` (by a person, from a title: `open_case`;
or by another package or the system). Then, each move one function:

- `propose_revocation` / `dismiss_revocation`: committee staff propose to revoke, or make no
  proposal, with reasons (Art. 23: the committee proposes to the association).
- `decide_revocation`: the association's administrator revokes (decision text, effective date
  from today) or declines (reasons). On revoke the certificate and plaque are to be recalled;
  for fraud (Art. 26) a five-year ban by USCC, a 通报批评 and its public notice follow at once.
- `apply_due_revocations`: the day a revocation takes effect the title becomes revoked (at
  once in the decision when that day is today; else by the daily task).
- `record_recall`: the certificate and/or the plaque returned.
- `add_case_evidence`: a file on the case, checked like every upload.
"""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.accounts.selectors import colleagues, emails_of_role
from manyi.common.punctuation import local_date
from manyi.common.services import log_activity, queue_email
from manyi.supervision.evidence import attach_evidence
from manyi.supervision.models import (
    RecallStatus,
    Revocation,
    RevocationReason,
    RevocationStatus,
    Sanction,
    SanctionKind,
)
from manyi.supervision.revocations.access import (
    ADD_EVIDENCE,
    DECIDE,
    DISMISS,
    OPEN,
    PROPOSE,
    RECALL,
)
from manyi.supervision.revocations.opening import open_revocation
from manyi.supervision.revocations.public import public_reason
from manyi.titles.models import Title, TitleStatus


def _locked(case: Revocation) -> Revocation:
    return (
        Revocation.objects.select_for_update().select_related("title__organisation").get(pk=case.pk)
    )


def _detail_path(case: Revocation) -> str:
    return reverse("supervision:revocation_detail", args=[case.pk])


# ------------------------------------------------------------------------------------------
# Opening by hand, proposal, dismissal


def open_case(
    *,
    title: Title,
    by,
    reason: str,
    facts: str,
    proposed: bool = False,
    proposal: str = "",
    evidence=None,
    description: str = "",
) -> Revocation:
    """Committee staff open a case on `title` by hand, with an optional evidence file; with
    `proposed` the committee's proposal goes to the administrator at once.

    Refused (nothing changed, no file kept) for anyone but committee staff and the
    administrator, for a title no longer valid or with a case in progress, without reason or
    facts (or without the proposal when proposing), or with a file that is not a genuine PDF,
    JPEG or PNG. Side effects, in one transaction: what `open_revocation` does (the case, its
    log entries, mail to the committee or the administrator), then the evidence attached
    (`attach_evidence`: the file, its row, "supervision.evidence").
    """
    OPEN.require(by, title)
    with transaction.atomic():
        case = open_revocation(
            title=title, reason=reason, facts=facts, by=by, proposed=proposed, proposal=proposal
        )
        if evidence:
            attach_evidence(owner=case, upload=evidence, by=by, description=description)
    return case


def propose_revocation(*, case: Revocation, by, proposal: str) -> Revocation:
    """Committee staff propose to the administrator that the title be revoked (Art. 23).

    Refused for anyone but committee staff and the administrator, for a case no longer
    opened (someone was faster), and without the proposal's text. Side effects, in one
    transaction: the case 已建议撤销 with the proposal, who and when; an activity-log entry
    "revocation.propose"; mail to the administrator after commit.
    """
    with transaction.atomic():
        current = _committee_opinion(
            case,
            by=by,
            allowed=PROPOSE,
            status=RevocationStatus.PROPOSED,
            text=proposal,
            missing=_("请填写用户委员会的撤销建议"),
        )
        log_activity(
            actor=by,
            action="revocation.propose",
            obj=current,
            organisation=current.title.organisation,
            before={"status": RevocationStatus.OPENED},
            after={"status": current.status, "proposal": current.proposal},
        )
        context = {
            "case": current,
            "title": current.title,
            "reason": current.get_reason_display(),
            "path": _detail_path(current),
        }
        for email in emails_of_role(Role.ASSOCIATION_ADMIN):
            queue_email(to=email, template="supervision/revocation_opened", context=context)
    return current


def dismiss_revocation(*, case: Revocation, by, reasons: str) -> Revocation:
    """Committee staff close an opened case without a proposal, saying why; the title may get
    a new case later, with new facts.

    Refused for anyone but committee staff and the administrator, for a case no longer
    opened, and without reasons. Side effects, in one transaction: the case 不提出建议 with the
    reasons (kept as the committee's opinion), who and when; an activity-log entry
    "revocation.dismiss".
    """
    with transaction.atomic():
        current = _committee_opinion(
            case,
            by=by,
            allowed=DISMISS,
            status=RevocationStatus.DISMISSED,
            text=reasons,
            missing=_("请写明不提出撤销建议的理由"),
        )
        log_activity(
            actor=by,
            action="revocation.dismiss",
            obj=current,
            organisation=current.title.organisation,
            before={"status": RevocationStatus.OPENED},
            after={"status": current.status},
            note=current.proposal,
        )
    return current


def _committee_opinion(
    case: Revocation, *, by, allowed, status: str, text: str, missing: str
) -> Revocation:
    """Record the committee's answer to an opened case, a proposal to revoke or the reasons
    for none: either is kept in `proposal` as its opinion, with who and when.

    Called in the caller's transaction, which logs the move. Refused as `allowed` refuses (again
    under the lock: someone may have been faster) and without the text (`missing` says so).
    """
    allowed.require(by, case)
    text = (text or "").strip()
    if not text:
        raise ValidationError(missing)
    current = _locked(case)
    allowed.require(by, current)
    current.status = status
    current.proposal = text
    current.proposed_by = by
    current.proposed_at = timezone.now()
    current.save(update_fields=["status", "proposal", "proposed_by", "proposed_at"])
    return current


# ------------------------------------------------------------------------------------------
# The decision


def decide_revocation(
    *,
    case: Revocation,
    by,
    revoke: bool,
    decision: str,
    effective_on: date | None = None,
    criticism: str = "",
) -> Revocation:
    """The administrator's decision on a proposal: revoke from `effective_on`, or decline.

    Refused for anyone but the administrator, for a case without a proposal waiting (someone
    was faster), without the decision's text (or the reasons to decline), for a revocation
    without an effective date, with one before today or after the title's validity, for a
    title that is no longer valid.

    Side effects, in one transaction, in order. Revoke: the case 已撤销 with the decision,
    date and effective date, certificate and plaque 待收回; "revocation.revoke"; when the
    effective date is today, the title revoked from today ("revocation.effective"); for fraud
    (Art. 26) the holder's USCC banned for five years from today (`add_ban`, "ban.add"), a
    通报批评 sanction ("sanction.criticism") and its public notice, published
    ("discipline_notice.publish") with `criticism` as its text (a standard text when blank);
    mail to the holder's users (what, why, from when, to return certificate and plaque).
    Decline: the case 不予撤销 with the reasons; "revocation.decline". Both: mail to committee
    staff after commit.
    """
    DECIDE.require(by, case)
    decision = (decision or "").strip()
    today = timezone.localdate()
    if not decision:
        raise ValidationError(_("请填写撤销决定") if revoke else _("请写明不予撤销的理由"))
    if revoke:
        _check_effective_date(case.title, effective_on, today)
    with transaction.atomic():
        current = _locked(case)
        DECIDE.require(by, current)
        title = (
            Title.objects.select_for_update()
            .select_related("organisation")
            .get(pk=current.title_id)
        )
        current.title = title
        current.decision = decision
        current.decided_by = by
        current.decided_at = timezone.now()
        if revoke:
            if title.status != TitleStatus.VALID:
                raise ValidationError(
                    _("该称号已过期或已撤销，不能再撤销；请决定不予撤销并写明情况")
                )
            _revoke(current, by=by, effective_on=effective_on, today=today, criticism=criticism)
        else:
            current.status = RevocationStatus.DECLINED
            current.save(update_fields=["status", "decision", "decided_by", "decided_at"])
            log_activity(
                actor=by,
                action="revocation.decline",
                obj=current,
                organisation=title.organisation,
                before={"status": RevocationStatus.PROPOSED},
                after={"status": current.status},
                note=decision,
            )
        _tell_committee(current)
    return current


def _check_effective_date(title: Title, effective_on: date | None, today: date) -> None:
    if effective_on is None:
        raise ValidationError({"effective_on": _("请填写撤销生效日期")})
    if effective_on < today:
        raise ValidationError({"effective_on": _("撤销生效日期不能早于今天")})
    if effective_on > title.valid_until:
        raise ValidationError(
            {
                "effective_on": _("撤销生效日期不能晚于称号有效期届满日（%(d)s）")
                % {"d": local_date(title.valid_until)}
            }
        )


def _revoke(case: Revocation, *, by, effective_on: date, today: date, criticism: str) -> None:
    title = case.title
    case.status = RevocationStatus.REVOKED
    case.effective_on = effective_on
    case.certificate = RecallStatus.TO_RECALL
    case.plaque = RecallStatus.TO_RECALL
    case.save(
        update_fields=[
            "status",
            "decision",
            "decided_by",
            "decided_at",
            "effective_on",
            "certificate",
            "plaque",
        ]
    )
    log_activity(
        actor=by,
        action="revocation.revoke",
        obj=case,
        organisation=title.organisation,
        before={"status": RevocationStatus.PROPOSED},
        after={
            "status": case.status,
            "title": title.number,
            "effective_on": effective_on,
            "certificate": case.certificate,
            "plaque": case.plaque,
        },
        note=case.decision,
    )
    if effective_on <= today:
        _take_effect(case, by=by)
    if case.reason == RevocationReason.FRAUD:
        _punish_fraud(case, by=by, today=today, criticism=criticism)
    _tell_holder(case)


def _punish_fraud(case: Revocation, *, by, today: date, criticism: str) -> None:
    """Art. 26: no application from the holder's USCC for five years, and a 通报批评."""
    from manyi.campaigns.models import BanSource
    from manyi.campaigns.selectors import ban_in_force
    from manyi.campaigns.services import add_ban
    from manyi.supervision.revocations.notices import publish_criticism

    organisation = case.title.organisation
    # A ban already in force (an earlier case) is kept: the registry refuses an overlapping one.
    if ban_in_force(organisation.uscc, today) is None:
        add_ban(
            by=by,
            uscc=organisation.uscc,
            organisation_name=organisation.name,
            reason=_("撤销称号（证书编号 %(number)s）：%(reason)s。%(decision)s")
            % {
                "number": case.title.number,
                "reason": public_reason(case.reason),
                "decision": case.decision,
            },
            decided_on=today,
            source=BanSource.FRAUD,
        )
    sanction = Sanction.objects.create(
        kind=SanctionKind.CRITICISM,
        organisation=organisation,
        revocation=case,
        reason=case.decision,
        decided_on=today,
        public=True,
        decided_by=by,
    )
    log_activity(
        actor=by,
        action="sanction.criticism",
        obj=sanction,
        organisation=organisation,
        after={"revocation": case.pk, "decided_on": today},
    )
    publish_criticism(case=case, by=by, text=criticism, today=today)


def _tell_holder(case: Revocation) -> None:
    title = case.title
    context = {
        "case": case,
        "title": title,
        "reason": public_reason(case.reason),
        "verify_path": reverse("titles:verify", args=[title.number]),
    }
    for membership in colleagues(title.organisation):
        queue_email(
            to=membership.user.email, template="supervision/revocation_revoked", context=context
        )


def _tell_committee(case: Revocation) -> None:
    context = {"case": case, "title": case.title, "path": _detail_path(case)}
    for email in emails_of_role(Role.COMMITTEE_STAFF):
        queue_email(to=email, template="supervision/revocation_decided", context=context)


# ------------------------------------------------------------------------------------------
# The effective date


def _take_effect(case: Revocation, *, by) -> bool:
    """The title revoked since the case's effective date, unless it no longer stands (an
    expiry that came first wins). Returns whether it changed."""
    title = case.title
    before = {"status": title.status, "status_since": title.status_since}
    changed = (
        Title.objects.filter(pk=title.pk)
        .filter(
            Q(status=TitleStatus.VALID)
            | Q(status=TitleStatus.EXPIRED, status_since__gt=case.effective_on)
        )
        .update(status=TitleStatus.REVOKED, status_since=case.effective_on)
    )
    if not changed:
        return False
    title.status = TitleStatus.REVOKED
    title.status_since = case.effective_on
    log_activity(
        actor=by or _("系统"),
        action="revocation.effective",
        obj=case,
        organisation=title.organisation,
        before=before,
        after={"status": TitleStatus.REVOKED, "status_since": case.effective_on},
    )
    return True


def apply_due_revocations(*, today: date | None = None) -> int:
    """Daily (see `supervision.schedules`): every revocation whose effective date has come
    makes its title revoked, since that date. Side effects, per title in its own
    transaction: the title's status and status date; "revocation.effective". Returns how many
    titles were revoked."""
    today = today or timezone.localdate()
    due = (
        Revocation.objects.filter(status=RevocationStatus.REVOKED, effective_on__lte=today)
        .filter(
            Q(title__status=TitleStatus.VALID)
            | Q(title__status=TitleStatus.EXPIRED, title__status_since__gt=F("effective_on"))
        )
        .select_related("title__organisation")
        .order_by("effective_on", "pk")
    )
    applied = 0
    for case in due:
        with transaction.atomic():
            applied += _take_effect(case, by=None)
    return applied


# ------------------------------------------------------------------------------------------
# Recall and evidence


def _moment(on: date) -> datetime:
    if on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(12, 0)))


def record_recall(*, case: Revocation, by, certificate: bool, plaque: bool, on: date) -> Revocation:
    """Record that the certificate and/or the plaque of a revoked title came back on `on`.

    Refused for anyone but committee staff and the administrator, when nothing is outstanding,
    when neither is chosen, when a chosen one is already recalled, and for a date in the
    future or before the decision. Side effects, in one transaction: each chosen one 已收回
    with its date; an activity-log entry "revocation.recall".
    """
    RECALL.require(by, case)
    if not (certificate or plaque):
        raise ValidationError(_("请选择收回的证书或牌匾"))
    if on is None:
        raise ValidationError({"on": _("请填写收回日期")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("收回日期不能晚于今天")})
    if case.decided_at and on < timezone.localtime(case.decided_at).date():
        raise ValidationError({"on": _("收回日期不能早于撤销决定的日期")})
    with transaction.atomic():
        current = _locked(case)
        RECALL.require(by, current)
        before = {"certificate": current.certificate, "plaque": current.plaque}
        moment = _moment(on)
        fields = []
        for thing, chosen, words in (
            ("certificate", certificate, _("证书已收回")),
            ("plaque", plaque, _("牌匾已收回")),
        ):
            if not chosen:
                continue
            if getattr(current, thing) != RecallStatus.TO_RECALL:
                raise ValidationError(words)
            setattr(current, thing, RecallStatus.RECALLED)
            setattr(current, f"{thing}_recalled_at", moment)
            fields += [thing, f"{thing}_recalled_at"]
        current.save(update_fields=fields)
        log_activity(
            actor=by,
            action="revocation.recall",
            obj=current,
            organisation=current.title.organisation,
            before=before,
            after={"certificate": current.certificate, "plaque": current.plaque, "on": on},
        )
    return current


def add_case_evidence(*, case: Revocation, by, upload, description: str = ""):
    """Attach a file to the case while it is studied, decided or recalled.

    Refused for anyone but committee staff and the administrator, for a closed case, and for
    a file that is not a genuine PDF, JPEG or PNG (nothing kept). Side effects: what
    `attach_evidence` does (the file, its row, "supervision.evidence").
    """
    ADD_EVIDENCE.require(by, case)
    if not upload:
        raise ValidationError(_("请选择文件"))
    return attach_evidence(owner=case, upload=upload, by=by, description=description)
