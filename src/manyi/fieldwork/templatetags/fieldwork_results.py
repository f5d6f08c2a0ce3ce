"""The result part of the survey page, and the survey's line on the application page.

Each returns an empty string when the person has nothing to see there.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from manyi.fieldwork.access import (
    SEE_RELEASED_RESULT,
    VIEW_RESULT,
    is_applicant_side,
    reads_all_surveys,
)
from manyi.fieldwork.results.services import MIN_USABLE
from manyi.fieldwork.results.summary import survey_result
from manyi.fieldwork.selectors import survey_of_application
from manyi.fieldwork.states import APPLICANT_WORDING

register = template.Library()


@register.simple_tag(takes_context=True)
def result_section(context):
    """Close button, the index against the threshold, release button and exports."""
    request = context["request"]
    survey = context["survey"]
    flags = {name: bool(context.get(name)) for name in ("can_close", "can_release", "can_export")}
    sees_result = VIEW_RESULT.allows(request.user, survey)
    if not (sees_result or any(flags.values())):
        return ""
    progress = context.get("progress")
    return render_to_string(
        "fieldwork/sections/result.html",
        {
            "survey": survey,
            **flags,
            "result": survey_result(survey) if sees_result else None,
            "flagged": getattr(progress, "flagged", 0),
            "usable": getattr(progress, "usable", 0),
            "min_usable": MIN_USABLE,
        },
        request=request,
    )


@register.simple_tag(takes_context=True)
def application_survey(context, application):
    """The applicant and its recommending agency: "under way" until the result is released,
    then the index, interval, verdict, complaint rate and sample (never an answer or a
    contact). Programme staff: the survey's state, the result from closing on, and a link to
    the survey page. Anyone else: nothing."""
    request = context.get("request")
    if request is None:
        return ""
    survey = survey_of_application(application)
    if survey is None:
        return ""
    survey.application = application  # already loaded by the page
    user = request.user
    if reads_all_surveys.test(user, survey):
        result = survey_result(survey) if VIEW_RESULT.allows(user, survey) else None
        state = survey.status
        survey_url = reverse("fieldwork:survey_detail", args=[survey.pk])
    elif is_applicant_side.test(user, survey):
        released = SEE_RELEASED_RESULT.allows(user, survey)
        result = survey_result(survey) if released else None
        state = APPLICANT_WORDING[survey.status]
        survey_url = ""
    else:
        return ""
    return render_to_string(
        "fieldwork/application_survey.html",
        {"survey": survey, "result": result, "state": state, "survey_url": survey_url},
        request=request,
    )
