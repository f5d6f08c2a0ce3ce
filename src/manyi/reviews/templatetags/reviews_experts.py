"""The experts part of an application's review page, and the declaration column of the staff's
expert list."""

from django import template
from django.db.models import Prefetch
from django.template.loader import render_to_string

from manyi.reviews.access import DRAW_EXPERTS, REPLACE_EXPERT, reads_reviews
from manyi.reviews.experts import eligibility, selectors
from manyi.reviews.experts.services import check_draw
from manyi.reviews.models import Assignment, ExpertDraw

register = template.Library()


@register.simple_tag(takes_context=True)
def experts_section(context):
    """Programme staff: the draw button with the number needed (before the draw, with who is
    eligible now), or the seed, the redo check, the assigned experts with their status and a
    replace form, and the excluded experts with their reasons. Nothing before acceptance."""
    request = context.get("request")
    application = context.get("application")
    if request is None or application is None or not reads_reviews.test(request.user):
        return ""
    user = request.user
    record = (
        ExpertDraw.objects.filter(application=application)
        .select_related("drawn_by")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert__expert_profile", "sheet"),
            )
        )
        .first()
    )
    can_draw = record is None and DRAW_EXPERTS.allows(user, application)
    if record is None and not can_draw:
        return ""
    data = {"application": application, "record": record, "can_draw": can_draw}
    if record is None:
        assessment = eligibility.assess(application)
        data.update(
            needed=assessment.needed,
            eligible=len(assessment.eligible),
            excluded=_named(assessment.excluded),
        )
    else:
        application.expert_draw = record
        assignments = list(record.assignments.all())
        for assignment in assignments:
            assignment.application = application
            assignment.can_replace = REPLACE_EXPERT.allows(user, assignment)
        data.update(
            needed=record.needed,
            eligible=len(record.candidates),
            excluded=_named({int(k): v for k, v in record.excluded.items()}),
            assignments=assignments,
            consistent=check_draw(application),
        )
    return render_to_string("reviews/experts/section.html", data, request=request)


def _named(reasons: dict[int, str]) -> list[tuple[object, str]]:
    people = selectors.experts_by_id(reasons)
    return sorted(
        ((people[pk], reason) for pk, reason in reasons.items() if pk in people),
        key=lambda item: (item[0].display_name, item[0].pk),
    )


@register.simple_tag
def expert_declarations() -> dict:
    """The current campaign and the ids of the experts who signed its declaration (one query),
    for the expert list: ``{% expert_declarations as declarations %}``."""
    from manyi.campaigns.selectors import current_campaign

    campaign = current_campaign()
    return {"campaign": campaign, "ids": selectors.declared_expert_ids(campaign)}
