"""Suspending and reinstating an agency's recognition (Art. 6, 8): while suspended it
recommends nothing, takes no quota and no new member, and leaves the public directory."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Organisation
from manyi.accounts.roles import Role
from manyi.agencies import selectors
from manyi.agencies.access import REINSTATE, SUSPEND
from manyi.common.services import log_activity, queue_email


def suspend(*, agency: Organisation, by, reason: str) -> Organisation:
    """Suspend an agency's recognition (Art. 6, 8) from today.

    From then it recommends nothing (`applications.access.RECOMMEND` refuses with the reason
    why), takes no quota, no new member and is not offered to applicants or in the public
    directory. Refused (PermissionDenied) for anyone but the administrator; refused
    (ValidationError) for an organisation that is not a recognised agency, is disqualified or
    is already suspended, and without a reason. Side effects, in one transaction, in order: the
    agency's suspension date and reason; an activity-log entry "agency.suspend" with before and
    after; after commit, mail to the agency's staff and to the applicants whose submitted
    applications wait for its recommendation.
    """
    from manyi.applications.models import Application
    from manyi.applications.states import AWAITING_AGENCY

    SUSPEND.require(by, agency)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明暂停认可的原因")})
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=agency.pk)
        SUSPEND.require(by, current)
        before = {"recognition_suspended_on": None, "recognition_suspension_reason": ""}
        current.recognition_suspended_on = timezone.localdate()
        current.recognition_suspension_reason = reason
        current.save(update_fields=["recognition_suspended_on", "recognition_suspension_reason"])
        waiting = list(
            Application.objects.filter(agency=current, status__in=AWAITING_AGENCY)
            .select_related("organisation")
            .order_by("pk")
        )
        log_activity(
            actor=by,
            action="agency.suspend",
            obj=current,
            organisation=current,
            before=before,
            after={
                "recognition_suspended_on": current.recognition_suspended_on,
                "recognition_suspension_reason": reason,
                "waiting": [a.number or a.pk for a in waiting],
            },
            note=reason,
        )
        context = {"agency": current, "reason": reason}
        for email in selectors.emails_in(current, Role.AGENCY_STAFF):
            queue_email(to=email, template="agencies/suspended", context=context)
        for application in waiting:
            for email in selectors.emails_in(application.organisation, Role.ENTERPRISE_USER):
                queue_email(
                    to=email,
                    template="agencies/suspended_applicant",
                    context={
                        **context,
                        "application": application,
                        "url": reverse("applications:detail", args=[application.pk]),
                    },
                )
    agency.refresh_from_db()
    return agency


def reinstate(*, agency: Organisation, by, reason: str = "") -> Organisation:
    """End a suspension: the agency recommends again.

    Refused (PermissionDenied) for anyone but the administrator; refused (ValidationError) when
    the recognition is not suspended. Side effects, in one transaction: the suspension date and
    reason cleared; an activity-log entry "agency.reinstate" with before and after; after
    commit, mail to the agency's staff.
    """
    REINSTATE.require(by, agency)
    reason = (reason or "").strip()
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=agency.pk)
        REINSTATE.require(by, current)
        before = {
            "recognition_suspended_on": current.recognition_suspended_on,
            "recognition_suspension_reason": current.recognition_suspension_reason,
        }
        current.recognition_suspended_on = None
        current.recognition_suspension_reason = ""
        current.save(update_fields=["recognition_suspended_on", "recognition_suspension_reason"])
        log_activity(
            actor=by,
            action="agency.reinstate",
            obj=current,
            organisation=current,
            before=before,
            after={"recognition_suspended_on": None, "recognition_suspension_reason": ""},
            note=reason,
        )
        for email in selectors.emails_in(current, Role.AGENCY_STAFF):
            queue_email(
                to=email,
                template="agencies/reinstated",
                context={"agency": current, "reason": reason},
            )
    agency.refresh_from_db()
    return agency
