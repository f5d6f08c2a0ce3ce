"""The similarity part of an application's review page, and the small filters of its pages."""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from manyi.reviews.access import reads_reviews
from manyi.reviews.similarity import selectors

register = template.Library()

MATCH_FIELDS = {"name": _("姓名"), "email": _("电子邮箱"), "phone": _("联系电话")}


@register.simple_tag(takes_context=True)
def similarity_section(context):
    """The flags naming this application (either side), each with the other application, the
    share of this application's text and a link to the flag page. Only programme staff."""
    request = context.get("request")
    application = context.get("application")
    if request is None or application is None or not reads_reviews.test(request.user):
        return ""
    flags = selectors.flags_of_application(request.user, application)
    for flag in flags:
        mine = flag.application_id == application.pk
        flag.counterpart = flag.other if mine else flag.application
        flag.own_share = flag.share if mine else flag.detail.get("share_other", 0)
    return render_to_string(
        "reviews/similarity/section.html",
        {
            "application": application,
            "flags": flags,
            "last_run": selectors.last_run(application.campaign_id),
        },
        request=request,
    )


@register.filter
def share_percent(value) -> str:
    """0.425 → "42.5%"."""
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return "—"


@register.filter
def match_field(code) -> str:
    return str(MATCH_FIELDS.get(code, code))
