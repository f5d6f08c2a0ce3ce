"""The deficiency notice on the applicant's application page."""

from django import template
from django.template.loader import render_to_string

from manyi.applications.access import is_applicant
from manyi.reviews.access import COMPLETE_NOTICE
from manyi.reviews.formal.forms import CompleteForm

register = template.Library()


@register.simple_tag(takes_context=True)
def deficiency_panel(context, application):
    """The notice's items, deadline and the completion form, for the applicant's own users
    (staff read the notice on the review page)."""
    request = context["request"]
    notice = getattr(application, "deficiency_notice", None)
    if notice is None or not is_applicant.test(request.user, application):
        return ""
    return render_to_string(
        "reviews/formal/applicant_panel.html",
        {
            "application": application,
            "notice": notice,
            "can_complete": COMPLETE_NOTICE.allows(request.user, application),
            "form": CompleteForm(),
        },
        request=request,
    )
