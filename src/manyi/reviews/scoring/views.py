"""The rubric pages (staff) and the expert's score sheet. Thin: the services check and change,
these translate HTTP."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.common.forms import tell_refusal
from manyi.reviews.access import EDIT_RUBRIC, OPEN_ROUND, SCORE, SEE_OTHER_SCORES
from manyi.reviews.experts import selectors as expert_selectors
from manyi.reviews.models import Recommendation
from manyi.reviews.scoring import forms, pages, selectors, services
from manyi.reviews.scoring.computed import computed_details
from manyi.reviews.scoring.results import sheet_total
from manyi.reviews.scoring.rubric import criteria_of


@require_GET
@role_required(*PROGRAMME_STAFF)
def scoring_campaign(request, pk):
    """The categories of a campaign, each with its rubric's state and a link to it."""
    campaign = selectors.campaign_for(request.user, pk)
    return render(
        request,
        "reviews/scoring/campaign.html",
        {"campaign": campaign, "categories": selectors.categories_of(campaign)},
    )


def _rubric_page(request, campaign_category, posted=None, status=200):
    criteria, stored = selectors.rubric_rows(campaign_category)
    weights = {c.code: c.weight for c in criteria}
    if posted is not None:
        weights = forms.weights_from_post(posted, criteria)
    rows = [
        {"criterion": c, "weight": weights[c.code], "field": forms.weight_field(c.code)}
        for c in criteria
    ]
    return render(
        request,
        "reviews/scoring/rubric.html",
        {
            "campaign_category": campaign_category,
            "campaign": campaign_category.campaign,
            "review_round": selectors.round_of_category(campaign_category),
            "rows": rows,
            "stored": stored,
            "total": sum((c.weight for c in criteria), 0),
            "can_edit": EDIT_RUBRIC.allows(request.user, campaign_category),
            "can_open": OPEN_ROUND.allows(request.user, campaign_category),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(*PROGRAMME_STAFF)
def scoring_rubric(request, pk):
    """The weights form while the round is not open; the fixed criteria afterwards."""
    campaign_category = selectors.campaign_category_for(request.user, pk)
    if request.method == "POST":
        criteria, _stored = selectors.rubric_rows(campaign_category)
        try:
            services.set_weights(
                campaign_category=campaign_category,
                by=request.user,
                weights=forms.weights_from_post(request.POST, criteria),
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
            return _rubric_page(request, campaign_category, posted=request.POST)
        messages.success(request, _("评分权重已保存"))
        return redirect("reviews:scoring_rubric", pk=campaign_category.pk)
    return _rubric_page(request, campaign_category)


@require_POST
@role_required(*PROGRAMME_STAFF)
def scoring_open(request, pk):
    campaign_category = selectors.campaign_category_for(request.user, pk)
    try:
        services.open_round(campaign_category=campaign_category, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("专家评审已开始，评分权重已确定，已通知评审专家"))
    return redirect("reviews:scoring_rubric", pk=campaign_category.pk)


def _other_label(n, _sheet):
    return _("其他专家 %(n)d") % {"n": n}


@require_http_methods(["GET", "POST"])
@role_required(Role.EXPERT)
def score(request, pk):
    """The expert's own score sheet; after submitting, the other experts' submitted sheets."""
    assignment = expert_selectors.assignment_for(request.user, pk)
    application = assignment.application
    criteria = criteria_of(application)
    posted = None
    if request.method == "POST":
        try:
            services.save_sheet(
                assignment=assignment,
                by=request.user,
                **forms.sheet_from_post(request.POST, criteria),
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
            posted = request.POST
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("评分表已提交"))
            else:
                messages.success(request, _("评分已保存，提交前可以继续修改"))
            return redirect(reverse("reviews:score", args=[assignment.pk]))
    details = computed_details(application, criteria)
    sheet = getattr(assignment, "sheet", None)
    computed = {code: d.value for code, d in details.items()}
    others = []
    if SEE_OTHER_SCORES.allows(request.user, assignment):
        others = pages.sheet_views(
            selectors.other_sheets(request.user, assignment), criteria, details, _other_label
        )
    return render(
        request,
        "reviews/scoring/sheet.html",
        {
            "assignment": assignment,
            "application": application,
            "sheet": sheet,
            "rows": pages.sheet_rows(criteria, sheet, details, posted=posted),
            "form": posted,
            "total": sheet_total(sheet, criteria, computed) if sheet else None,
            "can_score": SCORE.allows(request.user, assignment),
            "blocked": pages.refusal(SCORE, request.user, assignment),
            "recommendations": Recommendation.choices,
            "others": others,
            "others_table": pages.score_table(criteria, others) if others else [],
        },
    )
