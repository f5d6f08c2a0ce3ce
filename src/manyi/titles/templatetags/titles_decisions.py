"""The decision part of an application's review page: its decision's state and a link to the
category's decision page. Empty for anyone who does not read decisions, and before the
application is evaluated."""

from django import template
from django.template.loader import render_to_string

from manyi.titles.access import READ_DECISIONS

register = template.Library()


@register.simple_tag(takes_context=True)
def decision_section(context):
    from manyi.titles.decisions.selectors import RANKED, row_for

    request = context.get("request")
    application = context.get("application")
    if request is None or application is None:
        return ""
    if application.status not in RANKED or not READ_DECISIONS.allows(request.user, None):
        return ""
    return render_to_string(
        "titles/decisions/section.html",
        {"application": application, "row": row_for(application)},
        request=request,
    )
