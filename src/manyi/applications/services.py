"""The only code that changes applications, their confirmation forms, evidence and opinions.

Every change checks that the campaign is open for this applicant (or reopened for it), writes
an activity-log entry with the data before and after, and sends mail only after commit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role, memberships
from manyi.accounts.roles import Role
from manyi.applications.models import Application, Confirmation, Decision, Recommendation
from manyi.applications.states import EDITABLE, MOVES, Status
from manyi.campaigns.categories import Category
from manyi.campaigns.selectors import ban_in_force, is_open_for, quota_of
from manyi.common.services import log_activity, queue_email, snapshot


def _member_of(user, organisation, role) -> bool:
    return any(m.organisation_id == organisation.pk and m.role == role for m in memberships(user))


def _require_applicant(user, organisation) -> None:
    if not _member_of(user, organisation, Role.ENTERPRISE_USER):
        raise PermissionDenied(_("您不是该企业的用户"))


def _require_open(application_or_campaign, organisation, category) -> None:
    campaign = getattr(application_or_campaign, "campaign", application_or_campaign)
    if not is_open_for(campaign, organisation, category):
        raise ValidationError(
            _("申报已截止或该类别未开放，不能再提交或修改。如需补交，请联系广州市用户委员会。")
        )


def _require_editable(application: Application) -> None:
    if application.status not in EDITABLE:
        raise ValidationError(
            _("申报已提交，当前状态为“%(status)s”，不能修改")
            % {"status": application.applicant_status}
        )
    _require_open(application, application.organisation, application.category)


def refuse_if_banned(organisation) -> None:
    ban = ban_in_force(organisation.uscc or "")
    if ban is not None:
        raise ValidationError(
            _("根据《管理办法》第二十六条，该单位在 %(date)s 之前不得申报")
            % {"date": f"{ban.ends_on:%Y年%-m月%-d日}"}
        )


@transaction.atomic
def start_application(*, by, organisation, campaign, category: str) -> Application:
    """Open a draft in one category; the form is prefilled from the organisation's profile.

    Side effects: the Application (draft) and an activity-log entry.
    """
    from manyi.applications.prefill import prefilled_form_data

    _require_applicant(by, organisation)
    refuse_if_banned(organisation)
    _require_open(campaign, organisation, category)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                campaign=campaign,
                category=category,
                organisation=organisation,
                created_by=by,
                form_data=prefilled_form_data(category, organisation),
                chosen_trades=[organisation.trade]
                if organisation.trade and category in ("brand", "enterprise")
                else [],
            )
    except IntegrityError as exc:
        raise ValidationError(_("本单位在本年度已有该类别的申报，每个类别只能申报一次")) from exc
    log_activity(
        actor=by,
        action="application.start",
        obj=application,
        organisation=organisation,
        after={"category": category, "campaign": campaign.year},
    )
    return application


@transaction.atomic
def save_form(
    *, application: Application, by, data: dict, reasons: dict, chosen_trades: list[str]
) -> Application:
    """Save the category form (a draft may be partial); the log keeps what changed."""
    _require_applicant(by, application.organisation)
    _require_editable(application)
    before = {
        "form_data": application.form_data,
        "empty_reasons": application.empty_reasons,
        "chosen_trades": application.chosen_trades,
    }
    application.form_data = data
    application.empty_reasons = {k: v for k, v in reasons.items() if v}
    application.chosen_trades = chosen_trades
    application.save(update_fields=["form_data", "empty_reasons", "chosen_trades", "updated_at"])
    log_activity(
        actor=by,
        action="application.save_form",
        obj=application,
        organisation=application.organisation,
        before=_changed(before, application),
        after=_changed_after(before, application),
    )
    return application


def _changed(before: dict, application) -> dict:
    out = {}
    for part, old in before.items():
        new = getattr(application, part)
        if isinstance(old, dict):
            out[part] = {k: old.get(k) for k in set(old) | set(new) if old.get(k) != new.get(k)}
        elif old != new:
            out[part] = old
    return out


def _changed_after(before: dict, application) -> dict:
    out = {}
    for part, old in before.items():
        new = getattr(application, part)
        if isinstance(old, dict):
            out[part] = {k: new.get(k) for k in set(old) | set(new) if old.get(k) != new.get(k)}
        elif old != new:
            out[part] = new
    return out


@transaction.atomic
def save_materials(
    *, application: Application, by, profile: str, products: str, measures: str, outlook: str
) -> Application:
    _require_applicant(by, application.organisation)
    _require_editable(application)
    fields = ("profile", "products", "measures", "outlook")
    before = snapshot(application, fields)
    application.profile, application.products = profile.strip(), products.strip()
    application.measures, application.outlook = measures.strip(), outlook.strip()
    application.save(update_fields=[*fields, "updated_at"])
    log_activity(
        actor=by,
        action="application.save_materials",
        obj=application,
        organisation=application.organisation,
        before={k: len(v or "") for k, v in before.items()},
        after={k: len(getattr(application, k)) for k in fields},
    )
    return application


@transaction.atomic
def save_confirmation(
    *, by, campaign, organisation, data: dict, signer: str, signed_on
) -> Confirmation:
    """The 活动确认表 (附件2): one per organisation and campaign."""
    _require_applicant(by, organisation)
    refuse_if_banned(organisation)
    # After closing, only an applicant that staff reopened (in some category) may still change it.
    if not any(is_open_for(campaign, organisation, category) for category in Category.values):
        raise ValidationError(
            _("申报已截止，不能再修改活动确认表。如需补交，请联系广州市用户委员会。")
        )
    confirmation, created = Confirmation.objects.select_for_update().get_or_create(
        campaign=campaign, organisation=organisation
    )
    before = None if created else {"data": confirmation.data, "signer": confirmation.signer}
    confirmation.data, confirmation.signer, confirmation.signed_on = data, signer.strip(), signed_on
    confirmation.save()
    log_activity(
        actor=by,
        action="confirmation.save",
        obj=confirmation,
        organisation=organisation,
        before=before,
        after={"data": data, "signer": confirmation.signer},
    )
    return confirmation


def move_application(*, application: Application, to: str, by, reason: str = "") -> Application:
    """The one door for status changes: checks the move and the mover, locks the row, logs, mails.

    Side effects, in order: the new status (and a history row), an activity-log entry, emails
    to the applicant's users (and, on submission, to the agency's staff) after commit.
    """
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        allowed = MOVES.get((current.status, to))
        if allowed is None:
            raise ValidationError(
                _("申报状态已变为“%(status)s”，请刷新页面后再操作")
                % {"status": current.get_status_display()}
            )
        _check_mover(by, current, allowed)
        before = current.status
        current.status = to
        now = timezone.now()
        if to == Status.SUBMITTED:
            current.submitted_at = now
            current.agency = current.organisation.agency
            if not current.number:
                current.number = _next_number(current)
        if to in (Status.RECOMMENDED, Status.NOT_RECOMMENDED, Status.RETURNED):
            current.decided_at = now
        current.save(
            update_fields=["status", "submitted_at", "agency", "number", "decided_at", "updated_at"]
        )
        log_activity(
            actor=by,
            action=f"application.{to}",
            obj=current,
            organisation=current.organisation,
            before={"status": before},
            after={"status": to},
            note=reason,
        )
        _mail_move(current, reason)
    application.refresh_from_db()
    return application


def _check_mover(by, application: Application, roles: tuple[str, ...]) -> None:
    if Role.ENTERPRISE_USER in roles and _member_of(
        by, application.organisation, Role.ENTERPRISE_USER
    ):
        return
    agency = application.agency or application.organisation.agency
    if (
        Role.AGENCY_STAFF in roles
        and agency is not None
        and _member_of(by, agency, Role.AGENCY_STAFF)
    ):
        return
    raise PermissionDenied(_("您无权进行此操作"))


def _next_number(application: Application) -> str:
    """申报编号: year-category-sequence, e.g. 2026-BR-003, in submission order."""
    codes = {
        "brand": "BR",
        "enterprise": "EN",
        "product": "PR",
        "engineering": "EG",
        "service": "SV",
    }
    prefix = f"{application.campaign.year}-{codes[application.category]}-"
    taken = Application.objects.filter(
        campaign=application.campaign, number__startswith=prefix
    ).count()
    return f"{prefix}{taken + 1:03d}"


def _mail_move(application: Application, reason: str) -> None:
    context = {
        "application": application,
        "status": application.applicant_status,
        "reason": reason,
        "url": reverse("applications:detail", args=[application.pk]),
    }
    for membership in application.organisation.memberships.filter(is_active=True).select_related(
        "user"
    ):
        queue_email(to=membership.user.email, template="application_status", context=context)
    if application.status == Status.SUBMITTED and application.agency is not None:
        for membership in application.agency.memberships.filter(
            role=Role.AGENCY_STAFF, is_active=True
        ).select_related("user"):
            queue_email(
                to=membership.user.email, template="application_to_recommend", context=context
            )


def submit_application(*, application: Application, by) -> Application:
    """Submit to the agency after every check of the seed passes (all problems listed at once)."""
    from manyi.applications.checks import submission_problems

    _require_applicant(by, application.organisation)
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    return move_application(application=application, to=Status.SUBMITTED, by=by)


def recommend(
    *, application: Application, by, decision: str, opinion: str, signer: str, signed_on
) -> Recommendation:
    """The agency's opinion: recommend (within its quota), do not recommend, or return with reasons."""
    if not has_role(by, Role.AGENCY_STAFF):
        raise PermissionDenied
    if not opinion.strip():
        raise ValidationError({"opinion": _("请填写推荐单位意见")})
    if not signer.strip():
        raise ValidationError({"signer": _("请填写签字人")})
    target = {
        Decision.RECOMMEND: Status.RECOMMENDED,
        Decision.NOT_RECOMMEND: Status.NOT_RECOMMENDED,
        Decision.RETURN: Status.RETURNED,
    }[decision]
    with transaction.atomic():
        agency = application.agency or application.organisation.agency
        if decision == Decision.RECOMMEND:
            # Lock the agency's row so two staff recommending at once cannot both pass the quota.
            type(agency).objects.select_for_update().get(pk=agency.pk)
            quota = quota_of(application.campaign, agency, application.category)
            used = Application.objects.filter(
                campaign=application.campaign,
                category=application.category,
                agency=agency,
                status=Status.RECOMMENDED,
            ).count()
            if used >= quota:
                raise ValidationError(
                    _("本类别推荐名额已用完（%(used)d/%(quota)d），不能再推荐")
                    % {"used": used, "quota": quota}
                )
        move_application(application=application, to=target, by=by, reason=opinion)
        return Recommendation.objects.create(
            application=application,
            agency=agency,
            decision=decision,
            opinion=opinion.strip(),
            signer=signer.strip(),
            signed_on=signed_on,
            created_by=by,
        )


