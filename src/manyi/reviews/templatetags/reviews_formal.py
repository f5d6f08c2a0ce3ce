"""The formal-review part of an application's review page."""

from django import template
from django.template.loader import render_to_string

from manyi.reviews.access import READ_REVIEW, review_flags
from manyi.reviews.formal.checklist import checklist, missing_items
from manyi.reviews.formal.forms import AcceptForm, NoticeForm, RejectForm

register = template.Library()


@register.simple_tag(takes_context=True)
def formal_section(context):
    """The checklist with staff's notes, the notice (once), accept and reject; then the record."""
    request = context["request"]
    application = context["application"]
    if not READ_REVIEW.allows(request.user, application):
        return ""
    review = getattr(application, "formal_review", None)
    flags = review_flags(request.user, application)
    return render_to_string(
        "reviews/formal/section.html",
        {
            "application": application,
            "review": review,
            "notice": getattr(application, "deficiency_notice", None),
            "items": checklist(application, review.checks if review else None),
            "missing": missing_items(application) if flags["can_issue_notice"] else [],
            "notice_form": NoticeForm(),
            "accept_form": AcceptForm(),
            "reject_form": RejectForm(),
            **flags,
        },
        request=request,
    )
