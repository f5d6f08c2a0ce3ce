"""The review hub: every application after the agency's recommendation, and one application's
review page. Each part of the page (formal review, similarity, experts, scores, decision) is
drawn by an inclusion tag of the package that owns it, so the hub stays small."""

from django.shortcuts import render

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF
from manyi.campaigns.models import Campaign
from manyi.common.listing import paginate
from manyi.common.pagecache import kept_for_reader
from manyi.reviews import selectors
from manyi.reviews.access import review_flags
from manyi.reviews.filters import ReviewFilter


@role_required(*PROGRAMME_STAFF)
@kept_for_reader
def review_list(request):
    listing = paginate(request, selectors.applications_for_review(request.user), ReviewFilter)
    return render(
        request,
        "reviews/review_list.html",
        {
            **listing.context(),
            # The links to each year's similarity and scoring pages.
            "campaigns": list(Campaign.objects.order_by("-year").values_list("pk", "year")),
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
