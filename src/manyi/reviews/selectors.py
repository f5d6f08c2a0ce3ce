"""Reads for the committee's review, scoped to the user."""

from django.http import Http404

from manyi.applications.models import Application
from manyi.campaigns.models import CampaignCategory
from manyi.reviews import access
from manyi.reviews.models import ReviewRound


def round_of(application) -> ReviewRound | None:
    """The review round of the application's campaign and category (None before staff set it)."""
    return (
        ReviewRound.objects.filter(
            campaign_category__campaign_id=application.campaign_id,
            campaign_category__category=application.category,
        )
        .select_related("campaign_category")
        .first()
    )


def campaign_category_of(application) -> CampaignCategory | None:
    return CampaignCategory.objects.filter(
        campaign_id=application.campaign_id, category=application.category
    ).first()


def application_for_review(user, pk) -> Application:
    """An application after the agency's recommendation, for programme staff; else 404."""
    from manyi.applications.states import AFTER_RECOMMENDATION

    if not access.reads_reviews.test(user):
        raise Http404
    try:
        return Application.objects.select_related("organisation", "agency", "campaign").get(
            pk=pk, status__in=AFTER_RECOMMENDATION
        )
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def applications_for_review(user):
    """Applications after the agency's recommendation, for the review hub (programme staff;
    `filters.ReviewFilter` narrows them)."""
    from manyi.applications.states import AFTER_RECOMMENDATION

    if not access.reads_reviews.test(user):
        return Application.objects.none()
    from manyi.applications.selectors import NEWEST_FIRST, for_list

    return (
        for_list(Application.objects.filter(status__in=AFTER_RECOMMENDATION))
        .select_related("organisation", "agency", "campaign")
        .order_by(*NEWEST_FIRST)
    )