def add_attachment(*, application: Application, by, upload, kind: str):
    """Evidence file: checked by content (PDF, JPEG, PNG), stored under a random name.

    A refused file leaves nothing behind.
    """
    from manyi.applications.models import Attachment
    from manyi.applications.uploads import check_evidence_file
    from manyi.common.files import stored_upload

    _require_applicant(by, application.organisation)
    _require_editable(application)
    content_type, suffix = check_evidence_file(upload)
    with (
        stored_upload(upload, folder="evidence", suffix=suffix) as (stored, digest, size),
        transaction.atomic(),
    ):
        attachment = Attachment.objects.create(
            application=application,
            kind=kind,
            file_path=stored,
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size_bytes=size,
            sha256=digest,
            uploaded_by=by,
        )
        log_activity(
            actor=by,
            action="application.attachment_add",
            obj=application,
            organisation=application.organisation,
            after={"kind": kind, "file": attachment.original_name, "sha256": digest},
        )
    return attachment


def remove_attachment(*, attachment, by) -> None:
    from manyi.common.files import remove_private

    application = attachment.application
    _require_applicant(by, application.organisation)
    _require_editable(application)
    with transaction.atomic():
        log_activity(
            actor=by,
            action="application.attachment_remove",
            obj=application,
            organisation=application.organisation,
            before={
                "kind": attachment.kind,
                "file": attachment.original_name,
                "sha256": attachment.sha256,
            },
        )
        path = attachment.file_path
        attachment.delete()
        transaction.on_commit(lambda: remove_private(path))


