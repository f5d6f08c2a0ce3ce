"""The similarity check's pages: a campaign's runs and flags, one flag's passages side by side,
and the two acts (run, review a flag). Thin: the services check and change."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF
from manyi.applications.states import AFTER_RECOMMENDATION
from manyi.common.listing import paginate
from manyi.reviews.access import REVIEW_FLAG, RUN_SIMILARITY, manages_review
from manyi.reviews.similarity import selectors, services
from manyi.reviews.similarity.boilerplate import section_title
from manyi.reviews.similarity.filters import FlagFilter
from manyi.reviews.similarity.forms import ReviewFlagForm, RunForm


@role_required(*PROGRAMME_STAFF)
def similarity_campaign(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    listing = paginate(request, selectors.flags_of_campaign(request.user, campaign), FlagFilter)
    return render(
        request,
        "reviews/similarity/campaign.html",
        {
            **listing.context(),
            "campaign": campaign,
            "runs": selectors.runs_of(request.user, campaign),
            "can_run": RUN_SIMILARITY.allows(request.user, campaign),
            "form": RunForm(),
        },
    )


@require_POST
@role_required(*PROGRAMME_STAFF)
def similarity_run(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    if not RUN_SIMILARITY.allows(request.user, campaign):
        raise PermissionDenied
    form = RunForm(request.POST or {"threshold": services.DEFAULT_THRESHOLD})
    target = redirect("reviews:similarity_campaign", pk=campaign.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return target
    try:
        services.request_similarity_run(
            campaign=campaign, by=request.user, threshold=form.cleaned_data["threshold"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("比对已开始，完成后刷新本页即可看到结果"))
    return target


def _reviewable(application) -> bool:
    return application is not None and application.status in AFTER_RECOMMENDATION


@role_required(*PROGRAMME_STAFF)
def similarity_flag(request, pk):
    flag = selectors.flag_for(request.user, pk)
    category = flag.application.category
    return render(
        request,
        "reviews/similarity/flag.html",
        {
            "flag": flag,
            "share_percent": round(float(flag.share) * 100, 1),
            "other_percent": round(float(flag.detail.get("share_other", 0)) * 100, 1),
            "section_title": section_title(flag.section, category),
            "other_section_title": section_title(
                flag.other_section, flag.other.category if flag.other else category
            ),
            "link_application": _reviewable(flag.application),
            "link_other": _reviewable(flag.other),
            "can_review": REVIEW_FLAG.allows(request.user, flag),
            "form": ReviewFlagForm(),
        },
    )


@require_POST
@role_required(*PROGRAMME_STAFF)
def similarity_flag_review(request, pk):
    flag = selectors.flag_for(request.user, pk)
    if not manages_review.test(request.user):
        raise PermissionDenied
    form = ReviewFlagForm(request.POST)
    target = redirect(reverse("reviews:similarity_flag", args=[flag.pk]))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return target
    try:
        services.review_flag(
            flag=flag,
            by=request.user,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("核实结果已保存"))
    return target
