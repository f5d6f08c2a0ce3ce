"""The only code that changes applications, their confirmation forms, evidence and opinions.

Every change checks that the campaign is open for this applicant (or reopened for it), writes
an activity-log entry with the data before and after, and sends mail only after commit.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.applications import access
from manyi.applications.models import (
    Application,
    ApplicationCounter,
    Confirmation,
    ConfirmationVersion,
)
from manyi.applications.states import MOVES, SYSTEM, Status
from manyi.campaigns.categories import Category
from manyi.campaigns.selectors import ban_in_force, is_open_for
from manyi.common.punctuation import local_date
from manyi.common.services import log_activity, queue_email, snapshot


def refuse_if_banned(organisation) -> None:
    ban = ban_in_force(organisation.uscc or "")
    if ban is not None:
        raise ValidationError(
            _("根据《管理办法》第二十六条，该单位在 %(date)s 之前不得申报")
            % {"date": local_date(ban.ends_on)}
        )


@transaction.atomic
def start_application(*, by, organisation, campaign, category: str, agency=None) -> Application:
    """Open a draft in one category, recommended by `agency` (one of the applicant's confirmed
    agencies with places in the category; the only one when it has just one). The form is
    prefilled from the organisation's profile and, for what the profile lacks, its latest 附件2.

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
                form_data=prefilled_form_data(
                    category, organisation, latest_confirmation_data(organisation, campaign)
                ),
                chosen_trades=[organisation.trade]
                if organisation.trade and category in ("brand", "enterprise")
                else [],
            )
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "本单位在本年度已有该类别的有效申报，每个类别只能有一份；如需重新填写，请先撤回原申报"
            )
        ) from exc
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


