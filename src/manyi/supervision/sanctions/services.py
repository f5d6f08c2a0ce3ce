"""Violations (Art. 25) and sanctions (Art. 26–27): the only code that writes them.

- `record_violation`, `add_violation_evidence`: committee or work-department staff record a
  breach (publicity without the year, improper or misleading publicity, a breach of the rules)
  with its evidence; the spot checks count violations in their risk weighting.
- `revoke_for_violation`: publicity that misled consumers with consequences may cost the title:
  a revocation case is opened through the one door, `revocations.opening.open_revocation`.
- `disqualify_agency` / `reinstate_agency`: the administrator takes an agency out of the work
  (it recommends nothing more: `applications.access.RECOMMEND`); its submitted applications
  wait for committee staff, who hand each to another agency (`reassign_agency`).
- `remove_expert`: out of the expert pool (the draws skip them); their open assignments are
  listed for staff to replace.
- `disable_account`: the person cannot log in any more.

Every sanction is a `Sanction` row with its reason and date, listed in the year's public notice
when `public` (a disqualified agency always is, Art. 24).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import AgencyMembership, ExpertProfile, Membership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.accounts.selectors import emails_of_role
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.campaigns.categories import Category
from manyi.campaigns.selectors import quota_of
from manyi.common.files import remove_private
from manyi.common.services import log_activity, queue_email
from manyi.supervision.evidence import attach_evidence
from manyi.supervision.models import (
    RevocationReason,
    Sanction,
    SanctionKind,
    Violation,
    ViolationKind,
)
from manyi.supervision.sanctions.access import (
    DISABLE_ACCOUNT,
    DISQUALIFY,
    REASSIGN,
    RECORD_VIOLATION,
    REINSTATE,
    REMOVE_EXPERT,
    REVOKE_FOR_VIOLATION,
)
from manyi.supervision.sanctions.selectors import VIOLATORS, active_duties

# ------------------------------------------------------------------------------------------
# Shared checks and addresses


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _decision_date(value: date | None, field: str = "decided_on") -> date:
    """The date of a decision or a finding: today when not given, never later than today."""
    today = timezone.localdate()
    if value is None:
        return today
    if value > today:
        raise ValidationError({field: _("日期不能晚于今天")})
    return value


def _users_of(organisation, role: str) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                organisation=organisation, role=role, is_active=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def _check_files(files) -> list:
    """Every file checked before anything is stored: one forged file refuses them all."""
    from manyi.applications.evidence import check_evidence_file

    files = [f for f in files or () if f]
    for upload in files:
        try:
            check_evidence_file(upload)
        except ValidationError as exc:
            raise ValidationError(
                {
                    "evidence": [
                        _("文件“%(name)s”：%(problem)s") % {"name": upload.name, "problem": m}
                        for m in exc.messages
                    ]
                }
            ) from exc
    return files


def _attach_all(owner, files, by, description: str = "") -> list:
    """Attach checked files inside the caller's transaction; if anything fails, the files
    already stored are removed again, so a rolled-back record leaves no file behind."""
    attached = []
    try:
        for upload in files:
            attached.append(
                attach_evidence(owner=owner, upload=upload, by=by, description=description)
            )
    except BaseException:
        for evidence in attached:
            remove_private(evidence.path)
        raise
    return attached


# ------------------------------------------------------------------------------------------
# Violations (Art. 25)


def record_violation(
    *,
    by,
    kind: str,
    organisation,
    description: str,
    found_on: date | None,
    title=None,
    files=(),
) -> Violation:
    """Record a violation of `organisation` (an enterprise or an agency), optionally about one
    of its titles, with evidence files.

    Refused (PermissionDenied) for anyone but committee or work-department staff (or the
    administrator); refused (ValidationError, nothing stored) without a kind, an organisation
    taking part in the programme, a description or a date, with a date after today, with a
    title of another organisation, or with a file that is not a genuine PDF, JPEG or PNG.
    Side effects, in one transaction, in order: the Violation; an activity-log entry
    "violation.record"; each file stored and its Evidence row (each logged
    "supervision.evidence").
    """
    RECORD_VIOLATION.require(by, None)
    errors = {}
    if kind not in ViolationKind.values:
        errors["kind"] = _("请选择违规类型")
    if organisation is None or organisation.kind not in VIOLATORS:
        errors["organisation"] = _("请指明违规的单位（企业或推进机构）")
    description = (description or "").strip()
    if not description:
        errors["description"] = _("请填写违规情况")
    if found_on is None:
        errors["found_on"] = _("请填写发现日期")
    elif found_on > timezone.localdate():
        errors["found_on"] = _("发现日期不能晚于今天")
    if title is not None and organisation is not None and title.organisation_id != organisation.pk:
        errors["title"] = _("该称号不属于所选单位")
    if errors:
        raise ValidationError(errors)
    files = _check_files(files)
    with transaction.atomic():
        violation = Violation.objects.create(
            organisation=organisation,
            title=title,
            kind=kind,
            description=description,
            found_on=found_on,
            recorded_by=by,
        )
        log_activity(
            actor=by,
            action="violation.record",
            obj=violation,
            organisation=organisation,
            after={
                "kind": kind,
                "title": title.number if title is not None else None,
                "found_on": found_on,
                "files": len(files),
            },
        )
        _attach_all(violation, files, by)
    return violation


def add_violation_evidence(*, violation: Violation, by, files, description: str = "") -> list:
    """More evidence for a recorded violation.

    Refused (PermissionDenied) for anyone but those who record violations; refused
    (ValidationError, nothing stored) without a file or with one that is not a genuine PDF,
    JPEG or PNG. Side effects, all or nothing: each file stored, its Evidence row and its
    activity-log entry "supervision.evidence".
    """
    RECORD_VIOLATION.require(by, violation)
    files = _check_files(files)
    if not files:
        raise ValidationError({"evidence": _("请选择要上传的文件")})
    with transaction.atomic():
        return _attach_all(violation, files, by, description)


def revoke_for_violation(*, violation: Violation, by, title, facts: str):
    """Open a case to revoke one of the violator's valid titles for misleading publicity
    (Art. 25), through `open_revocation` (reason MISLEADING, source the violation).

    Refused for anyone but those who record violations, for another kind of violation, once a
    case was opened from this violation, when the organisation holds no valid title, for a title
    that is not the organisation's, and for whatever `open_revocation` refuses (a case already
    in progress for the title, no facts). Side effects: those of `open_revocation`.
    """
    from manyi.supervision.revocations.opening import open_revocation

    REVOKE_FOR_VIOLATION.require(by, violation)
    if title is None or title.organisation_id != violation.organisation_id:
        raise ValidationError({"title": _("请选择该单位的有效称号")})
    return open_revocation(
        title=title,
        reason=RevocationReason.MISLEADING,
        facts=facts,
        by=by,
        violation=violation,
    )


# ------------------------------------------------------------------------------------------
# Agencies (Art. 27)


def disqualify_agency(*, agency: Organisation, by, reason: str, decided_on=None) -> Sanction:
    """Take an agency out of the work (取消推进机构资格) from `decided_on` (today by default).

    From then it recommends nothing (`applications.access.RECOMMEND` refuses), is offered to no
    applicant and given no quota; its submitted applications are listed to committee staff for
    reassignment. Refused (PermissionDenied) for anyone but the administrator; refused
    (ValidationError) for an organisation that is not an agency, one already disqualified, no
    reason or a date after today. Side effects, in one transaction, in order: the Sanction
    (public: Art. 24 requires it); the agency's `disqualified_on` (its history kept); an
    activity-log entry "sanction.agency_disqualify"; after commit, mail to the agency's staff,
    to committee staff when applications wait for reassignment, and to the applicants of the
    agency's open applications.
    """
    DISQUALIFY.require(by, agency)
    reason = _required(reason, "reason", _("请写明取消资格的事由"))
    decided_on = _decision_date(decided_on)
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=agency.pk)
        DISQUALIFY.require(by, current)
        sanction = Sanction.objects.create(
            kind=SanctionKind.AGENCY_DISQUALIFIED,
            organisation=current,
            reason=reason,
            decided_on=decided_on,
            public=True,
            decided_by=by,
        )
        current.disqualified_on = decided_on
        current.save(update_fields=["disqualified_on"])
        open_ones = list(
            Application.objects.filter(
                agency=current, status__in=(Status.SUBMITTED, Status.DRAFT, Status.RETURNED)
            )
            .select_related("organisation")
            .order_by("pk")
        )
        pending = [a for a in open_ones if a.status == Status.SUBMITTED]
        log_activity(
            actor=by,
            action="sanction.agency_disqualify",
            obj=sanction,
            organisation=current,
            before={"disqualified_on": None},
            after={
                "disqualified_on": decided_on,
                "reason": reason,
                "pending": [a.number or a.pk for a in pending],
            },
        )
        _tell_disqualified(sanction, open_ones, pending)
    agency.disqualified_on = decided_on
    return sanction


def _tell_disqualified(sanction: Sanction, open_ones: list, pending: list) -> None:
    agency = sanction.organisation
    context = {"sanction": sanction, "agency": agency}
    for email in _users_of(agency, Role.AGENCY_STAFF):
        queue_email(to=email, template="supervision/sanction_agency_disqualified", context=context)
    if pending:
        for email in emails_of_role(Role.COMMITTEE_STAFF):
            queue_email(
                to=email,
                template="supervision/sanction_reassignment_needed",
                context={
                    **context,
                    "count": len(pending),
                    "path": reverse("supervision:sanction_reassign_list"),
                },
            )
    for application in open_ones:
        for email in _users_of(application.organisation, Role.ENTERPRISE_USER):
            queue_email(
                to=email,
                template="supervision/sanction_application_affected",
                context={
                    **context,
                    "application": application,
                    "pending": application.status == Status.SUBMITTED,
                    "path": reverse("applications:detail", args=[application.pk]),
                },
            )


def reinstate_agency(*, sanction: Sanction, by, reason: str) -> Organisation:
    """Give a disqualified agency its place back (the Sanction row stays, as decided; the
    reinstatement is the log entry that names it, shown with it).

    Refused (PermissionDenied) for anyone but the administrator; refused (ValidationError) for a
    sanction that is not a disqualification or not the one in force, and without a reason.
    Side effects, in one transaction, in order: the agency's `disqualified_on` cleared; an
    activity-log entry "sanction.agency_reinstate" on the sanction; after commit, mail to the
    agency's staff. Its submitted applications are its own again.
    """
    REINSTATE.require(by, sanction)
    reason = _required(reason, "reason", _("请写明恢复资格的理由"))
    with transaction.atomic():
        agency = Organisation.objects.select_for_update().get(pk=sanction.organisation_id)
        sanction.organisation = agency
        REINSTATE.require(by, sanction)
        before = agency.disqualified_on
        agency.disqualified_on = None
        agency.save(update_fields=["disqualified_on"])
        log_activity(
            actor=by,
            action="sanction.agency_reinstate",
            obj=sanction,
            organisation=agency,
            before={"disqualified_on": before},
            after={"disqualified_on": None, "reinstated_on": timezone.localdate()},
            note=reason,
        )
        for email in _users_of(agency, Role.AGENCY_STAFF):
            queue_email(
                to=email,
                template="supervision/sanction_agency_reinstated",
                context={"agency": agency, "sanction": sanction, "reason": reason},
            )
    return agency


def reassign_agency(*, application: Application, agency, by, reason: str) -> Application:
    """Hand a submitted application whose agency was disqualified to another agency, which then
    recommends it or not; the application stays 已提交，待推荐.

    Refused (PermissionDenied) for anyone but committee staff or the administrator; refused
    (ValidationError, nothing changed) unless the application is submitted and its agency
    disqualified, without a reason, and unless the new agency is another active agency, not
    disqualified, with places in the application's category of its campaign; "someone was
    faster" when the application changed meanwhile. Side effects, in one transaction, in order:
    the application's agency (its history kept); the enterprise made a confirmed member of the
    new agency if it was not (staff decided it); an activity-log entry
    "application.reassign_agency" with the reason; after commit, mail to the applicant's users
    and to the new agency's staff.
    """
    REASSIGN.require(by, application)
    reason = _required(reason, "reason", _("请写明改派理由"))
    _check_new_agency(application, agency)
    with transaction.atomic():
        current = (
            Application.objects.select_for_update(of=("self",))
            .select_related("agency", "organisation", "campaign")
            .get(pk=application.pk)
        )
        if current.agency_id != application.agency_id or current.status != Status.SUBMITTED:
            raise ValidationError(_("该申报已由他人改派或状态已变化，请刷新页面后再操作"))
        REASSIGN.require(by, current)
        old = current.agency
        current.agency = agency
        current.save(update_fields=["agency", "updated_at"])
        membership = _make_member(current.organisation, agency, by)
        log_activity(
            actor=by,
            action="application.reassign_agency",
            obj=current,
            organisation=current.organisation,
            before={"agency": old.name, "agency_id": old.pk},
            after={"agency": agency.name, "agency_id": agency.pk, "membership": membership},
            note=reason,
        )
        context = {
            "application": current,
            "old": old,
            "agency": agency,
            "reason": reason,
        }
        for email in _users_of(current.organisation, Role.ENTERPRISE_USER):
            queue_email(
                to=email,
                template="supervision/sanction_reassigned_applicant",
                context={**context, "path": reverse("applications:detail", args=[current.pk])},
            )
        for email in _users_of(agency, Role.AGENCY_STAFF):
            queue_email(
                to=email,
                template="supervision/sanction_reassigned_agency",
                context={**context, "path": reverse("applications:recommend", args=[current.pk])},
            )
    application.refresh_from_db()
    return application


def _check_new_agency(application: Application, agency) -> None:
    if agency is None:
        raise ValidationError({"agency": _("请选择新的推进机构")})
    if agency.kind != OrgKind.AGENCY or not agency.is_active:
        raise ValidationError({"agency": _("所选单位不是有效的推进机构")})
    if agency.disqualified_on is not None:
        raise ValidationError({"agency": _("所选推进机构已被取消资格，不能推荐")})
    if not agency.may_recommend:
        raise ValidationError({"agency": _("所选推进机构的认可已暂停或尚未认可，不能推荐")})
    if agency.pk == application.agency_id:
        raise ValidationError({"agency": _("请选择另一个推进机构")})
    if quota_of(application.campaign, agency, application.category) <= 0:
        raise ValidationError(
            {
                "agency": _("%(agency)s 在“%(category)s”类别没有推荐名额")
                % {"agency": agency.name, "category": Category(application.category).label}
            }
        )


def _make_member(enterprise, agency, by) -> str:
    """The enterprise as a confirmed member of the agency that now recommends it: "existing",
    "confirmed" (it had asked) or "created"."""
    now = timezone.now()
    membership, created = AgencyMembership.objects.get_or_create(
        enterprise=enterprise, agency=agency, defaults={"confirmed_at": now, "confirmed_by": by}
    )
    if created:
        return "created"
    if membership.confirmed_at is None:
        membership.confirmed_at, membership.confirmed_by = now, by
        membership.save(update_fields=["confirmed_at", "confirmed_by"])
        return "confirmed"
    return "existing"


# ------------------------------------------------------------------------------------------
# Persons (Art. 27)


def remove_expert(*, expert, by, reason: str, decided_on=None, public: bool = False) -> Sanction:
    """Take an expert out of the pool (移出评审专家库): no draw picks them any more.

    Refused (PermissionDenied) for anyone but the administrator; refused (ValidationError) for
    someone who is not an expert, one already removed, and without a reason or with a date
    after today. Side effects, in one transaction, in order: the expert's profile `in_pool`
    off (the profile made if they had none, so a later one does not put them back); the
    Sanction; an activity-log entry "sanction.expert_remove" naming their open assignments;
    after commit, mail to the expert and, when they have open assignments or revisits, to
    committee staff to replace them.
    """
    REMOVE_EXPERT.require(by, expert)
    reason = _required(reason, "reason", _("请写明移出专家库的事由"))
    decided_on = _decision_date(decided_on)
    with transaction.atomic():
        profile, _created = ExpertProfile.objects.select_for_update().get_or_create(user=expert)
        REMOVE_EXPERT.require(by, expert)
        profile.in_pool = False
        profile.save(update_fields=["in_pool", "updated_at"])
        sanction = _sanction_person(
            expert,
            kind=SanctionKind.EXPERT_REMOVED,
            switched_off="in_pool",
            action="sanction.expert_remove",
            template="supervision/sanction_expert_removed",
            by=by,
            reason=reason,
            decided_on=decided_on,
            public=public,
        )
    return sanction


def disable_account(*, person, by, reason: str, decided_on=None, public: bool = False) -> Sanction:
    """Disable a person's account (停用账号): they cannot log in, and a session they have open
    ends with their next request.

    Refused (PermissionDenied) for anyone but the administrator; refused (ValidationError) for
    one's own account, an account already disabled, and without a reason or with a date after
    today. Side effects, in one transaction, in order: `is_active` off; the Sanction (not public
    unless asked); an activity-log entry "sanction.account_disable"; after commit, mail to the
    person and, when they have open review assignments or revisits, to committee staff.
    """
    DISABLE_ACCOUNT.require(by, person)
    reason = _required(reason, "reason", _("请写明停用账号的事由"))
    decided_on = _decision_date(decided_on)
    with transaction.atomic():
        current = type(person).objects.select_for_update().get(pk=person.pk)
        DISABLE_ACCOUNT.require(by, current)
        current.is_active = False
        current.save(update_fields=["is_active"])
        sanction = _sanction_person(
            current,
            kind=SanctionKind.ACCOUNT_DISABLED,
            switched_off="is_active",
            action="sanction.account_disable",
            template="supervision/sanction_account_disabled",
            by=by,
            reason=reason,
            decided_on=decided_on,
            public=public,
        )
    person.is_active = False
    return sanction


def _sanction_person(
    person, *, kind, switched_off: str, action: str, template: str, by, reason, decided_on, public
) -> Sanction:
    """The rest of a sanction on a person, once `switched_off` (the flag the caller just turned
    off) takes them out of the work: out of the pool or without an account, they leave their
    open review assignments and revisits alike. The Sanction; an activity-log entry naming
    those duties; mail to the person; when they leave any, mail to committee staff to replace
    them. Called in the caller's transaction.
    """
    sanction = Sanction.objects.create(
        kind=kind,
        person=person,
        reason=reason,
        decided_on=decided_on,
        public=bool(public),
        decided_by=by,
    )
    duties = active_duties(person)
    log_activity(
        actor=by,
        action=action,
        obj=sanction,
        before={switched_off: True},
        after={switched_off: False, "public": sanction.public, **_duty_ids(duties)},
        note=reason,
    )
    queue_email(
        to=person.email,
        template=template,
        context={"sanction": sanction, "person": person},
    )
    _ask_for_replacements(sanction, duties)
    return sanction


def _duty_ids(duties: dict) -> dict:
    return {
        "assignments": [a.pk for a in duties["assignments"]],
        "revisits": [r.revisit_id for r in duties["revisits"]],
    }


def _ask_for_replacements(sanction: Sanction, duties: dict) -> None:
    count = len(duties["assignments"]) + len(duties["revisits"])
    if not count:
        return
    for email in emails_of_role(Role.COMMITTEE_STAFF):
        queue_email(
            to=email,
            template="supervision/sanction_replace_expert",
            context={
                "sanction": sanction,
                "person": sanction.person,
                "count": count,
                "path": reverse("supervision:sanction_detail", args=[sanction.pk]),
            },
        )
