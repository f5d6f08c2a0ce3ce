"""The title's part of an application's page: the title with its certificate and plaque while
it is held, "拟授予称号，公示期至 …" during the 公示, and a "not awarded" decision's reasons
once released (never before). Shown to the applicant's own users and programme staff; empty
for anyone else and before the outcome is public."""

from django import template
from django.template.loader import render_to_string

from manyi.applications.access import is_applicant
from manyi.applications.states import Status
from manyi.titles.access import reads_decisions

register = template.Library()


@register.simple_tag(takes_context=True)
def application_title(context, application):
    from manyi.titles.certificates.selectors import title_of_application

    request = context.get("request")
    if request is None or application.status not in (
        Status.IN_NOTICE,
        Status.AWARDED,
        Status.NOT_AWARDED,
    ):
        return ""
    user = request.user
    staff = bool(reads_decisions.test(user))
    if not (staff or is_applicant.test(user, application)):
        return ""
    decision = getattr(application, "decision", None)
    released = decision is not None and decision.release_id is not None
    title = title_of_application(application) if application.status == Status.AWARDED else None
    if application.status == Status.AWARDED and title is None:
        return ""
    if application.status == Status.NOT_AWARDED and not released:
        return ""
    return render_to_string(
        "titles/certificates/applicant_section.html",
        {
            "state": application.status,
            "title": title,
            "staff": staff,
            "notice": decision.notice if released and decision.notice_id else None,
            "reasons": decision.reasons if released and not decision.withdrawn_at else "",
            "withdrawn": released and decision.withdrawn_at is not None,
        },
        request=request,
    )
