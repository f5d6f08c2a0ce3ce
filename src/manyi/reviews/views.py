"""The review hub: every application after the agency's recommendation, and one application's
review page. Each part of the page (formal review, similarity, experts, scores, decision) is
drawn by an inclusion tag of the package that owns it, so the hub stays small."""

from django.core.paginator import Paginator
from django.shortcuts import render

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF
from manyi.applications.states import AFTER_RECOMMENDATION, Status
from manyi.campaigns.categories import Category
from manyi.campaigns.models import Campaign
from manyi.reviews import selectors
from manyi.reviews.access import review_flags

PER_PAGE = 50


@role_required(*PROGRAMME_STAFF)
def review_list(request):
    statuses = [(s, Status(s).label) for s in AFTER_RECOMMENDATION]
    filters = {
        "campaign": request.GET.get("campaign", "")
        if request.GET.get("campaign", "").isdecimal() and len(request.GET["campaign"]) <= 9
        else "",
        "category": request.GET.get("category", "")
        if request.GET.get("category") in Category.values
        else "",
        "status": request.GET.get("status", "")
        if request.GET.get("status") in AFTER_RECOMMENDATION
        else "",
        "query": request.GET.get("q", "").strip()[:100],
    }
    page = Paginator(selectors.filtered_applications(request.user, **filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/review_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "campaigns": list(Campaign.objects.order_by("-year").values_list("pk", "year")),
            "categories": Category.choices,
            "statuses": statuses,
        },
    )


@role_required(*PROGRAMME_STAFF)
def review_detail(request, pk):
    application = selectors.application_for_review(request.user, pk)
    return render(
        request,
        "reviews/review_detail.html",
        {"application": application, **review_flags(request.user, application)},
    )
