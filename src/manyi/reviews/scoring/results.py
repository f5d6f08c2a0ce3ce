"""The expert result of one application, as the decision page and the review page read it."""

from manyi.reviews.models import AssignmentStatus, CriterionSource, ScoreSheet
from manyi.reviews.scoring import aggregation
from manyi.reviews.scoring.computed import computed_values
from manyi.reviews.scoring.rubric import criteria_of


def sheet_total(sheet, criteria, computed: dict) -> aggregation.Total:
    """One sheet's weighted total (0–100): its expert values plus the computed criteria."""
    typed = {score.criterion_id: score.value for score in sheet.scores.all()}
    return aggregation.weighted_total(
        aggregation.Line(
            weight=c.weight,
            value=typed.get(c.pk) if c.source == CriterionSource.EXPERT else computed.get(c.code),
            max_score=c.max_score,
        )
        for c in criteria
    )


def submitted_sheets(application):
    """The submitted sheets of the application's active assignments, in draw order."""
    return (
        ScoreSheet.objects.filter(
            assignment__application=application,
            assignment__status=AssignmentStatus.ACTIVE,
            submitted_at__isnull=False,
        )
        .select_related("assignment__expert")
        .prefetch_related("scores")
        .order_by("assignment__position", "pk")
    )


def expert_result(application) -> dict | None:
    """From the submitted score sheets of active assignments: ``{"n", "mean", "median",
    "trimmed_mean", "spread", "dispersed", "recommend_award", "recommend_not",
    "totals": [(expert, total)], "provisional"}``; None when no sheet is submitted.

    ``provisional`` is True while a computed criterion (the survey's index) is not known: its
    part counts 0 until then."""
    sheets = list(submitted_sheets(application))
    if not sheets:
        return None
    criteria = criteria_of(application)
    computed = computed_values(application, criteria)
    totals = [(sheet, sheet_total(sheet, criteria, computed)) for sheet in sheets]
    result = aggregation.summarise(
        [total.points for _sheet, total in totals], [sheet.recommendation for sheet in sheets]
    )
    result["totals"] = [(sheet.assignment.expert, total.points) for sheet, total in totals]
    result["provisional"] = any(total.provisional for _sheet, total in totals)
    return result
