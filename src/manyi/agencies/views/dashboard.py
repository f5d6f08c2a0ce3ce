"""本机构概况: an agency's own dashboard (members, applications, pass rates, training hours) and
its invitations of enterprises."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.decorators import role_required
from manyi.accounts.filters import MemberFilter
from manyi.accounts.roles import Role
from manyi.agencies import membership, selectors, stats
from manyi.agencies.access import agency_flags
from manyi.agencies.filters import InviteFilter
from manyi.agencies.standing import standing_of
from manyi.campaigns.selectors import current_campaign, visible_campaigns
from manyi.common.forms import tell_refusal
from manyi.common.listing import paginate

PER_PAGE = 50


def _own_agency(request, value=None):
    """The agency the page is about: the one named by ``?agency=`` among the user's, else the
    first of them."""
    agencies = list(selectors.own_agencies(request.user))
    if not agencies:
        raise Http404
    value = value if value is not None else request.GET.get("agency", "")
    chosen = next((a for a in agencies if str(a.pk) == str(value)), None)
    return chosen or agencies[0], agencies


def _campaign(request, campaigns):
    value = request.GET.get("campaign", "")
    # A year of ASCII digits only: "²" passes str.isdigit() but not int().
    if value.isascii() and value.isdigit() and len(value) == 4:
        found = campaigns.filter(year=int(value)).first()
        if found is not None:
            return found
    return current_campaign()


@role_required(Role.AGENCY_STAFF)
def dashboard(request):
    agency, agencies = _own_agency(request)
    campaigns = visible_campaigns(request.user)
    campaign = _campaign(request, campaigns)
    year = timezone.localdate().year
    members_qs = selectors.members_of(agency)
    hours, total_hours = stats.training_hours(
        members_qs.values_list("enterprise_id", flat=True), year
    )
    # The page's other choices (?agency=, ?campaign=) stay in the URL with the filters.
    listing = paginate(request, members_qs, MemberFilter)
    page = listing.page
    dependent = selectors.dependent_enterprise_ids(agency, [m.enterprise_id for m in page])
    rows = [
        {
            "membership": m,
            "hours": hours.get(m.enterprise_id),
            "can_end": m.enterprise_id not in dependent,
        }
        for m in page
    ]
    return render(
        request,
        "agencies/dashboard.html",
        {
            "agency": agency,
            "agencies": agencies,
            "standing": standing_of(agency),
            **agency_flags(request.user, agency),
            "counts": stats.member_counts(agency),
            "campaigns": campaigns,
            "campaign": campaign,
            "by_state": stats.applications_by_state(agency, campaign),
            "pass_rates": stats.pass_rates(agency),
            "year": year,
            "total_hours": total_hours,
            **listing.context(),
            "rows": rows,
            "members_filtered": any(
                request.GET.get(name) for name in listing.filters.form.fields if name != "sort"
            ),
            "invitations": selectors.invitations_of(agency)[:PER_PAGE],
        },
    )


@role_required(Role.AGENCY_STAFF)
def invite(request):
    """Search registered enterprises (name or 统一社会信用代码) and invite one (POST)."""
    agency, agencies = _own_agency(
        request, request.POST.get("agency") if request.method == "POST" else None
    )
    if request.method == "POST":
        enterprise = selectors.enterprise_named_by(request.POST.get("enterprise", ""))
        if enterprise is None:
            messages.error(request, _("请选择已注册的企业"))
        else:
            try:
                membership.invite_enterprise(agency=agency, enterprise=enterprise, by=request.user)
            except ValidationError as exc:
                tell_refusal(request, exc)
            else:
                messages.success(
                    request,
                    _("已邀请 %(org)s 加入本机构，企业接受后即成为会员企业")
                    % {"org": enterprise.name},
                )
        back = urlencode({"agency": agency.pk, "q": request.POST.get("q", "")[:100]})
        return redirect(f"{reverse('agencies:invite')}?{back}")
    q = (request.GET.get("q") or "").strip()[:100]
    listing = paginate(request, selectors.invitable_enterprises(agency, q), InviteFilter)
    return render(
        request,
        "agencies/invite.html",
        {
            **listing.context(),
            "agency": agency,
            "agencies": agencies,
            **agency_flags(request.user, agency),
            "q": q,
            "min_search": selectors.MIN_SEARCH,
            "invitations": selectors.invitations_of(agency)[:PER_PAGE],
            "breadcrumbs": [
                (_("本机构概况"), reverse("agencies:dashboard")),
                (_("邀请企业"), None),
            ],
        },
    )
