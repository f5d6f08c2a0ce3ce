"""The survey page's quality section: flags, reviews and the call-back verification."""

from django import template

from manyi.fieldwork.access import DRAW_VERIFICATION, is_firm_manager, reads_all_surveys
from manyi.fieldwork.models import SurveyStatus
from manyi.fieldwork.qc.selectors import quality_counts

register = template.Library()

# Before the field opens there is nothing to check.
WITH_RESPONSES = (SurveyStatus.IN_FIELD, SurveyStatus.CLOSED, SurveyStatus.RELEASED)


@register.inclusion_tag("fieldwork/sections/quality.html", takes_context=True)
def quality_section(context):
    survey = context["survey"]
    user = context["request"].user
    # Interviewers do not see how their own work is checked; programme staff only read.
    readers = reads_all_surveys.test(user) or is_firm_manager.test(user, survey)
    if survey.status not in WITH_RESPONSES or not readers:
        return {"show": False}
    return {
        "show": True,
        "survey": survey,
        "q": quality_counts(survey),
        "can_draw_verification": DRAW_VERIFICATION.allows(user, survey),
    }
