"""The construction client's appraisal (续表4-4 建设单位（用户）满意度评价鉴定意见).

The seed marks the block "以下栏目由推荐单位填写": the engineering applicant proposes its
client's contact while it may still change the application; once submitted, the recommending
agency checks the contact (and may correct it) and sends the link; the client, who has no
account, fills the appraisal once through that link. Only the SHA-256 of the link's token is
stored, so the database alone cannot be used to fill an appraisal. Sending again replaces the
link. An address of the applicant's own (its users, its mail domain) is refused: the client
must answer, not the applicant.
"""

import hashlib
import re
import secrets
import unicodedata
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.accounts.models import Membership
from manyi.accounts.roles import Role
from manyi.applications import access
from manyi.applications.evidence import check_evidence_file
from manyi.applications.models import Application, ClientAppraisal
from manyi.applications.states import Status
from manyi.common.files import private_path, remove_private, store_upload
from manyi.common.services import log_activity, queue_email

LINK_DAYS = 30
MAX_TEXT = 1000
SCAN_FOLDER = "appraisals"

# The six points of 续表4-4, in the measures' order: model field → the measures' words.
POINTS: tuple[tuple[str, str], ...] = (
    ("quality", gettext_lazy("工程质量")),
    ("construction_service", gettext_lazy("施工服务")),
    ("design_suggestions", gettext_lazy("工程设计的建设性意见")),
    ("maintenance", gettext_lazy("后续维护")),
    ("overall", gettext_lazy("总体评价")),
    ("improvements", gettext_lazy("改进建议")),
)
TEXT_FIELDS = tuple(name for name, _label in POINTS)
CONTACT_FIELDS = ("client_name", "contact_name", "contact_email", "contact_phone")
# Who may read a submitted appraisal (each only for applications the selectors let them see).
READERS = access.READERS

# Mail services anyone may use: sharing one with the applicant says nothing about who owns it.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "qq.com",
        "vip.qq.com",
        "163.com",
        "vip.163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "139.com",
        "189.cn",
        "aliyun.com",
        "foxmail.com",
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "icloud.com",
        "yahoo.com",
    }
)

_PHONE_NOISE = re.compile(r"[\s\-()（）]")
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"(0\d{9,11})")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_label(appraisal: ClientAppraisal) -> str:
    """How the client appears in the activity log (it has no account)."""
    return _("建设单位：%(name)s") % {"name": appraisal.client_name}


def tidy_phone(text: str) -> str:
    """A Chinese mobile (13800138000) or a landline with its area code (020-83341934), tidied
    of spaces, dashes and brackets; "" when the text is neither."""
    compact = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))
    if mobile := _MOBILE.fullmatch(compact):
        return mobile.group(1)
    if _LANDLINE.fullmatch(compact):
        # Beijing (010) and the 02x cities have three-digit area codes, the rest four.
        area = 3 if compact[1] in "12" else 4
        number = compact[area:]
        if 7 <= len(number) <= 8:
            return f"{compact[:area]}-{number}"
    return ""


def mail_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def own_addresses(organisation) -> tuple[set[str], set[str]]:
    """The applicant's own email addresses (its users', its own) and its own mail domains
    (public mail services left out)."""
    emails = {
        email.lower()
        for email in Membership.objects.filter(organisation=organisation).values_list(
            "user__email", flat=True
        )
        if email
    }
    if organisation.email:
        emails.add(organisation.email.strip().lower())
    domains = {mail_domain(email) for email in emails} - PUBLIC_MAIL_DOMAINS - {""}
    return emails, domains


def contact_missing_message(name: str) -> str:
    """What the applicant or the agency is told when a part of the client's contact is empty."""
    return {
        "client_name": _("请填写建设单位（用户）名称"),
        "contact_name": _("请填写建设单位联系人"),
        "contact_email": _("请填写有效的电子邮箱，评价链接将发送到该邮箱"),
        "contact_phone": _("请填写建设单位联系人的联系电话"),
    }[name]


def _own_domain(domain: str, own: set[str]) -> str:
    """The applicant's domain that `domain` is, or is under (mail.x.cn under x.cn); else ""."""
    return next((d for d in sorted(own) if domain == d or domain.endswith(f".{d}")), "")


