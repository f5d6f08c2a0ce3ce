"""Reads of the annual plan: what the public sees (published plans only) and what the plan's
keepers manage (everything, to them alone).

A planned activity's progress links to what happened: the training classes and events that
name it (through their `planned_activity`, read by the reverse relations here; their apps'
services are not used) and the published articles about it.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from manyi.events.models import Event, EventStatus
from manyi.programme.access import keeps_the_plan
from manyi.programme.models import (
    ActivityStatus,
    AnnualPlan,
    Article,
    ArticleStatus,
    PlannedActivity,
    PlanStatus,
)
from manyi.training.models import ClassStatus, TrainingClass

# What the public may see of the classes and events that carried out an activity: an
# enterprise's internal class and an event still in draft are nobody else's business.
PUBLIC_EVENT_STATUSES = (EventStatus.PUBLISHED, EventStatus.HELD)


def published_plans() -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.filter(status=PlanStatus.PUBLISHED)


def current_public_plan(today=None) -> AnnualPlan | None:
    """This year's published plan, else the latest published one (None if none is)."""
    year = (today or timezone.localdate()).year
    plans = published_plans()
    return plans.filter(year=year).first() or plans.filter(year__lt=year).order_by("-year").first()


def public_plan(year: int) -> AnnualPlan:
    """The published plan of `year`; a draft or a missing year is a 404 for everyone."""
    return get_object_or_404(published_plans(), year=year)


def published_years() -> list[int]:
    return list(published_plans().order_by("-year").values_list("year", flat=True))


def public_activities(plan: AnnualPlan) -> list[PlannedActivity]:
    """The plan's activities in date order, each with the public classes, events and
    articles that carried it out (prefetched: three queries whatever the number), and
    `other_link`: its outcome link unless it is the page of one of those articles."""
    activities = list(
        plan.activities.select_related("responsible_organisation").prefetch_related(
            Prefetch(
                "training_classes",
                queryset=TrainingClass.objects.filter(is_internal=False)
                .exclude(status=ClassStatus.CANCELLED)
                .order_by("starts_at"),
                to_attr="public_classes",
            ),
            Prefetch(
                "events",
                queryset=Event.objects.filter(status__in=PUBLIC_EVENT_STATUSES).order_by(
                    "starts_at"
                ),
                to_attr="public_events",
            ),
            Prefetch(
                "articles",
                queryset=Article.objects.filter(status=ArticleStatus.PUBLISHED).order_by(
                    "published_at"
                ),
                to_attr="public_articles",
            ),
        )
    )
    for activity in activities:
        shown = {
            reverse("programme:article_detail", kwargs={"pk": a.pk})
            for a in activity.public_articles
        }
        activity.other_link = "" if activity.outcome_url in shown else activity.outcome_url
    return activities


@dataclass(frozen=True)
class Counts:
    planned: int  # every activity that was not cancelled
    held: int
    cancelled: int


def activity_counts(plan: AnnualPlan) -> Counts:
    """The plan's counts in one aggregate query (its page shows one page of activities)."""
    found = plan.activities.aggregate(
        every=Count("pk"),
        held=Count("pk", filter=Q(status=ActivityStatus.HELD)),
        cancelled=Count("pk", filter=Q(status=ActivityStatus.CANCELLED)),
    )
    return Counts(
        planned=found["every"] - found["cancelled"],
        held=found["held"],
        cancelled=found["cancelled"],
    )


def counts(activities) -> Counts:
    statuses = [a.status for a in activities]
    cancelled = statuses.count(ActivityStatus.CANCELLED)
    return Counts(
        planned=len(statuses) - cancelled,
        held=statuses.count(ActivityStatus.HELD),
        cancelled=cancelled,
    )


# ------------------------------------------------------------------------------------------
# The keepers' side


def managed_plans(user) -> QuerySet[AnnualPlan]:
    """Every plan, newest year first, with its activity counts; nothing for anyone else."""
    if not keeps_the_plan.test(user):
        return AnnualPlan.objects.none()
    return AnnualPlan.objects.annotate(
        activity_count=Count("activities"),
        held_count=Count("activities", filter=Q(activities__status=ActivityStatus.HELD)),
    ).order_by("-year")


def managed_plan(user, pk: int) -> AnnualPlan:
    return get_object_or_404(managed_plans(user), pk=pk)


def managed_activities(plan: AnnualPlan) -> QuerySet[PlannedActivity]:
    """The plan's activities in date order, with whether anything refers to them (the delete
    button asks)."""
    return (
        plan.activities.select_related("responsible_organisation")
        .order_by("starts_on", "pk")
        .annotate(
            has_links=Exists(TrainingClass.objects.filter(planned_activity=OuterRef("pk")))
            | Exists(Event.objects.filter(planned_activity=OuterRef("pk")))
            | Exists(Article.objects.filter(planned_activity=OuterRef("pk")))
        )
    )


def managed_activity(user, pk: int) -> PlannedActivity:
    if not keeps_the_plan.test(user):
        raise Http404
    return get_object_or_404(PlannedActivity.objects.select_related("plan"), pk=pk)


def activities_to_link() -> QuerySet[PlannedActivity]:
    """The activities an article may report on: those of the latest three plans."""
    years = list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True)[:3])
    return (
        PlannedActivity.objects.filter(plan__year__in=years)
        .select_related("plan")
        .order_by("-plan__year", "starts_on", "pk")
    )
