"""Reads scoped to the user.

- an enterprise's users see their own organisation's applications (drafts included);
- agency staff see what was submitted through their agency (never drafts);
- programme staff see every application that has been submitted at least once.
Anything else is not found.
"""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.models import Application, Customer, CustomerListStatus
from manyi.applications.states import Status


def applications(user) -> QuerySet[Application]:
    qs = Application.objects.select_related(
        "campaign", "organisation", "organisation__agency", "agency"
    )
    visible = Q(submitted_at__isnull=False) if has_role(user, *PROGRAMME_STAFF) else Q(pk__in=[])
    own = [o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)]
    if own:
        visible |= Q(organisation_id__in=own)
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    if agencies:
        visible |= Q(agency_id__in=agencies, submitted_at__isnull=False)
    return qs.filter(visible)


def application_for(user, pk: int) -> Application:
    return get_object_or_404(applications(user), pk=pk)


def own_application_for(user, pk: int) -> Application:
    """Only the applicant's own users: for the pages that change the forms."""
    own = [o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)]
    return get_object_or_404(applications(user).filter(organisation_id__in=own), pk=pk)


def agency_queue(user) -> QuerySet[Application]:
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    return (
        applications(user)
        .filter(agency_id__in=agencies, status=Status.SUBMITTED)
        .order_by("submitted_at")
    )


def campaign_applications(
    user, campaign, *, category: str = "", status: str = ""
) -> QuerySet[Application]:
    qs = applications(user).filter(campaign=campaign)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("category", "number", "organisation__name")


def shared_contacts(user, campaign) -> list[dict]:
    """Customers whose phone appears on the current lists of several applicants in a campaign.

    Shown to programme staff only: a contact on many lists may be a friend of the applicants
    rather than a customer, which the survey's sampling has to know.
    """
    if not has_role(user, *PROGRAMME_STAFF):
        return []
    current = Customer.objects.filter(
        customer_list__is_current=True,
        customer_list__status=CustomerListStatus.ACCEPTED,
        customer_list__application__campaign=campaign,
    )
    shared = (
        current.values("phone_normalized")
        .annotate(applicants=Count("customer_list__application__organisation", distinct=True))
        .filter(applicants__gt=1)
        .order_by("-applicants", "phone_normalized")
    )
    rows = []
    for entry in shared[:500]:
        holders = current.filter(phone_normalized=entry["phone_normalized"]).select_related(
            "customer_list__application__organisation"
        )
        rows.append(
            {
                "phone": entry["phone_normalized"],
                "count": entry["applicants"],
                "customers": [
                    (c.name, c.contact, c.customer_list.application.organisation.name)
                    for c in holders
                ],
            }
        )
    return rows
