"""Reads of training, scoped by who asks."""

from decimal import Decimal

from django.db.models import F, Sum

from manyi.training.models import ClassStatus, Enrolment


def hours_by_organisation(organisation_ids, year: int) -> dict[int, Decimal]:
    """Training hours passed by each organisation's employees in classes of `year` (an
    agency's dashboard shows its members'). Organisations with none are absent."""
    rows = (
        Enrolment.objects.filter(
            employee__organisation_id__in=list(organisation_ids),
            attended=True,
            score__gte=F("training_class__pass_score"),
            training_class__starts_at__year=year,
        )
        .exclude(training_class__status=ClassStatus.CANCELLED)
        .values("employee__organisation_id")
        .annotate(hours=Sum("training_class__hours"))
    )
    return {row["employee__organisation_id"]: row["hours"] for row in rows}
