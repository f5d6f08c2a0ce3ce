"""Asking for a diagnosis, withdrawing it, and the agency's answer (accept or decline)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import phone_validator
from manyi.common.permissions import not_allowed
from manyi.common.services import log_activity
from manyi.diagnostics import mail, selectors
from manyi.diagnostics.access import ACCEPT, DECLINE, REQUEST, WITHDRAW, enterprise_ids, group_of
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus
from manyi.diagnostics.services.moves import move
from manyi.diagnostics.states import IN_PROGRESS

NEEDS_MAX = 4000
REASON_MAX = 1000


def _clean_request(*, needs, preferred_dates, contact_name, contact_mobile) -> dict:
    errors = {}
    needs = (needs or "").strip()
    if not needs:
        errors["needs"] = _("请写明希望诊断的问题和需求")
    elif len(needs) > NEEDS_MAX:
        errors["needs"] = _("诊断需求请不超过 %(n)d 字") % {"n": NEEDS_MAX}
    contact_name = (contact_name or "").strip()
    if not contact_name:
        errors["contact_name"] = _("请填写联系人")
    contact_mobile = (contact_mobile or "").strip().replace(" ", "")
    try:
        phone_validator(contact_mobile)
    except ValidationError as exc:
        errors["contact_mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {
        "needs": needs,
        "preferred_dates": (preferred_dates or "").strip()[:200],
        "contact_name": contact_name[:60],
        "contact_mobile": contact_mobile[:30],
    }


def request_diagnosis(
    *,
    enterprise,
    agency,
    by,
    needs: str,
    preferred_dates: str = "",
    contact_name: str,
    contact_mobile: str,
) -> Diagnosis:
    """An enterprise asks one of its agencies for a diagnosis.

    Refused for someone who is not one of the enterprise's users (PermissionDenied), an agency
    that has not confirmed the enterprise as a member or is not in good standing, an agency
    already working on a request of the enterprise, or missing needs, contact or a bad phone
    number (ValidationError by field). Side effects: the Diagnosis (requested); an activity-log
    entry "diagnosis.request"; after commit, mail to the agency's staff.
    """
    REQUEST.require(by, None)
    if enterprise.pk not in enterprise_ids(by):
        raise not_allowed()
    if agency is None or agency.pk not in {a.pk for a in selectors.agencies_to_ask(enterprise)}:
        raise ValidationError({"agency": _("请选择已确认本企业为会员、且资格有效的推进机构")})
    fields = _clean_request(
        needs=needs,
        preferred_dates=preferred_dates,
        contact_name=contact_name,
        contact_mobile=contact_mobile,
    )
    with transaction.atomic():
        if Diagnosis.objects.filter(
            enterprise=enterprise, agency=agency, status__in=IN_PROGRESS
        ).exists():
            raise ValidationError(
                {"agency": _("本企业向该推进机构的诊断申请正在办理中，请勿重复申请")}
            )
        diagnosis = Diagnosis.objects.create(
            enterprise=enterprise, agency=agency, requested_by=by, **fields
        )
        log_activity(
            actor=by,
            action="diagnosis.request",
            obj=diagnosis,
            organisation=enterprise,
            after={"agency": agency.pk, "preferred_dates": fields["preferred_dates"]},
        )
        mail.send("requested", selectors.agency_staff_emails(agency), {"diagnosis": diagnosis})
    return diagnosis


def withdraw_diagnosis(*, diagnosis, by) -> Diagnosis:
    """The enterprise withdraws its request before the visit is scheduled.

    Side effects: requested/accepted → withdrawn (activity log "diagnosis.withdraw"); after
    commit, mail to the agency's staff and to any experts already in the group.
    """
    WITHDRAW.require(by, diagnosis)
    with transaction.atomic():
        move(diagnosis=diagnosis, to=DiagnosisStatus.WITHDRAWN, by=by)
        mail.send(
            "withdrawn",
            [
                *selectors.agency_staff_emails(diagnosis.agency),
                *(m.expert.email for m in group_of(diagnosis)),
            ],
            {"diagnosis": diagnosis},
        )
    return diagnosis


def accept_diagnosis(*, diagnosis, by) -> Diagnosis:
    """The agency takes the request on: it will form the group and schedule the visit.

    Side effects: requested → accepted with who decided and when (activity log
    "diagnosis.accept"); after commit, mail to the enterprise's users.
    """
    ACCEPT.require(by, diagnosis)
    with transaction.atomic():
        move(
            diagnosis=diagnosis,
            to=DiagnosisStatus.ACCEPTED,
            by=by,
            fields={"decided_by": by, "decided_at": timezone.now()},
        )
        mail.send(
            "accepted", selectors.enterprise_emails(diagnosis.enterprise), {"diagnosis": diagnosis}
        )
    return diagnosis


def decline_diagnosis(*, diagnosis, by, reason: str) -> Diagnosis:
    """The agency declines the request, with the reason the enterprise is told.

    Refused without a reason. Side effects: requested → declined with the reason, who and
    when (activity log "diagnosis.decline"); after commit, mail with the reason to the
    enterprise's users.
    """
    DECLINE.require(by, diagnosis)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写不予受理的理由，企业会收到这一理由")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("理由请不超过 %(n)d 字") % {"n": REASON_MAX}})
    with transaction.atomic():
        move(
            diagnosis=diagnosis,
            to=DiagnosisStatus.DECLINED,
            by=by,
            fields={"decided_by": by, "decided_at": timezone.now(), "decline_reason": reason},
            after={"reason": reason},
        )
        mail.send(
            "declined", selectors.enterprise_emails(diagnosis.enterprise), {"diagnosis": diagnosis}
        )
    return diagnosis
