"""Reads of training, scoped by who asks.

- Classes: programme staff see every class; organisers the classes they organise; enterprise
  users every class open to participating organisations and their own internal classes.
- Employees, their files and yearly plans: the organisation's own users, the agencies of
  which it is a confirmed member (read only) and programme staff; anyone else gets a 404.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.training.access import (
    enterprise_ids,
    is_programme,
    member_ids,
    organiser_ids,
)
from manyi.training.models import (
    ClassStatus,
    Employee,
    Enrolment,
    Topic,
    TrainingClass,
    TrainingPlan,
)

# An enrolment that counts in a file and towards a category's minimum: attended, scored at
# or above the class's pass mark, in a class not cancelled.
PASSED = Q(attended=True, score__gte=F("training_class__pass_score")) & ~Q(
    training_class__status=ClassStatus.CANCELLED
)


def hours_by_organisation(organisation_ids, year: int) -> dict[int, Decimal]:
    """Training hours passed by each organisation's employees in classes of `year` (an
    agency's dashboard shows its members'). Organisations with none are absent."""
    rows = (
        Enrolment.objects.filter(
            PASSED,
            employee__organisation_id__in=list(organisation_ids),
            training_class__starts_at__year=year,
        )
        .values("employee__organisation_id")
        .annotate(hours=Sum("training_class__hours"))
    )
    return {row["employee__organisation_id"]: row["hours"] for row in rows}


# ------------------------------------------------------------------------------------------
# Classes


def classes_for(user) -> QuerySet[TrainingClass]:
    """The classes the user may see, each with its number enrolled (and the user's
    enterprise's own number, `own_count`)."""
    own = enterprise_ids(user)
    qs = TrainingClass.objects.select_related("organiser").annotate(
        enrolled_count=Count("enrolments", distinct=True),
        own_count=Count(
            "enrolments", filter=Q(enrolments__employee__organisation_id__in=own), distinct=True
        ),
    )
    if is_programme(user):
        return qs
    seen = Q(organiser_id__in=organiser_ids(user))
    if own:
        seen |= Q(is_internal=False)
    return qs.filter(seen)


def class_for(user, pk: int) -> TrainingClass:
    return get_object_or_404(classes_for(user), pk=pk)


def enrollable(qs: QuerySet[TrainingClass]) -> QuerySet[TrainingClass]:
    """Open classes whose enrolment has not closed yet (the closing time, or the start)."""
    now = timezone.now()
    return qs.filter(status=ClassStatus.OPEN).filter(
        Q(enrol_closes_at__gt=now) | Q(enrol_closes_at__isnull=True, starts_at__gt=now)
    )


def class_organisers(user) -> QuerySet[Organisation]:
    """The organisers of the classes the user sees (for the list's filter)."""
    ids = classes_for(user).order_by().values("organiser_id")
    return Organisation.objects.filter(pk__in=ids).order_by("kind", "name")


def enrolments_for(user, training_class: TrainingClass) -> QuerySet[Enrolment]:
    """Everyone enrolled, for the organiser and programme staff; an enterprise sees its own."""
    qs = Enrolment.objects.filter(training_class=training_class).select_related(
        "employee", "employee__organisation"
    )
    if is_programme(user) or training_class.organiser_id in organiser_ids(user):
        return qs.order_by("employee__organisation__name", "employee__name", "pk")
    return qs.filter(employee__organisation_id__in=enterprise_ids(user)).order_by(
        "employee__name", "pk"
    )


def enrolment_for(user, training_class: TrainingClass, pk: int) -> Enrolment:
    return get_object_or_404(enrolments_for(user, training_class), pk=pk)


def enrollable_for(user) -> QuerySet[TrainingClass]:
    """The classes the user's enterprise may enrol in now (places left or not)."""
    own = enterprise_ids(user)
    if not own:
        return TrainingClass.objects.none()
    qs = enrollable(TrainingClass.objects.all())
    return qs.filter(Q(is_internal=False) | Q(organiser_id__in=own))


def awaiting_results(user) -> QuerySet[TrainingClass]:
    """The user's classes that have started, are not cancelled, and have someone whose
    attendance is not taken or who attended without a score."""
    missing = Enrolment.objects.filter(
        Q(attended__isnull=True) | Q(attended=True, score__isnull=True)
    ).values("training_class")
    return TrainingClass.objects.filter(
        organiser_id__in=organiser_ids(user), starts_at__lte=timezone.now(), pk__in=missing
    ).exclude(status=ClassStatus.CANCELLED)


def employees_to_enrol(user, training_class: TrainingClass) -> QuerySet[Employee]:
    """The user's employees in post who are not yet in the class (an internal class: only
    the organiser's)."""
    own = enterprise_ids(user)
    if training_class.is_internal:
        own = own & {training_class.organiser_id}
    return (
        Employee.objects.filter(organisation_id__in=own, is_active=True)
        .exclude(enrolments__training_class=training_class)
        .order_by("department", "name", "pk")
    )


# ------------------------------------------------------------------------------------------
# Employees and their files


def readable_organisation_ids(user) -> set[int] | None:
    """The organisations whose files the user reads; None for all (programme staff)."""
    if is_programme(user):
        return None
    return enterprise_ids(user) | member_ids(user)


def employees_for(user) -> QuerySet[Employee]:
    """The employees the user may read, each with their classes and hours passed."""
    qs = Employee.objects.select_related("organisation").annotate(
        record_count=Count("enrolments", distinct=True),
        passed_hours=Sum(
            "enrolments__training_class__hours",
            filter=Q(
                enrolments__attended=True,
                enrolments__score__gte=F("enrolments__training_class__pass_score"),
            )
            & ~Q(enrolments__training_class__status=ClassStatus.CANCELLED),
        ),
    )
    readable = readable_organisation_ids(user)
    return qs if readable is None else qs.filter(organisation_id__in=readable)


def employee_for(user, pk: int) -> Employee:
    return get_object_or_404(employees_for(user), pk=pk)


def file_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose files the user reads (the list's filter)."""
    readable = readable_organisation_ids(user)
    qs = Organisation.objects.filter(kind=OrgKind.ENTERPRISE)
    if readable is None:
        return qs.filter(pk__in=Employee.objects.values("organisation_id")).order_by("name")
    return qs.filter(pk__in=readable).order_by("name")


# ------------------------------------------------------------------------------------------
# Yearly plans


def plans_for(user) -> QuerySet[TrainingPlan]:
    readable = readable_organisation_ids(user)
    qs = TrainingPlan.objects.select_related("organisation").annotate(
        item_count=Count("items", distinct=True)
    )
    return qs if readable is None else qs.filter(organisation_id__in=readable)


def plan_years(user) -> list[int]:
    """The years of the plans the user reads, latest first (the list's filter)."""
    readable = readable_organisation_ids(user)
    plans = TrainingPlan.objects.all()
    if readable is not None:
        plans = plans.filter(organisation_id__in=readable)
    return list(plans.order_by("-year").values_list("year", flat=True).distinct())


def plan_for(user, pk: int) -> TrainingPlan:
    return get_object_or_404(plans_for(user), pk=pk)


@dataclass
class TopicProgress:
    topic: str
    label: str
    planned_people: int = 0
    planned_person_hours: Decimal = Decimal(0)
    done_people: int = 0
    done_person_hours: Decimal = Decimal(0)

    @property
    def percent(self) -> int | None:
        if not self.planned_person_hours:
            return None
        return round(100 * self.done_person_hours / self.planned_person_hours)


def plan_progress(plan: TrainingPlan) -> list[TopicProgress]:
    """Planned against done, by topic: the items' people and person-hours; the employees who
    passed a class of that topic in the plan's year and the hours they passed."""
    rows: dict[str, TopicProgress] = {}

    def row(topic: str) -> TopicProgress:
        if topic not in rows:
            rows[topic] = TopicProgress(topic=topic, label=Topic(topic).label)
        return rows[topic]

    for item in plan.items.all():
        entry = row(item.topic)
        entry.planned_people += item.people
        entry.planned_person_hours += item.people * item.hours
    done = (
        Enrolment.objects.filter(
            PASSED,
            employee__organisation_id=plan.organisation_id,
            training_class__starts_at__year=plan.year,
        )
        .values("training_class__topic")
        .annotate(people=Count("employee", distinct=True), hours=Sum("training_class__hours"))
    )
    for found in done:
        entry = row(found["training_class__topic"])
        entry.done_people = found["people"]
        entry.done_person_hours = found["hours"] or Decimal(0)
    order = {value: i for i, value in enumerate(Topic.values)}
    return sorted(rows.values(), key=lambda r: order[r.topic])
