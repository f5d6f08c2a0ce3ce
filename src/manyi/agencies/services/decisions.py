"""The association's decision on a request for recognition (Art. 6, 8), and the logged
download of the request's qualification file."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.accounts.models import Invitation, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.agencies import selectors
from manyi.agencies.access import DECIDE_REQUEST
from manyi.agencies.models import AgencyRequest, RequestStatus
from manyi.common.files import private_path
from manyi.common.services import log_activity, queue_email

# The agency's records are official: the plan copied onto the organisation is in Chinese.
OFFICIAL_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class Recognition:
    request: AgencyRequest
    organisation: Organisation
    invitation: Invitation
    # The invitation's one-time token (also mailed); only the demo loader uses it.
    token: str


def _agency_plan(request: AgencyRequest) -> str:
    with translation.override(OFFICIAL_LANGUAGE):
        return "\n\n".join(
            (
                _("推进工作计划：") + "\n" + request.plan,
                _("推进措施：") + "\n" + request.measures,
            )
        )


def _check_can_create(request: AgencyRequest) -> None:
    """An agency of the same name, or an organisation holding the same code, already exists:
    the administrator is told, and refuses the request with a reason instead."""
    agency = selectors.existing_agency_named(request.name)
    if agency is not None:
        raise ValidationError(
            _("已有同名推进机构“%(name)s”，不能重复认可；如确属重复申请，请不予认可并说明理由")
            % {"name": agency.name}
        )
    if request.uscc:
        holder = Organisation.objects.filter(uscc=request.uscc).first()
        if holder is not None:
            raise ValidationError(
                _("统一社会信用代码 %(code)s 已属于 %(org)s，请核实；如确属重复申请，请不予认可")
                % {"code": request.uscc, "org": holder.name}
            )


def recognise(*, request: AgencyRequest, by, note: str = "") -> Recognition:
    """Recognise the requesting organisation as a promotion agency (Art. 8).

    Refused (PermissionDenied) for anyone but the association's administrator; refused
    (ValidationError) for a request already decided, or when an agency of that name (or an
    organisation with that 统一社会信用代码) already exists. Side effects, in one transaction, in
    order: the agency `Organisation` (recognised today, with the request's details; its plan and
    measures in `agency_plan`); the request marked recognised and linked to it; an
    activity-log entry "agency_request.recognise" on the request (organisation: the agency);
    an invitation of the contact as the agency's staff (`accounts.services.invite_member`, its
    own log entry and mail); after commit, mail to the contact.
    """
    from manyi.accounts.services import invite_member

    DECIDE_REQUEST.require(by, request)
    with transaction.atomic():
        current = AgencyRequest.objects.select_for_update().get(pk=request.pk)
        DECIDE_REQUEST.require(by, current)
        _check_can_create(current)
        organisation = Organisation(
            kind=OrgKind.AGENCY,
            name=current.name,
            agency_scope=current.agency_scope,
            agency_scope_detail=current.agency_scope_detail,
            district=current.district,
            uscc=current.uscc or None,
            address=current.address,
            responsible_department=current.responsible_department,
            responsible_person=current.responsible_person,
            recognised_on=timezone.localdate(),
            agency_plan=_agency_plan(current),
            contact_person=current.contact_name,
            contact_title=current.contact_title,
            contact_mobile=current.contact_mobile,
            email=current.contact_email,
        )
        organisation.full_clean()
        organisation.save()
        current.status = RequestStatus.RECOGNISED
        current.decided_by = by
        current.decided_at = timezone.now()
        current.decision_reason = (note or "").strip()
        current.organisation = organisation
        current.save()
        log_activity(
            actor=by,
            action="agency_request.recognise",
            obj=current,
            organisation=organisation,
            before={"status": RequestStatus.SUBMITTED},
            after={
                "status": RequestStatus.RECOGNISED,
                "organisation": organisation.pk,
                "recognised_on": organisation.recognised_on,
            },
            note=current.decision_reason,
        )
        invitation, token = invite_member(
            by=by,
            email=current.contact_email,
            organisation=organisation,
            role=Role.AGENCY_STAFF,
            full_name=current.contact_name,
            # The agency's first staff member invites the colleagues who follow.
            as_manager=True,
        )
        queue_email(
            to=current.contact_email,
            template="agencies/request_recognised",
            context={"request": current, "agency": organisation},
        )
    request.refresh_from_db()
    return Recognition(request, organisation, invitation, token)


def refuse(*, request: AgencyRequest, by, reason: str) -> AgencyRequest:
    """Refuse recognition, with the reason the applicant is told.

    Refused (PermissionDenied) for anyone but the administrator; refused (ValidationError)
    without a reason or for a request already decided. Side effects, in one transaction: the
    request marked refused with the reason; an activity-log entry "agency_request.refuse";
    after commit, mail to the contact with the reason.
    """
    DECIDE_REQUEST.require(by, request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明不予认可的理由，申请单位将收到该理由")})
    with transaction.atomic():
        current = AgencyRequest.objects.select_for_update().get(pk=request.pk)
        DECIDE_REQUEST.require(by, current)
        current.status = RequestStatus.REFUSED
        current.decided_by = by
        current.decided_at = timezone.now()
        current.decision_reason = reason
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        log_activity(
            actor=by,
            action="agency_request.refuse",
            obj=current,
            before={"status": RequestStatus.SUBMITTED},
            after={"status": RequestStatus.REFUSED},
            note=reason,
        )
        queue_email(
            to=current.contact_email,
            template="agencies/request_refused",
            context={"request": current},
        )
    request.refresh_from_db()
    return request


def open_evidence(*, request: AgencyRequest, by) -> FileResponse:
    """The request's qualification file (the caller's selector has allowed the reader), logged
    "agency_request.evidence_download"."""
    from manyi.applications.evidence import ACCEPTED, download_name

    if not request.evidence_file:
        raise Http404
    path = private_path(request.evidence_file)
    if not path.exists():
        raise Http404
    content_type = next(
        (t for t, s in ACCEPTED.values() if s == path.suffix), "application/octet-stream"
    )
    log_activity(
        actor=by,
        action="agency_request.evidence_download",
        obj=request,
        after={"name": request.evidence_name},
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=download_name(request.evidence_name, content_type, fallback="evidence"),
        content_type=content_type,
    )
