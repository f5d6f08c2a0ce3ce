"""Reads, already scoped to the user. A draft campaign is simply not found by the public."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.models import RECOMMENDING_AGENCY, Organisation
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.accounts.uscc import normalise_uscc
from manyi.campaigns.access import can_manage_campaigns
from manyi.campaigns.models import (
    PUBLIC_STATUSES,
    REOPENABLE_STATUSES,
    AgencyQuota,
    Ban,
    Campaign,
    CampaignCategory,
    CampaignStatus,
    Reopening,
)
from manyi.common.context import once_per_request
from manyi.common.templatetags.manyi import cn_datetime

# One order for every list of campaigns, whoever reads it: the newest year first.
CAMPAIGN_ORDER = ("-year",)
ENDED_STATUSES = (CampaignStatus.CLOSED, CampaignStatus.ARCHIVED)


def visible_campaigns(user) -> QuerySet[Campaign]:
    """Programme staff see every campaign, drafts too; everyone else (the public included)
    sees the published, closed and archived ones. Newest year first for everyone."""
    qs = Campaign.objects.order_by(*CAMPAIGN_ORDER)
    if has_role(user, *PROGRAMME_STAFF):
        return qs
    return qs.filter(status__in=PUBLIC_STATUSES)


def with_opening(qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotate `closed_unopened`: closed (or archived) without ever having accepted.

    From the campaign's history: it was closed at its opening time (or is closed and has not
    reached it yet) and was not published again inside its window. A campaign that staff
    closed after it opened, or that has no history from before its opening, ran normally.
    """
    history = Campaign.history.model.objects.filter(id=OuterRef("pk"))
    return qs.alias(
        status_at_opening=Subquery(
            history.filter(history_date__lte=OuterRef("opens_at"))
            .order_by("-history_date", "-history_id")
            .values("status")[:1]
        ),
        published_in_window=Exists(
            history.filter(
                status=CampaignStatus.PUBLISHED,
                history_date__gte=OuterRef("opens_at"),
                history_date__lt=OuterRef("closes_at"),
            )
        ),
    ).annotate(
        closed_unopened=Case(
            When(
                status__in=ENDED_STATUSES,
                status_at_opening__in=ENDED_STATUSES,
                published_in_window=False,
                then=True,
            ),
            default=False,
            output_field=BooleanField(),
        )
    )


def campaign_list(user) -> QuerySet[Campaign]:
    return with_opening(visible_campaigns(user)).annotate(
        open_category_count=Count("categories", filter=Q(categories__is_open=True))
    )


def campaign_for(user, year: int) -> Campaign:
    return get_object_or_404(with_opening(visible_campaigns(user)), year=year)


def next_free_year(today: date | None = None) -> int:
    """The default year of a new campaign: this year, or the first later one with no campaign."""
    year = (today or timezone.localdate()).year
    taken = set(Campaign.objects.filter(year__gte=year).values_list("year", flat=True))
    while year in taken:
        year += 1
    return year


def managed_campaigns(user) -> QuerySet[Campaign]:
    """The campaigns this user may change: all for managers, none for anyone else."""
    return Campaign.objects.all() if can_manage_campaigns(user) else Campaign.objects.none()


def managed_campaign(user, year: int) -> Campaign:
    return get_object_or_404(managed_campaigns(user), year=year)


class CurrentState:
    OPEN = "open"
    CLOSED = "closed"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class CurrentCampaign:
    """The current campaign and which case made it current (see `current_campaign_state`)."""

    campaign: Campaign
    state: str
    # When the current one has ended: the next published one still to open, if any.
    upcoming: Campaign | None = None

    @property
    def is_open(self) -> bool:
        return self.state == CurrentState.OPEN

    @property
    def closed_unopened(self) -> bool:
        return bool(getattr(self.campaign, "closed_unopened", False))

    def headline(self) -> str:
        """The one sentence that says which case this is, for the dashboard and /current/."""
        campaign = self.campaign
        if self.state == CurrentState.OPEN:
            return _("%(year)s年度申报活动正在受理，截止时间：%(date)s") % {
                "year": campaign.year,
                "date": cn_datetime(campaign.closes_at),
            }
        if self.state == CurrentState.UPCOMING:
            return _("%(year)s年度申报活动将于%(date)s开始受理") % {
                "year": campaign.year,
                "date": cn_datetime(campaign.opens_at),
            }
        if self.closed_unopened:
            return _("%(year)s年度申报活动已关闭（未开始受理）") % {"year": campaign.year}
        return _("%(year)s年度申报活动已截止受理（截止时间：%(date)s）") % {
            "year": campaign.year,
            "date": cn_datetime(campaign.closes_at),
        }


def current_campaign_state(at: datetime | None = None) -> CurrentCampaign | None:
    """The current campaign, and why it is current. Drafts never are.

    The published campaign whose window includes now; else the one that closed last (closed,
    archived, or published with its closing time passed); else the next published one to open.
    """
    if at is None:
        # Asked by several panels of one page: read once per request.
        return once_per_request("current_campaign_state", lambda: _current_state(timezone.now()))
    return _current_state(at)


