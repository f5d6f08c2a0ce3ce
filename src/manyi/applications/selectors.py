"""Reads scoped to the user.

- an enterprise's users see their own organisation's applications (drafts included);
- agency staff see what was submitted through their agency (never drafts);
- programme staff see every application that has been submitted at least once.
Anything else is not found.
"""

import hashlib
import json

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.models import Application, Confirmation, ConfirmationVersion
from manyi.applications.states import Status
from manyi.campaigns.selectors import campaign_categories, is_open_for

# What a list of applications never shows: the forms' contents and the long texts, and the
# campaign's work plan. Left out, PostgreSQL sorts narrow rows: at 10,000 applications the
# staff list's page query went from 87 ms to a few (benchmarks/web_load.py).
LIST_DEFERRED = (
    "form_data",
    "empty_reasons",
    "chosen_trades",
    "profile",
    "products",
    "measures",
    "outlook",
    "submitted_details",
    "campaign__work_plan",
    "organisation__address",
)


# Newest submission first (drafts, not yet submitted, above them): the order the index
# `application_newest_first` keeps, so the first page of a list costs the same at any size.
NEWEST_FIRST = (F("submitted_at").desc(nulls_first=True), "-pk")


def for_list(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """The rows of an application list, without the columns no list shows."""
    return queryset.defer(*LIST_DEFERRED)


def applications(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("campaign", "organisation", "agency")
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


def campaign_applications(
    user, campaign, *, category: str = "", status: str = ""
) -> QuerySet[Application]:
    qs = applications(user).filter(campaign=campaign)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("category", "number", "organisation__name")


def startable_categories(user, campaign, organisation) -> list:
    """The campaign's categories in which the organisation may start an application now: a
    withdrawn application does not take its category (the uniqueness counts live ones only)."""
    taken = set(
        applications(user)
        .filter(campaign=campaign, organisation=organisation)
        .exclude(status=Status.WITHDRAWN)
        .values_list("category", flat=True)
    )
    return [
        cc
        for cc in campaign_categories(campaign, open_only=True)
        if cc.category not in taken and is_open_for(campaign, organisation, cc.category)
    ]


def data_year_of(application) -> int:
    """The year whose figures the form reports (以××年度数据为准): set per category."""
    setting = application.campaign.categories.filter(category=application.category).first()
    return setting.data_year if setting else application.campaign.year - 1


DRAFT_PARTS = {
    "form": ("form_data", "empty_reasons", "chosen_trades"),
    "materials": ("profile", "products", "measures", "outlook"),
}


def draft_version(application, part: str) -> str:
    """A fingerprint of what is saved of one page of the application ("form" or "materials").

    The page carries it; text kept in the browser (draft_keeper.js) is restored only over the
    same version, never over what a colleague saved since.
    """
    saved = {name: getattr(application, name) for name in DRAFT_PARTS[part]}
    text = json.dumps(saved, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def confirmation_for(campaign, organisation) -> Confirmation | None:
    """The organisation's 活动确认表 (附件2) in a campaign, if it has one."""
    return Confirmation.objects.filter(campaign=campaign, organisation=organisation).first()


def confirmation_of(application) -> Confirmation | None:
    """The applicant's 活动确认表 of the application's campaign, if it has one."""
    return confirmation_for(application.campaign, application.organisation)


def carried_confirmation(application) -> tuple[Confirmation | None, ConfirmationVersion | None]:
    """The 附件2 an application carries: the version it was (last) submitted with, else the
    applicant's form as it stands (a draft, or an application submitted before versions)."""
    version = application.confirmation_version
    if version is not None:
        return version.confirmation, version
    return confirmation_of(application), None
