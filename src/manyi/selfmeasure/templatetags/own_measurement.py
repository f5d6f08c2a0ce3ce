"""The enterprise's actions on one of its own measurements, drawn on the report page
(`surveys/run_detail.html` includes `selfmeasure/_run_actions.html`, which calls this)."""

from django import template

from manyi.selfmeasure import selectors
from manyi.selfmeasure.access import CREATE_PLAN, measurement_flags, owns_run

register = template.Library()


@register.inclusion_tag("selfmeasure/_run_actions_body.html", takes_context=True)
def own_run_actions(context, run):
    """Share / stop sharing, and the plans made from this run (or "制定改进计划"). Nothing for
    anyone but the enterprise whose measurement it is."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not owns_run.test(user, run):
        return {"shown": False}
    return {
        "shown": True,
        "run": run,
        "dataset": run.dataset,
        "next": request.get_full_path(),
        **measurement_flags(user, run.dataset),
        "can_plan": CREATE_PLAN.allows(user, run),
        "plans": list(selectors.plans_of_run(user, run)),
        "csrf_token": context.get("csrf_token"),
    }
