"""The scoring part of an application's review page: for programme staff, each drawn expert's
state and total, the aggregate, every criterion's scores and comments, and the visit findings.
Only submitted sheets are shown; a sheet being filled in shows its state alone."""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from manyi.applications.states import Status
from manyi.reviews.access import READ_REVIEW
from manyi.reviews.scoring import pages, selectors
from manyi.reviews.scoring.computed import computed_details
from manyi.reviews.scoring.results import expert_result
from manyi.reviews.scoring.rubric import criteria_of
from manyi.reviews.selectors import campaign_category_of, round_of

register = template.Library()


@register.simple_tag(takes_context=True)
def scoring_section(context):
    request = context["request"]
    application = context["application"]
    if not READ_REVIEW.allows(request.user, application):
        return ""
    assignments = selectors.active_assignments(application)
    if not assignments and application.status != Status.ACCEPTED:
        return ""
    criteria = criteria_of(application)
    details = computed_details(application, criteria)
    submitted = [a.sheet for a in assignments if _submitted(a)]
    views = pages.sheet_views(
        submitted, criteria, details, lambda _n, sheet: sheet.assignment.expert.display_name
    )
    totals = {view.sheet.assignment_id: view.total for view in views}
    return render_to_string(
        "reviews/scoring/section.html",
        {
            "application": application,
            "campaign_category": campaign_category_of(application),
            "review_round": round_of(application),
            "experts": [(a, _state(a), totals.get(a.pk)) for a in assignments],
            "result": expert_result(application),
            "computed": [(c, details[c.code]) for c in criteria if c.code in details],
            "views": views,
            "table": pages.score_table(criteria, views) if views else [],
        },
        request=request,
    )


def _submitted(assignment) -> bool:
    sheet = getattr(assignment, "sheet", None)
    return sheet is not None and sheet.submitted_at is not None


def _state(assignment) -> str:
    sheet = getattr(assignment, "sheet", None)
    if sheet is None:
        return _("未开始")
    if sheet.submitted_at is None:
        return _("填写中")
    return _("已提交")
