"""Reads of the scoring, scoped to the user: the rubric pages are programme staff's (anyone
else gets a 404), a score sheet is its own expert's (reviews.experts.selectors.assignment_for),
and the other experts' sheets are read only where SEE_OTHER_SCORES allows."""

from django.http import Http404

from manyi.campaigns.models import Campaign, CampaignCategory
from manyi.reviews.access import SEE_OTHER_SCORES, reads_reviews
from manyi.reviews.models import Assignment, AssignmentStatus, ReviewRound, RubricCriterion
from manyi.reviews.scoring.results import submitted_sheets
from manyi.reviews.scoring.rubric import DEFAULT_RUBRIC, default_weight


def campaign_for(user, pk) -> Campaign:
    if not reads_reviews.test(user):
        raise Http404
    try:
        return Campaign.objects.get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def campaign_category_for(user, pk) -> CampaignCategory:
    if not reads_reviews.test(user):
        raise Http404
    try:
        return CampaignCategory.objects.select_related("campaign").get(pk=pk)
    except CampaignCategory.DoesNotExist as exc:
        raise Http404 from exc


def round_of_category(campaign_category) -> ReviewRound | None:
    return ReviewRound.objects.filter(campaign_category=campaign_category).first()


def rubric_rows(campaign_category) -> tuple[list[RubricCriterion], bool]:
    """The category's criteria and whether they are stored; before staff first save the
    weights, the default criteria (unsaved) so the page shows what will be created."""
    stored = list(RubricCriterion.objects.filter(campaign_category=campaign_category))
    if stored:
        return stored, True
    return [
        RubricCriterion(
            campaign_category=campaign_category,
            code=c.code,
            name_zh=c.name_zh,
            name_en=c.name_en,
            source=c.source,
            weight=default_weight(c, campaign_category.category),
            max_score=c.max_score,
            order=order,
        )
        for order, c in enumerate(DEFAULT_RUBRIC, start=1)
    ], False


def categories_of(campaign) -> list[tuple[CampaignCategory, ReviewRound | None]]:
    categories = list(campaign.categories.order_by("pk"))
    rounds = {
        r.campaign_category_id: r
        for r in ReviewRound.objects.filter(campaign_category__in=categories)
    }
    return [(c, rounds.get(c.pk)) for c in categories]


def other_sheets(user, assignment) -> list:
    """The other experts' submitted sheets of the same application — only once SEE_OTHER_SCORES
    allows it (the expert submitted their own); otherwise nothing at all."""
    if not SEE_OTHER_SCORES.allows(user, assignment):
        return []
    return [
        sheet
        for sheet in submitted_sheets(assignment.application)
        if sheet.assignment_id != assignment.pk
    ]


def active_assignments(application) -> list[Assignment]:
    return list(
        Assignment.objects.filter(application=application, status=AssignmentStatus.ACTIVE)
        .select_related("expert", "sheet")
        .order_by("position", "pk")
    )