def clean_contact(
    application: Application,
    *,
    client_name: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
) -> dict[str, str]:
    """The client's contact, tidied, or a ValidationError naming every problem in Chinese.

    The client's name is taken from the application form (建设单位（用户）名称) when it is
    filled there. The address may not be one of the applicant's own, nor on its own domain.
    """
    client_name = (
        str(application.form_data.get("client_name") or "").strip() or (client_name or "").strip()
    )
    contact_name = (contact_name or "").strip()
    contact_email = (contact_email or "").strip().lower()
    phone_text = (contact_phone or "").strip()
    errors = {}
    if not client_name:
        errors["client_name"] = contact_missing_message("client_name")
    elif len(client_name) > 200:
        errors["client_name"] = _("建设单位名称不能超过 200 个字")
    if not contact_name:
        errors["contact_name"] = contact_missing_message("contact_name")
    elif len(contact_name) > 60:
        errors["contact_name"] = _("联系人不能超过 60 个字")
    try:
        validate_email(contact_email)
    except ValidationError:
        errors["contact_email"] = contact_missing_message("contact_email")
    else:
        emails, domains = own_addresses(application.organisation)
        own_domain = _own_domain(mail_domain(contact_email), domains)
        if contact_email in emails:
            errors["contact_email"] = _(
                "该邮箱是申报单位自己的邮箱，不能作为建设单位联系人的邮箱；"
                "请填写建设单位联系人本人的邮箱"
            )
        elif own_domain:
            errors["contact_email"] = _(
                "该邮箱与申报单位的邮箱同属 %(domain)s，不能作为建设单位联系人的邮箱；"
                "请填写建设单位的邮箱"
            ) % {"domain": own_domain}
    contact_phone = tidy_phone(phone_text)
    if not phone_text:
        errors["contact_phone"] = contact_missing_message("contact_phone")
    elif not contact_phone:
        errors["contact_phone"] = _(
            "请填写有效的联系电话：手机号码（如 13800138000）或带区号的固定电话（如 020-83341934）"
        )
    if errors:
        raise ValidationError(errors)
    return {
        "client_name": client_name,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
    }


def _contact_of(appraisal: ClientAppraisal | None) -> dict | None:
    if appraisal is None:
        return None
    return {name: getattr(appraisal, name) for name in CONTACT_FIELDS}


