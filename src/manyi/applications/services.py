"""The only code that changes applications, their confirmation forms, evidence and opinions.

Every change checks that the campaign is open for this applicant (or reopened for it), writes
an activity-log entry with the data before and after, and sends mail only after commit.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.applications import access
from manyi.applications.models import Application, Confirmation
from manyi.applications.states import MOVES, Status
from manyi.campaigns.categories import Category
from manyi.campaigns.selectors import ban_in_force, is_open_for
from manyi.common.services import log_activity, queue_email, snapshot


def refuse_if_banned(organisation) -> None:
    ban = ban_in_force(organisation.uscc or "")
    if ban is not None:
        raise ValidationError(
            _("根据《管理办法》第二十六条，该单位在 %(date)s 之前不得申报")
            % {"date": f"{ban.ends_on:%Y年%-m月%-d日}"}
        )


@transaction.atomic
def start_application(*, by, organisation, campaign, category: str, agency=None) -> Application:
    """Open a draft in one category, recommended by `agency` (one of the applicant's confirmed
    agencies with places in the category; the only one when it has just one). The form is
    prefilled from the organisation's profile.

    Side effects: the Application (draft) and an activity-log entry.
    """
    from manyi.applications.forms.prefill import prefilled_form_data

    if not access.is_enterprise_user_of.test(by, organisation):
        raise access.not_applicant()
    refuse_if_banned(organisation)
    if not is_open_for(campaign, organisation, category):
        raise access.campaign_closed()
    agency = choose_agency(
        organisation=organisation, campaign=campaign, category=category, agency=agency
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                campaign=campaign,
                category=category,
                organisation=organisation,
                agency=agency,
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
        after={"category": category, "campaign": campaign.year, "agency": agency.name},
    )
    return application


def choose_agency(*, organisation, campaign, category: str, agency=None):
    """The recommending agency of a new application, or a ValidationError saying why not.

    It must be one of the enterprise's agencies (a draft may wait for the agency to confirm the
    membership; submission needs it confirmed) and have places in the category; the refusal
    names the agencies that do.
    """
    from manyi.accounts.selectors import agencies_of
    from manyi.applications.submission import no_places_message
    from manyi.campaigns.selectors import quota_of

    agencies = agencies_of(organisation)
    if not agencies:
        raise ValidationError(_("贵单位尚未加入推进机构（推荐单位），请先在单位资料中申请加入"))
    if agency is None:
        with_places = [a for a in agencies if quota_of(campaign, a, category) > 0]
        agency = (with_places or agencies)[0] if len(with_places) <= 1 else None
        if agency is None:
            raise ValidationError(_("请选择由哪个推进机构推荐本申报"))
    elif agency.pk not in {a.pk for a in agencies}:
        raise ValidationError(_("只能选择贵单位已加入的推进机构"))
    if quota_of(campaign, agency, category) <= 0:
        raise ValidationError(no_places_message(campaign, agency, category))
    return agency


@transaction.atomic
def save_form(
    *, application: Application, by, data: dict, reasons: dict, chosen_trades: list[str]
) -> Application:
    """Save the category form (a draft may be partial); the log keeps what changed."""
    access.EDIT.require(by, application)
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
    access.EDIT.require(by, application)
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
    if not access.is_enterprise_user_of.test(by, organisation):
        raise access.not_applicant()
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
            raise access.state_changed(current)
        _check_mover(by, current, allowed)
        before = current.status
        current.status = to
        now = timezone.now()
        if to == Status.SUBMITTED:
            current.submitted_at = now
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
    if Role.ENTERPRISE_USER in roles and access.is_applicant.test(by, application):
        return
    if Role.AGENCY_STAFF in roles and access.is_recommending_agency.test(by, application):
        return
    raise access.not_allowed()


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
    """Submit to the agency after every check of the measures passes (all problems listed at once)."""
    from manyi.applications.submission import submission_problems

    access.SUBMIT.require(by, application)
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    return move_application(application=application, to=Status.SUBMITTED, by=by)


def add_attachment(*, application: Application, by, upload, kind: str):
    """Evidence file: checked by content (PDF, JPEG, PNG), stored under a random name.

    A refused file leaves nothing behind.
    """
    from manyi.applications.evidence import check_evidence_file
    from manyi.applications.models import Attachment
    from manyi.common.files import stored_upload

    access.EDIT.require(by, application)
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
    access.EDIT.require(by, application)
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


def open_evidence(*, attachment, by):
    """Open an evidence file for reading by someone the selectors let see its application.

    Side effects: an activity-log entry ("application.attachment_download"). The caller hands
    the open file to the response, which closes it.
    """
    from manyi.common.files import private_path

    application = attachment.application
    access.DOWNLOAD_EVIDENCE.require(by, application)
    log_activity(
        actor=by,
        action="application.attachment_download",
        obj=application,
        organisation=application.organisation,
        after={"file": attachment.original_name},
    )
    return open(private_path(attachment.file_path), "rb")  # noqa: SIM115 - the response closes it


def withdraw_application(*, application: Application, by) -> Application:
    access.WITHDRAW.require(by, application)
    return move_application(application=application, to=Status.WITHDRAWN, by=by)
