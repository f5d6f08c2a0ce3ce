"""The agency's pages: its queue of applications to recommend, the opinion, its seal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from manyi.accounts.access import organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.applications import access, selectors
from manyi.applications.agency import selectors as agency_selectors
from manyi.applications.agency import services
from manyi.applications.agency.filters import AgencyQueueFilter
from manyi.applications.agency.forms import RecommendationForm, SealForm
from manyi.campaigns.selectors import current_campaign
from manyi.common.files import private_path
from manyi.common.listing import paginate
from manyi.common.pagecache import kept_for_reader

DECIDED_SHOWN = 10


@role_required(Role.AGENCY_STAFF)
def recommend(request, pk):
    application = selectors.application_for(request.user, pk)
    if not access.is_recommending_agency.test(request.user, application):
        raise Http404
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommend(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("推荐意见已提交"))
            return redirect("applications:agency_queue")
    return render(
        request,
        "applications/recommend.html",
        {
            "application": application,
            "form": form,
            "seal": agency_selectors.seal_of(access.recommending_agency(application)),
            # "Recommend" needs an engineering client's appraisal; return / not recommend do not.
            "appraisal_missing": not access.has_needed_appraisal.test(request.user, application),
        },
    )


@role_required(Role.AGENCY_STAFF)
@kept_for_reader
def agency_queue(request):
    campaign = current_campaign()
    listing = paginate(request, agency_selectors.agency_queue(request.user), AgencyQueueFilter)
    return render(
        request,
        "applications/agency_queue.html",
        {
            **listing.context(),
            "queue": listing.page,
            # The latest opinions; all of them are in the application list, filtered by state.
            "decided": agency_selectors.decided(request.user, limit=DECIDED_SHOWN),
            "quotas": agency_selectors.quota_usage(request.user, campaign) if campaign else [],
            # Staff of more than one agency see whose places each line counts.
            "several_agencies": len(organisations_for(request.user, Role.AGENCY_STAFF)) > 1,
            "campaign": campaign,
        },
    )


@role_required(Role.AGENCY_STAFF)
def agency_seal(request):
    agency = agency_selectors.own_agency(request.user)
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_seal(agency=agency, by=request.user, upload=form.cleaned_data["image"])
        except ValidationError as exc:
            form.add_error("image", exc)
        else:
            messages.success(request, _("公章已保存"))
            return redirect("applications:agency_seal")
    return render(
        request,
        "applications/agency_seal.html",
        {"form": form, "agency": agency, "seal": agency_selectors.seal_of(agency)},
    )


@role_required(Role.AGENCY_STAFF)
def agency_seal_image(request):
    seal = agency_selectors.seal_of(agency_selectors.own_agency(request.user))
    if seal is None:
        raise Http404
    return FileResponse(open(private_path(seal.file_path), "rb"), content_type=seal.content_type)  # noqa: SIM115
