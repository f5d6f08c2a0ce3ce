"""The programme staff's list of agencies, an agency's page (also for its own staff), and the
administrator's suspension and reinstatement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.access import has_role
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.agencies import selectors, services, stats
from manyi.agencies.access import agency_flags
from manyi.agencies.filters import AgencyFilter
from manyi.agencies.forms import ReasonForm
from manyi.agencies.standing import BADGES, Standing
from manyi.common.forms import tell_refusal
from manyi.common.listing import paginate

PER_PAGE = 50


@role_required(*PROGRAMME_STAFF)
def agency_list(request):
    listing = paginate(request, selectors.agency_list(request.user), AgencyFilter)
    return render(
        request,
        "agencies/list.html",
        {**listing.context(), "waiting_requests": selectors.waiting_requests().count()},
    )


@role_required(*PROGRAMME_STAFF, Role.AGENCY_STAFF)
def agency_detail(request, pk):
    """Programme staff read any agency; an agency's staff their own (another one is a 404)."""
    agency = selectors.agency_for(request.user, pk)
    members = Paginator(selectors.members_of(agency), PER_PAGE).get_page(request.GET.get("page"))
    staff_view = has_role(request.user, *PROGRAMME_STAFF)
    return render(
        request,
        "agencies/detail.html",
        {
            "agency": agency,
            "standing": Standing(agency.standing),
            "badge": BADGES[agency.standing],
            **agency_flags(request.user, agency),
            "counts": stats.member_counts(agency),
            "waiting_applications": selectors.waiting_for_recommendation(agency),
            "history": selectors.recognition_history(agency)[:PER_PAGE],
            "origin": selectors.request_of(agency) if staff_view else None,
            "page": members,
            "suspend_form": ReasonForm(label=_("暂停认可的原因（将告知该机构）")),
            "reinstate_form": ReasonForm(label=_("恢复认可的说明（可选）"), required=False),
            "breadcrumbs": (
                [(_("推进机构"), reverse("agencies:list")), (agency.name, None)]
                if staff_view
                else [(_("本机构概况"), reverse("agencies:dashboard")), (agency.name, None)]
            ),
        },
    )


@require_POST
@role_required(Role.ASSOCIATION_ADMIN)
def agency_suspend(request, pk):
    agency = selectors.agency_for(request.user, pk)
    try:
        services.suspend(agency=agency, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已暂停 %(name)s 的推进机构认可") % {"name": agency.name})
    return redirect("agencies:detail", pk=agency.pk)


@require_POST
@role_required(Role.ASSOCIATION_ADMIN)
def agency_reinstate(request, pk):
    agency = selectors.agency_for(request.user, pk)
    try:
        services.reinstate(agency=agency, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已恢复 %(name)s 的推进机构认可") % {"name": agency.name})
    return redirect("agencies:detail", pk=agency.pk)
