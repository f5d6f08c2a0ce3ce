"""The fieldwork hub: every applicant's survey with its progress, and one survey's page.

Each part of the survey page (sample, invitations, interviewers, quality, result) is drawn by
an inclusion tag of the package that owns it, so the hub stays small.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.campaigns.categories import Category
from manyi.fieldwork import selectors
from manyi.fieldwork.access import (
    MANAGE_QUESTIONNAIRES,
    OPEN_ASSIGNMENTS,
    READERS,
    START_FIELDWORK,
    survey_flags,
)
from manyi.fieldwork.models import SurveyPurpose, SurveyStatus
from manyi.fieldwork.progress import progress_of, progress_of_one
from manyi.fieldwork.services import start_fieldwork

PER_PAGE = 50


@role_required(*READERS)
def survey_list(request):
    """Every applicant's survey on one page, with its progress (staff see all, a firm its own)."""
    filters = {
        "campaign": request.GET.get("campaign", ""),
        "category": request.GET.get("category", "")
        if request.GET.get("category") in Category.values
        else "",
        "status": request.GET.get("status", "")
        if request.GET.get("status") in SurveyStatus.values
        else "",
        "query": request.GET.get("q", "").strip()[:100],
        "purpose": request.GET.get("purpose", "")
        if request.GET.get("purpose") in SurveyPurpose.values
        else "",
    }
    if not filters["campaign"].isdigit():
        filters["campaign"] = ""
    page = Paginator(selectors.filtered_surveys(request.user, **filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    progress = progress_of(s.pk for s in page)
    rows = [(s, progress.get(s.pk)) for s in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "fieldwork/survey_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query.urlencode(),
            "campaigns": selectors.campaign_options(),
            "categories": Category.choices,
            "statuses": SurveyStatus.choices,
            "purposes": SurveyPurpose.choices,
            "can_assign_any": OPEN_ASSIGNMENTS.allows(request.user, None),
            "can_manage_questionnaires": MANAGE_QUESTIONNAIRES.allows(request.user, None),
        },
    )


@role_required(*READERS)
def survey_detail(request, pk):
    survey = selectors.survey_for(request.user, pk)
    return render(
        request,
        "fieldwork/survey_detail.html",
        {
            "survey": survey,
            "progress": progress_of_one(survey),
            **survey_flags(request.user, survey),
        },
    )


@require_POST
@role_required(*READERS)
def survey_start(request, pk):
    survey = selectors.survey_for(request.user, pk)
    if not START_FIELDWORK.allows(request.user, survey):
        raise PermissionDenied
    try:
        start_fieldwork(survey=survey, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("调查已开始实施：可以发送网上问卷邀请，访问员可以开始电话访问"))
    return redirect("fieldwork:survey_detail", pk=survey.pk)
