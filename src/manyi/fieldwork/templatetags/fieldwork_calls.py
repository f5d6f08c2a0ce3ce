"""The survey page's interviewers section: who calls whom, and how far each has got."""

from django import template

from manyi.fieldwork.access import ASSIGN_INTERVIEWERS, is_firm_member, reads_all_surveys
from manyi.fieldwork.calls import selectors
from manyi.fieldwork.models import SurveyStatus

register = template.Library()


@register.inclusion_tag("fieldwork/sections/interviewers.html", takes_context=True)
def interviewers_section(context):
    survey = context["survey"]
    user = context["request"].user
    if survey.status == SurveyStatus.ASSIGNED or not (
        reads_all_surveys.test(user) or is_firm_member.test(user, survey)
    ):
        return {"show": False}
    return {
        "show": True,
        "survey": survey,
        "table": selectors.interviewer_table(survey),
        "unassigned": selectors.unassigned_open(survey),
        "can_assign": ASSIGN_INTERVIEWERS.allows(user, survey),
    }
