"""The survey page's invitations panel (web questionnaire links, reminders, their progress)."""

from django import template
from django.template.loader import render_to_string

from manyi.fieldwork.web.selectors import SHOWN, invitation_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def invitations_section(context):
    """Nothing before the survey is in the field: no link can go out yet."""
    survey = context["survey"]
    if survey.status not in SHOWN:
        return ""
    request = context["request"]
    return render_to_string(
        "fieldwork/sections/invitations.html",
        invitation_panel(survey, request.user),
        request=request,
    )