def latest_confirmation_data(organisation, campaign) -> dict:
    """The data of the organisation's 附件2 in this campaign, else of its latest one."""
    confirmation = (
        Confirmation.objects.filter(organisation=organisation)
        .order_by(
            models.Case(
                models.When(campaign=campaign, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            "-updated_at",
        )
        .first()
    )
    return confirmation.data if confirmation else {}


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
    """The 活动确认表 (附件2): one per organisation and campaign.

    Side effects, in order: the Confirmation, an activity-log entry, and the organisation
    details 附件2 gave copied to the organisation's profile (`copy_confirmation_to_profile`,
    logged as a profile change), so every later form is prefilled with them.
    Refused while the form is locked (an application was submitted with it) until staff reopen
    it (`reopen_confirmation`).
    """
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
    access.EDIT_CONFIRMATION.require(by, confirmation)
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
    copy_confirmation_to_profile(organisation=organisation, data=data, by=by)
    return confirmation


# The organisation's name is its registered name: it changes in the profile, not through 附件2.
NOT_COPIED_FROM_CONFIRMATION = frozenset({"name"})


def copy_confirmation_to_profile(*, organisation, data: dict, by) -> None:
    """Copy the organisation details 附件2 gave (联系部门, 办公电话, 传真, 所有制形式, 职工人数 …)
    to the organisation's profile, through `accounts.services.update_organisation` (logged).

    Only filled values that the profile accepts are copied: an empty cell (left empty with a
    reason) does not erase the profile, and a value the profile would refuse stays in 附件2 only.
    """
    from manyi.accounts.models import Organisation
    from manyi.accounts.services import ORGANISATION_PROFILE_FIELDS, update_organisation
    from manyi.applications.forms.specs import CONFIRMATION, all_fields

    changes = {}
    for field in all_fields(CONFIRMATION):
        name = field.prefill
        if not name or name in NOT_COPIED_FROM_CONFIRMATION:
            continue
        if name not in ORGANISATION_PROFILE_FIELDS or data.get(field.key) in (None, ""):
            continue
        try:
            value = Organisation._meta.get_field(name).clean(data[field.key], organisation)
        except ValidationError:
            continue
        if getattr(organisation, name) != value:
            changes[name] = value
    if not changes:
        return
    try:
        update_organisation(organisation=organisation, by=by, data=changes)
    except ValidationError:
        # The profile holds something else it now refuses (an old record): 附件2 is saved all
        # the same, and the profile keeps what it had until someone corrects it there.
        return


# The organisation's details an application is submitted with (the forms' 企业名称（公章）,
# 统一社会信用代码, 通讯地址 …): kept on the application so a later change prints nowhere.
SUBMITTED_DETAILS = (
    "name",
    "uscc",
    "legal_representative",
    "address",
    "postcode",
    "phone",
    "fax",
    "email",
    "contact_department",
    "contact_person",
    "contact_title",
    "contact_mobile",
    "trade",
    "industry",
    "ownership",
    "employees",
)


def organisation_details(organisation) -> dict:
    """The organisation's details as they stand now, as JSON (`SUBMITTED_DETAILS`)."""
    return {
        name: value if value is None or isinstance(value, int) else str(value)
        for name in SUBMITTED_DETAILS
        for value in (getattr(organisation, name),)
    }


def freeze_submission(*, application: Application, by) -> None:
    """What an application is submitted with, frozen on it (the caller saves it, in its
    transaction): the organisation's details (`submitted_details`) and the version of its
    活动确认表 (`confirmation_version`, from `freeze_confirmation`; None when it has none)."""
    application.submitted_details = organisation_details(application.organisation)
    confirmation = (
        Confirmation.objects.select_for_update()
        .select_related("organisation")
        .filter(campaign_id=application.campaign_id, organisation_id=application.organisation_id)
        .first()
    )
    application.confirmation_version = (
        freeze_confirmation(confirmation=confirmation, by=by) if confirmation else None
    )


def freeze_confirmation(*, confirmation: Confirmation, by) -> ConfirmationVersion:
    """The 活动确认表 as it stands, as a numbered version, and the form locked.

    The latest version is reused when the form has not changed since; otherwise the next
    number is written. Side effects, in order: a ConfirmationVersion (when new),
    Confirmation.locked_at (when not yet locked), an activity-log entry when either happened.
    The caller holds the confirmation's row lock.
    """
    latest = confirmation.versions.order_by("-number").first()
    unchanged = latest is not None and (latest.data, latest.signer, latest.signed_on) == (
        confirmation.data,
        confirmation.signer,
        confirmation.signed_on,
    )
    version = latest
    if not unchanged:
        version = ConfirmationVersion.objects.create(
            confirmation=confirmation,
            number=(latest.number + 1) if latest else 1,
            data=confirmation.data,
            signer=confirmation.signer,
            signed_on=confirmation.signed_on,
            organisation_name=confirmation.organisation.name,
            created_by=by,
        )
    newly_locked = confirmation.locked_at is None
    if newly_locked:
        confirmation.locked_at = timezone.now()
        # Only locked_at is written: locking is not a change of the form (updated_at stays).
        confirmation.save(update_fields=["locked_at"])
    if newly_locked or not unchanged:
        log_activity(
            actor=by,
            action="confirmation.lock",
            obj=confirmation,
            organisation=confirmation.organisation,
            after={"version": version.number, "signer": version.signer},
        )
    return version


@transaction.atomic
def reopen_confirmation(*, confirmation: Confirmation, by, reason: str) -> Confirmation:
    """Let the applicant change a locked 活动确认表 again (committee staff or the association's
    administrator, with a reason). The applications already submitted keep the version they
    were submitted with; the next submission freezes a new one.

    Side effects, in order: Confirmation.locked_at cleared, an activity-log entry with the
    reason, an email to each of the applicant's active users after commit.
    """
    confirmation = (
        Confirmation.objects.select_for_update()
        .select_related("organisation", "campaign")
        .get(pk=confirmation.pk)
    )
    access.REOPEN_CONFIRMATION.require(by, confirmation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重新开放的原因"))
    locked_at = confirmation.locked_at
    confirmation.locked_at = None
    confirmation.save(update_fields=["locked_at"])
    log_activity(
        actor=by,
        action="confirmation.reopen",
        obj=confirmation,
        organisation=confirmation.organisation,
        before={"locked_at": locked_at},
        after={"locked_at": None},
        note=reason,
    )
    context = {
        "confirmation": confirmation,
        "reason": reason,
        "url": reverse("applications:confirmation", args=[confirmation.campaign.year]),
    }
    for membership in confirmation.organisation.memberships.filter(
        is_active=True, role=Role.ENTERPRISE_USER
    ).select_related("user"):
        queue_email(to=membership.user.email, template="confirmation_reopened", context=context)
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
            freeze_submission(application=current, by=by)
            if not current.number:
                current.number = _next_number(current)
        if to == Status.COMPLETED:
            # What the committee reviews again is what the applicant completed.
            freeze_submission(application=current, by=by)
        if to in (Status.RECOMMENDED, Status.NOT_RECOMMENDED, Status.RETURNED):
            current.decided_at = now
        if to == Status.RETURNED:
            current.resubmit_by = timezone.localdate() + timedelta(days=_resubmission_days(current))
            current.resubmit_reminded_at = None
        current.save(
            update_fields=[
                "status",
                "submitted_at",
                "agency",
                "number",
                "decided_at",
                "resubmit_by",
                "resubmit_reminded_at",
                "confirmation_version",
                "submitted_details",
                "updated_at",
            ]
        )
        log_activity(
            actor=by or "worker",  # None: a scheduled task (SYSTEM moves)
            action=f"application.{to}",
            obj=current,
            organisation=current.organisation,
            before={"status": before},
            after={"status": to, "resubmit_by": current.resubmit_by}
            if to == Status.RETURNED
            else {"status": to},
            note=reason,
        )
        _mail_move(current, reason)
    application.refresh_from_db()
    return application


def _resubmission_days(application: Application) -> int:
    """The category's setting: days the applicant has to resubmit after 退回修改."""
    from manyi.campaigns.models import CampaignCategory

    days = (
        CampaignCategory.objects.filter(
            campaign_id=application.campaign_id, category=application.category
        )
        .values_list("resubmission_days", flat=True)
        .first()
    )
    return days or CampaignCategory._meta.get_field("resubmission_days").default


def _check_mover(by, application: Application, roles: tuple[str, ...]) -> None:
    from manyi.accounts.access import has_role

    if by is None:
        if SYSTEM in roles:
            return
        raise access.not_allowed()
    programme_roles = [r for r in roles if r in (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)]
    if programme_roles and has_role(by, *programme_roles):
        return
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
    counter = _locked_counter(application, prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:03d}"


def _locked_counter(application: Application, prefix: str) -> ApplicationCounter:
    """The campaign and category's counter row, locked until the caller's transaction ends, so
    two submissions at once wait for each other instead of reading the same last number.

    A missing row is created starting from the highest number already given (numbers written
    before the counter existed). When two transactions create it at once, the second insert
    waits on the unique constraint and fails once the first commits; it then takes the row the
    first wrote, under lock.
    """
    lookup = {"campaign_id": application.campaign_id, "category": application.category}
    locked = ApplicationCounter.objects.select_for_update()
    counter = locked.filter(**lookup).first()
    if counter is not None:
        return counter
    given = Application.objects.filter(
        campaign_id=application.campaign_id, number__startswith=prefix
    ).values_list("number", flat=True)
    last = max((int(n[len(prefix) :]) for n in given if n[len(prefix) :].isdigit()), default=0)
    try:
        with transaction.atomic():
            ApplicationCounter.objects.create(**lookup, last=last)
    except IntegrityError:
        pass  # another submission created it first; it is committed now
    return locked.get(**lookup)


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


# Days before the resubmission deadline on which the applicant is reminded.
RESUBMIT_REMINDER_DAYS = 2


def remind_resubmissions(*, now=None) -> int:
    """Remind the applicants of returned applications whose resubmission deadline is at most
    two days away (and not passed), once per return. Run daily by the worker.

    Side effects, per application, in order: resubmit_reminded_at (claimed with its old value,
    so two workers never both remind), an activity-log entry, an email to each of the
    applicant's active users. Returns how many applications were reminded.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Application.objects.filter(
        status=Status.RETURNED,
        resubmit_reminded_at__isnull=True,
        resubmit_by__gte=today,
        resubmit_by__lte=today + timedelta(days=RESUBMIT_REMINDER_DAYS),
    ).select_related("organisation", "campaign")
    reminded = 0
    for application in due:
        with transaction.atomic():
            claimed = Application.objects.filter(
                pk=application.pk, status=Status.RETURNED, resubmit_reminded_at__isnull=True
            ).update(resubmit_reminded_at=now)
            if not claimed:
                continue
            log_activity(
                actor="worker",
                action="application.resubmit_reminder",
                obj=application,
                organisation=application.organisation,
                after={"resubmit_by": application.resubmit_by},
            )
            context = {
                "application": application,
                "resubmit_by": application.resubmit_by,
                "url": reverse("applications:detail", args=[application.pk]),
            }
            for membership in application.organisation.memberships.filter(
                is_active=True, role=Role.ENTERPRISE_USER
            ).select_related("user"):
                queue_email(
                    to=membership.user.email,
                    template="application_resubmit_reminder",
                    context=context,
                )
        reminded += 1
    return reminded