def _current_state(at: datetime) -> CurrentCampaign | None:
    public = with_opening(Campaign.objects.filter(status__in=PUBLIC_STATUSES))
    upcoming = public.filter(status=CampaignStatus.PUBLISHED, opens_at__gt=at).order_by(
        "opens_at", "year"
    )
    campaign = (
        public.filter(status=CampaignStatus.PUBLISHED, opens_at__lte=at, closes_at__gt=at)
        .order_by("-opens_at", "-year")
        .first()
    )
    if campaign is not None:
        return CurrentCampaign(campaign, CurrentState.OPEN)
    campaign = (
        public.filter(
            Q(status__in=ENDED_STATUSES) | Q(status=CampaignStatus.PUBLISHED, closes_at__lte=at)
        )
        .order_by("-closes_at", "-year")
        .first()
    )
    if campaign is not None:
        return CurrentCampaign(campaign, CurrentState.CLOSED, upcoming=upcoming.first())
    campaign = upcoming.first()
    if campaign is not None:
        return CurrentCampaign(campaign, CurrentState.UPCOMING)
    return None


def current_campaign(at: datetime | None = None) -> Campaign | None:
    """The current campaign (see `current_campaign_state`), or None when none is public."""
    current = current_campaign_state(at)
    return current.campaign if current else None


def campaign_categories(campaign: Campaign, *, open_only: bool = False):
    """The campaign's categories in the order of the forms (附件4-1 … 4-5)."""
    qs = campaign.categories.order_by("id")
    return qs.filter(is_open=True) if open_only else qs


def quotas_for_agency(user, campaign: Campaign) -> QuerySet[AgencyQuota]:
    """The quotas of the agencies this user works for, in this campaign."""
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    return AgencyQuota.objects.filter(campaign=campaign, agency_id__in=agencies).select_related(
        "agency"
    )


def quota_of(campaign: Campaign, agency: Organisation, category: str) -> int:
    """How many the agency may recommend in the category; 0 when it has no quota row."""
    row = AgencyQuota.objects.filter(campaign=campaign, agency=agency, category=category).first()
    return row.quota if row else 0


def quota_agencies() -> QuerySet[Organisation]:
    """The agencies a quota can be given to: those that may recommend (`RECOMMENDING_AGENCY`:
    recognised (Art. 8), not suspended, not disqualified (Art. 27))."""
    return Organisation.objects.filter(RECOMMENDING_AGENCY).order_by("name")


def agencies_with_quota(campaign: Campaign, category: str) -> list[Organisation]:
    """The agencies that have recommendation places in a category of the campaign (the places
    of an agency that may not recommend — suspended, disqualified — are not offered)."""
    return [
        q.agency
        for q in AgencyQuota.objects.filter(
            campaign=campaign,
            category=category,
            quota__gt=0,
            agency__in=Organisation.objects.filter(RECOMMENDING_AGENCY),
        )
        .select_related("agency")
        .order_by("agency__name")
    ]


def quota_table(campaign: Campaign) -> dict[tuple[int, str], int]:
    """(agency id, category) → quota, for the staff's agency × category table."""
    return {(q.agency_id, q.category): q.quota for q in campaign.quotas.all()}


def bans(user, *, query: str = "", in_force_only: bool = False) -> QuerySet[Ban]:
    """The ban registry, for the staff who manage it; nobody else reads it here."""
    if not can_manage_campaigns(user):
        return Ban.objects.none()
    qs = Ban.objects.select_related("created_by", "lifted_by")
    if in_force_only:
        qs = qs.in_force(timezone.localdate())
    if query:
        qs = qs.filter(
            Q(uscc__icontains=normalise_uscc(query)) | Q(organisation_name__icontains=query)
        )
    return qs


def ban_for(user, pk: int) -> Ban:
    return get_object_or_404(bans(user), pk=pk)


def ban_in_force(uscc: str, on: date | None = None) -> Ban | None:
    """The ban that keeps this USCC from applying on the given day (today), or None."""
    if not uscc:
        return None
    return (
        Ban.objects.in_force(on or timezone.localdate())
        .filter(uscc=normalise_uscc(uscc))
        .order_by("-ends_on")
        .first()
    )


def reopening_in_force(
    campaign: Campaign, organisation: Organisation, category: str, at: datetime | None = None
) -> Reopening | None:
    if campaign.status not in REOPENABLE_STATUSES:
        return None
    return (
        Reopening.objects.filter(
            campaign=campaign,
            organisation=organisation,
            category=category,
            until__gt=at or timezone.now(),
        )
        .order_by("-until")
        .first()
    )


def is_open_for(
    campaign: Campaign, organisation: Organisation, category: str, at: datetime | None = None
) -> bool:
    """May this organisation submit or change an application in this category now?

    Yes while the campaign is published, inside its window and the category is open; after
    that only while staff have reopened it for this organisation and category.
    """
    at = at or timezone.now()
    if (
        campaign.is_accepting(at)
        and CampaignCategory.objects.filter(
            campaign=campaign, category=category, is_open=True
        ).exists()
    ):
        return True
    return reopening_in_force(campaign, organisation, category, at) is not None


def reopenings(user, campaign: Campaign) -> QuerySet[Reopening]:
    """Every reopening of the campaign, for managers."""
    if not can_manage_campaigns(user):
        return Reopening.objects.none()
    return campaign.reopenings.select_related("organisation", "created_by")


def my_reopenings(user, campaign: Campaign) -> QuerySet[Reopening]:
    """Reopenings still in force for the enterprises this user belongs to."""
    if campaign.status not in REOPENABLE_STATUSES:
        return Reopening.objects.none()
    own = [o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)]
    return campaign.reopenings.filter(
        organisation_id__in=own, until__gt=timezone.now()
    ).select_related("organisation")


def my_bans(user) -> list[tuple[Organisation, Ban]]:
    """For an enterprise user: each of their enterprises that may not apply today, with the ban."""
    found = []
    for organisation in organisations_for(user, Role.ENTERPRISE_USER):
        ban = ban_in_force(organisation.uscc or "")
        if ban is not None:
            found.append((organisation, ban))
    return found
