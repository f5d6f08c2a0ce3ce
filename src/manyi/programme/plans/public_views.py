"""The public annual plan (Art. 9): the theme of the year, the activities in date order with
their progress and links to what happened, and the counts. Published plans only."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from manyi.accounts.decorators import public
from manyi.programme.access import keeps_the_plan
from manyi.programme.plans import selectors


def _plan_page(request, plan):
    activities = selectors.public_activities(plan) if plan else []
    return render(
        request,
        "programme/plans/public.html",
        {
            "plan": plan,
            "activities": activities,
            "counts": selectors.counts(activities),
            "years": selectors.published_years(),
            "can_manage": keeps_the_plan.test(request.user),
            "breadcrumbs": [(_("首页"), reverse("home")), (_("年度工作计划"), None)],
        },
    )


@require_GET
@public
def plan_public(request):
    """This year's published plan, else the latest published one."""
    return _plan_page(request, selectors.current_public_plan())


@require_GET
@public
def plan_year(request, year):
    return _plan_page(request, selectors.public_plan(year))