def propose_client_contact(
    *,
    application: Application,
    by,
    client_name: str = "",
    contact_name: str,
    contact_email: str,
    contact_phone: str,
) -> ClientAppraisal:
    """The applicant proposes its client's contact; the recommending agency sends the link.

    Only the applicant's own users, only for an engineering application that may still be
    changed and whose appraisal has not been received. No link exists yet. If the agency had
    already sent a link (the application came back for changes) and the address changes, that
    link stops working and the agency sends a new one.

    Side effects, in order: the ClientAppraisal (created, or its contact replaced, with
    proposed_by and proposed_at), an activity-log entry. No email.
    """
    if not access.is_applicant.test(by, application):
        raise access.not_applicant()
    if not access.is_engineering.test(by, application):
        raise access.not_engineering()
    contact = clean_contact(
        application,
        client_name=client_name,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    with transaction.atomic():
        # The row lock makes two proposals at once wait for each other instead of both creating.
        locked = Application.objects.select_for_update().get(pk=application.pk)
        previous = ClientAppraisal.objects.select_for_update().filter(application=locked).first()
        access.PROPOSE_CLIENT_CONTACT.require(by, locked)
        values = {**contact, "proposed_by": by, "proposed_at": timezone.now()}
        revoked = (
            previous is not None
            and previous.token_hash is not None
            and previous.contact_email != contact["contact_email"]
        )
        if revoked:
            values.update(token_hash=None, sent_at=None, sent_by=None, expires_at=None)
        if previous is None:
            appraisal = ClientAppraisal.objects.create(application=locked, **values)
        else:
            ClientAppraisal.objects.filter(pk=previous.pk).update(**values)
            appraisal = ClientAppraisal.objects.get(pk=previous.pk)
        log_activity(
            actor=by,
            action="appraisal.propose",
            obj=appraisal,
            organisation=locked.organisation,
            before=_contact_of(previous),
            after=contact,
            note=_("联系邮箱已更改，推荐单位此前发出的评价链接已失效") if revoked else "",
        )
    return appraisal


def send_appraisal_link(
    *,
    application: Application,
    by,
    client_name: str | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    contact_phone: str | None = None,
) -> tuple[ClientAppraisal, str]:
    """The recommending agency sends the client the link; returns the appraisal and the token.

    The contact is the applicant's proposal, or what the agency enters instead (a value left
    as None keeps the proposal's); it is checked again as when proposed. Only the staff of the
    application's recommending agency, while the application awaits it and the appraisal has
    not been received. Sending again replaces the token, so the earlier link stops working.

    Side effects, in order: the ClientAppraisal (its contact, token hash, sent_by, sent_at and
    expiry), an activity-log entry, an email with the link to the client (sent after commit).
    """
    if not access.is_recommending_agency.test(by, application):
        raise access.not_allowed()
    if not access.is_engineering.test(by, application):
        raise access.not_engineering()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        previous = ClientAppraisal.objects.select_for_update().filter(application=locked).first()
        access.SEND_APPRAISAL.require(by, locked)
        proposed = _contact_of(previous) or dict.fromkeys(CONTACT_FIELDS, "")
        given = {
            "client_name": client_name,
            "contact_name": contact_name,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
        }
        contact = clean_contact(
            locked,
            **{name: proposed[name] if value is None else value for name, value in given.items()},
        )
        now = timezone.now()
        values = {
            **contact,
            "token_hash": hash_token(token),
            "sent_by": by,
            "sent_at": now,
            "expires_at": now + timedelta(days=LINK_DAYS),
        }
        if previous is None:
            appraisal = ClientAppraisal.objects.create(application=locked, **values)
        else:
            ClientAppraisal.objects.filter(pk=previous.pk).update(**values)
            appraisal = ClientAppraisal.objects.get(pk=previous.pk)
        notes = []
        if previous is not None and previous.token_hash:
            notes.append(_("重新发送，原链接已失效"))
        if previous is None or proposed != contact:
            notes.append(_("推荐单位填写或修改了联系人"))
        log_activity(
            actor=by,
            action="appraisal.send",
            obj=appraisal,
            organisation=locked.organisation,
            before=_contact_of(previous),
            after={**contact, "expires_at": appraisal.expires_at},
            note="；".join(notes),
        )
        queue_email(
            to=contact["contact_email"],
            template="appraisal_request",
            context={
                "appraisal": appraisal,
                "applicant": locked.organisation.name,
                "agency": locked.agency.name,
                "project_name": locked.form_data.get("project_name") or "",
                "points": [str(label) for _name, label in POINTS],
                "url": reverse("applications:appraisal_fill", args=[token]),
                "expires_at": appraisal.expires_at,
            },
        )
    return appraisal, token


def find_appraisal(token: str) -> ClientAppraisal | None:
    """The appraisal a link opens: not yet submitted, not expired, not replaced; else None."""
    if not token or len(token) > 200:
        return None
    return (
        ClientAppraisal.objects.filter(
            token_hash=hash_token(token),
            submitted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(application__status=Status.WITHDRAWN)
        .select_related("application__organisation", "application__campaign")
        .first()
    )


def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def missing_message(name: str) -> str:
    """What the client is told when a required part of the appraisal is empty."""
    if name == "signer":
        return _("请填写建设单位（用户）签字人")
    if name == "signed_on":
        return _("请填写签字日期")
    return _("请填写“%(point)s”") % {"point": dict(POINTS)[name]}


def _clean_answers(data: dict) -> dict:
    """The six texts, the signer and the date, or a ValidationError naming every problem."""
    errors, cleaned = {}, {}
    for name, label in POINTS:
        text = str(data.get(name) or "").strip()
        if not text:
            errors[name] = missing_message(name)
        elif len(text) > MAX_TEXT:
            errors[name] = _("“%(point)s”不能超过 %(max)d 个字（现有 %(n)d 个）") % {
                "point": label,
                "max": MAX_TEXT,
                "n": len(text),
            }
        cleaned[name] = text
    signer = str(data.get("signer") or "").strip()
    if not signer:
        errors["signer"] = missing_message("signer")
    elif len(signer) > 60:
        errors["signer"] = _("签字人不能超过 60 个字")
    cleaned["signer"] = signer
    signed_on = _as_date(data.get("signed_on"))
    if signed_on is None:
        errors["signed_on"] = missing_message("signed_on")
    elif signed_on > timezone.localdate():
        errors["signed_on"] = _("签字日期不能晚于今天")
    cleaned["signed_on"] = signed_on
    if errors:
        raise ValidationError(errors)
    return cleaned


def _refusal(token_hash: str) -> ValidationError:
    """Why a link no longer takes an answer: a second submission is told so plainly."""
    row = ClientAppraisal.objects.filter(token_hash=token_hash).only("submitted_at").first()
    if row is not None and row.submitted_at is not None:
        return ValidationError(
            _("该评价已经提交，无需重复提交；如需修改，请联系申报单位"), code="already_submitted"
        )
    return ValidationError(_("链接无效或已使用"), code="invalid_link")


def submit_appraisal(*, token: str, data: dict, scan_upload=None) -> ClientAppraisal:
    """The client's answer: the six points, signer and date, and optionally the sealed page.

    The link works once: the row is claimed by an update guarded by `submitted_at IS NULL` (and
    by the token, so a link replaced meanwhile fails), so of two submissions at once one wins
    and the other is told so. A scan that fails the evidence check saves nothing; a stored scan
    is removed again if the claim fails.

    Side effects, in order: the scan stored under MEDIA_ROOT/appraisals/ with a random name;
    the answers and submitted_at; an activity-log entry; emails to the applicant's users.
    """
    appraisal = find_appraisal(token)
    if appraisal is None:
        raise _refusal(hash_token(token or ""))
    # Every problem is reported at once: the answers and the scan.
    errors, cleaned = {}, {}
    try:
        cleaned = _clean_answers(data)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    content_type = suffix = ""
    if scan_upload is not None:
        try:
            content_type, suffix = check_evidence_file(scan_upload)
        except ValidationError as exc:
            errors["scan"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    stored = ""
    try:
        if scan_upload is not None:
            stored, digest, size = store_upload(scan_upload, folder=SCAN_FOLDER, suffix=suffix)
        with transaction.atomic():
            now = timezone.now()
            claimed = ClientAppraisal.objects.filter(
                pk=appraisal.pk,
                token_hash=appraisal.token_hash,
                submitted_at__isnull=True,
                expires_at__gt=now,
            ).update(
                submitted_at=now,
                scan_path=stored,
                scan_name=(scan_upload.name or f"scan{suffix}")[:200] if stored else "",
                **cleaned,
            )
            if not claimed:
                raise _refusal(appraisal.token_hash)
            appraisal.refresh_from_db()
            after = {name: len(cleaned[name]) for name in TEXT_FIELDS}
            after.update(signer=cleaned["signer"], signed_on=cleaned["signed_on"])
            if stored:
                after.update(scan_sha256=digest, scan_bytes=size, scan_type=content_type)
            log_activity(
                actor=client_label(appraisal),
                action="appraisal.submit",
                obj=appraisal,
                organisation=appraisal.application.organisation,
                after=after,
            )
            _mail_applicant(appraisal)
    except BaseException:
        remove_private(stored)
        raise
    return appraisal


def _mail_applicant(appraisal: ClientAppraisal) -> None:
    application = appraisal.application
    context = {
        "appraisal": appraisal,
        "project_name": application.form_data.get("project_name") or "",
        "url": reverse("applications:appraisal", args=[application.pk]),
    }
    members = application.organisation.memberships.filter(
        role=Role.ENTERPRISE_USER, is_active=True
    ).select_related("user")
    for membership in members:
        queue_email(to=membership.user.email, template="appraisal_received", context=context)


def open_scan(*, appraisal: ClientAppraisal, by):
    """Open the client's sealed page for a reader of the application.

    Side effects: an activity-log entry ("appraisal.download_scan"). The caller hands the open
    file to the response, which closes it.
    """
    access.VIEW.require(by, appraisal.application)
    log_activity(
        actor=by,
        action="appraisal.download_scan",
        obj=appraisal,
        organisation=appraisal.application.organisation,
        after={"file": appraisal.scan_name},
    )
    return open(private_path(appraisal.scan_path), "rb")  # noqa: SIM115 - the response closes it