def save_seal(*, agency, by, upload):
    """The agency's seal image (PNG or JPEG), replacing any earlier one."""
    from manyi.applications.models import AgencySeal
    from manyi.applications.uploads import check_evidence_file
    from manyi.common.files import remove_private, stored_upload

    if not _member_of(by, agency, Role.AGENCY_STAFF):
        raise PermissionDenied
    content_type, suffix = check_evidence_file(upload, max_bytes=2 * 1024 * 1024)
    if content_type == "application/pdf":
        raise ValidationError(_("公章须为 PNG 或 JPEG 图片"))
    with (
        stored_upload(upload, folder="seals", suffix=suffix) as (stored, digest, _size),
        transaction.atomic(),
    ):
        old = AgencySeal.objects.filter(agency=agency).first()
        old_path = old.file_path if old else ""
        seal, _created = AgencySeal.objects.update_or_create(
            agency=agency,
            defaults={
                "file_path": stored,
                "content_type": content_type,
                "sha256": digest,
                "uploaded_by": by,
            },
        )
        log_activity(
            actor=by,
            action="agency.seal_upload",
            obj=agency,
            organisation=agency,
            after={"sha256": digest},
        )
        if old_path:
            transaction.on_commit(lambda: remove_private(old_path))
    return seal


def withdraw_application(*, application: Application, by) -> Application:
    return move_application(application=application, to=Status.WITHDRAWN, by=by)
