"""Surveys of title holders (Art. 22): the list with each survey's state, index, line and
outcome; the launch form; and "重新判定" for a survey whose measurement finished unheard.
Thin: the services check and change, these translate HTTP."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.fieldwork.sampling.selectors import published_categories
from manyi.supervision.access import READERS
from manyi.supervision.filters import TitlePickFilter
from manyi.supervision.holders import selectors, services
from manyi.supervision.holders.access import ASSESS, LAUNCH
from manyi.supervision.holders.filters import HolderSurveyFilter
from manyi.supervision.holders.forms import LaunchForm
from manyi.supervision.selectors import titles_by_id

STAFF = (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


def _case_link(case) -> str:
    return reverse("supervision:revocation_detail", args=[case.pk])


@require_GET
@role_required(*READERS)
def holder_list(request):
    listing = paginate(request, selectors.holder_surveys_for(request.user), HolderSurveyFilter)
    rows = [
        {
            "hs": hs,
            "below": hs.assessed_at is not None and hs.index < hs.severely_low,
            "cases": [(case, _case_link(case)) for case in hs.revocations.all()],
            "can_assess": ASSESS.allows(request.user, hs),
        }
        for hs in listing.page
    ]
    return render(
        request,
        "supervision/holders/list.html",
        {**listing.context(), "rows": rows, "can_launch": LAUNCH.allows(request.user, None)},
    )


@role_required(*STAFF)
def holder_launch(request):
    """Valid titles without a survey awaiting assessment: search, tick, choose the firm, the
    field period and the design."""
    form = LaunchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            launched = services.launch_holder_surveys(
                titles=titles_by_id(form.cleaned_data["titles"]),
                by=request.user,
                **form.commission(),
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            count = len(launched)
            messages.success(
                request,
                ngettext(
                    "已发起 %(n)d 项获证组织调查，已委托调查机构",
                    "已发起 %(n)d 项获证组织调查，已委托调查机构",
                    count,
                )
                % {"n": count},
            )
            return redirect("supervision:holder_list")
    titles = selectors.launchable_titles().order_by("-year", "category", "number")
    listing = paginate(request, titles, TitlePickFilter)
    ticked = set(form.cleaned_data.get("titles") or []) if form.is_bound else set()
    return render(
        request,
        "supervision/holders/launch.html",
        {
            **listing.context(),
            "form": form,
            "published": published_categories(),
            "ticked": ticked,
        },
    )


@require_POST
@role_required(*STAFF)
def holder_assess(request, pk):
    holder_survey = selectors.holder_survey_for(request.user, pk)
    try:
        current = services.assess_holder_survey(holder_survey=holder_survey, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        if current.index < current.severely_low:
            messages.warning(
                request,
                _("满意度指数 %(index)s 低于严重偏低线 %(line)s，已立案待研究是否撤销称号")
                % {"index": current.index, "line": current.severely_low},
            )
        else:
            messages.success(
                request,
                _("满意度指数 %(index)s 未低于严重偏低线 %(line)s")
                % {"index": current.index, "line": current.severely_low},
            )
    return redirect("supervision:holder_list")
