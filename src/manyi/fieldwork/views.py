"""The fieldwork hub: every applicant's survey with its progress, and one survey's page.

Each part of the survey page (sample, invitations, interviewers, quality, result) is drawn by
an inclusion tag of the package that owns it, so the hub stays small.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.common.listing import paginate
from manyi.fieldwork import selectors
from manyi.fieldwork.access import (
    MANAGE_QUESTIONNAIRES,
    OPEN_ASSIGNMENTS,
    READERS,
    START_FIELDWORK,
    survey_flags,
)
from manyi.fieldwork.filters import SurveyFilter
from manyi.fieldwork.progress import progress_of, progress_of_one
from manyi.fieldwork.services import start_fieldwork


@role_required(*READERS)
def survey_list(request):
    """Every applicant's survey, a page at a time, with its progress (staff see all, a firm its
    own): the progress of the page's surveys comes in three grouped queries."""
    surveys = selectors.surveys_for(request.user).order_by("-assigned_at", "-pk")
    listing = paginate(request, surveys, SurveyFilter)
    progress = progress_of(s.pk for s in listing.page)
    return render(
        request,
        "fieldwork/survey_list.html",
        {
            **listing.context(),
            "rows": [(s, progress.get(s.pk)) for s in listing.page],
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
