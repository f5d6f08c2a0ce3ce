"""A request for recognition from the public form (no account needed), and its withdrawal
with the private follow link."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.accounts.selectors import emails_of_role
from manyi.accounts.uscc import normalise_uscc, validate_uscc
from manyi.agencies import selectors
from manyi.agencies.models import AgencyRequest, RequestStatus
from manyi.common import ratelimit
from manyi.common.files import stored_upload
from manyi.common.services import log_activity, queue_email

# Requests accepted from one network address per hour: enough for an office, too few to flood.
REQUESTS_PER_HOUR = 5
RATE_SCOPE = "agencies:requests"
EVIDENCE_FOLDER = "agencies"
# What the public form fills in; the rest of a request is the programme's.
REQUEST_FIELDS = (
    "name",
    "agency_scope",
    "agency_scope_detail",
    "district",
    "uscc",
    "address",
    "responsible_department",
    "responsible_person",
    "plan",
    "measures",
    "qualifications",
    "contact_name",
    "contact_title",
    "contact_mobile",
    "contact_email",
)
# Logged with the request: what it is, not the contact's mobile or address.
LOGGED_FIELDS = (
    "name",
    "agency_scope",
    "agency_scope_detail",
    "district",
    "responsible_department",
    "responsible_person",
)


def request_allowed(ip: str | None) -> bool:
    return ratelimit.allowed(RATE_SCOPE, ip, REQUESTS_PER_HOUR)


def rate_refusal() -> ValidationError:
    return ValidationError(
        _("同一网络地址每小时最多提交 %(n)d 份认可申请，请稍后再试，或直接联系广州市质量协会")
        % {"n": REQUESTS_PER_HOUR},
        code="rate_limited",
    )


def duplicate_refusal(name: str) -> ValidationError | None:
    """Why a request (or a recognition) under this name would duplicate an agency or a request
    already waiting, or None."""
    agency = selectors.existing_agency_named(name)
    if agency is not None:
        return ValidationError(
            {
                "name": _(
                    "“%(name)s”已是推进机构，不能重复申请认可；如需变更资料，请联系广州市质量协会"
                )
                % {"name": agency.name}
            },
            code="duplicate",
        )
    if selectors.waiting_requests().filter(name=(name or "").strip()).exists():
        return ValidationError(
            {"name": _("“%(name)s”的认可申请正在审核中，请勿重复提交") % {"name": name.strip()}},
            code="duplicate",
        )
    return None


def _clean_request(data: dict) -> AgencyRequest:
    request = AgencyRequest(**{f: data.get(f) or "" for f in REQUEST_FIELDS})
    for field in REQUEST_FIELDS:
        value = getattr(request, field)
        if isinstance(value, str):
            setattr(request, field, value.strip())
    request.contact_email = request.contact_email.lower()
    if request.uscc:
        request.uscc = normalise_uscc(request.uscc)
        try:
            validate_uscc(request.uscc)
        except ValidationError as exc:
            raise ValidationError({"uscc": exc.messages}) from exc
    # The token's hash and the file are set once everything else has passed.
    request.full_clean(exclude=["follow_token_hash", "evidence_file", "evidence_name"])
    return request


def submit_request(
    *, data: dict, evidence=None, by=None, ip=None, limited: bool = True
) -> tuple[AgencyRequest, str]:
    """Record a request for recognition; returns it and the follow token (shown once, mailed,
    never stored).

    Refused (ValidationError, nothing stored, no file left) past the hourly limit of the
    address (unless `limited` is False: the demo loader), when a required detail is missing or
    malformed, when an agency of that name exists or a request of that name is already
    waiting, or when the evidence file is not a genuine PDF, JPEG or PNG. Side effects, in order, all or nothing: the file stored privately; the
    AgencyRequest with the token's hash; an activity-log entry "agency_request.submit"; after
    commit, mail to the contact (with the follow link) and to the association's
    administrators; then the address's count.
    """
    from manyi.applications.evidence import check_evidence_file

    if limited and not request_allowed(ip):
        raise rate_refusal()
    request = _clean_request(data)
    if (refusal := duplicate_refusal(request.name)) is not None:
        raise refusal
    suffix = None
    if evidence:
        try:
            _content_type, suffix = check_evidence_file(evidence)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
    token = secrets.token_urlsafe(32)
    request.follow_token_hash = AgencyRequest.hash_token(token)
    request.submitted_by = by if getattr(by, "is_authenticated", False) else None
    if evidence:
        with (
            stored_upload(evidence, folder=EVIDENCE_FOLDER, suffix=suffix) as (path, _d, _s),
            transaction.atomic(),
        ):
            request.evidence_file = path
            request.evidence_name = (evidence.name or "")[:200]
            _record_submission(request, token)
    else:
        with transaction.atomic():
            _record_submission(request, token)
    if limited:
        ratelimit.count(RATE_SCOPE, ip)
    return request, token


def _record_submission(request: AgencyRequest, token: str) -> None:
    request.save()
    log_activity(
        actor=request.submitted_by or _("申请单位"),
        action="agency_request.submit",
        obj=request,
        after={
            **{f: getattr(request, f) for f in LOGGED_FIELDS},
            "evidence": bool(request.evidence_file),
        },
    )
    queue_email(
        to=request.contact_email,
        template="agencies/request_received",
        context={
            "request": request,
            "url": reverse("agencies:request_follow", args=[token]),
        },
    )
    for email in emails_of_role(Role.ASSOCIATION_ADMIN):
        queue_email(
            to=email,
            template="agencies/request_new",
            context={
                "request": request,
                "url": reverse("agencies:request_detail", args=[request.pk]),
            },
        )


@transaction.atomic
def withdraw_request(*, request: AgencyRequest) -> AgencyRequest:
    """The applicant (holding the follow link) withdraws a request that still waits.

    Guarded by the old state: a request decided meanwhile stays decided (ValidationError).
    Side effects: the status; an activity-log entry "agency_request.withdraw".
    """
    updated = AgencyRequest.objects.filter(pk=request.pk, status=RequestStatus.SUBMITTED).update(
        status=RequestStatus.WITHDRAWN
    )
    if not updated:
        raise ValidationError(_("该申请已经处理，不能撤回"))
    log_activity(
        actor=_("申请单位"),
        action="agency_request.withdraw",
        obj=request,
        before={"status": RequestStatus.SUBMITTED},
        after={"status": RequestStatus.WITHDRAWN},
    )
    request.refresh_from_db()
    return request
