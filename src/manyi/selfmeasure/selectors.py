"""Reads scoped to the enterprise user: its own surveys, measurements and plans only.

Another enterprise's survey, plan or measurement is a 404, whoever asks; programme staff and
agencies have no page here at all (the views admit enterprise users only) and read a shared
measurement through `surveys.selectors`.
"""

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.shortcuts import get_object_or_404

from manyi.selfmeasure.access import enterprise_ids
from manyi.selfmeasure.models import ImprovementAction, ImprovementPlan, OwnResponse, OwnSurvey
from manyi.surveys.models import MeasurementRun, ResponseDataset, RunStatus, Visibility

OWN_VISIBILITY = (Visibility.PRIVATE, Visibility.SHARED)


def own_surveys(user) -> QuerySet[OwnSurvey]:
    """The enterprise's surveys, each with its response counts (all, and usable)."""
    return (
        OwnSurvey.objects.filter(organisation_id__in=enterprise_ids(user))
        .select_related("questionnaire", "run")
        .annotate(
            response_count=Count("responses"),
            usable_count=Count("responses", filter=Q(responses__excluded=False)),
        )
    )


def survey_for(user, pk: int) -> OwnSurvey:
    return get_object_or_404(own_surveys(user), pk=pk)


def responses_of(survey: OwnSurvey, *, flagged: bool = False) -> QuerySet[OwnResponse]:
    """The survey's responses, newest first; with `flagged`, those with a quality flag."""
    qs = survey.responses.order_by("-submitted_at", "-pk")
    return qs.exclude(flags=[]) if flagged else qs


def response_counts(survey: OwnSurvey) -> dict[str, int]:
    """How many responses carry a quality flag and how many were left out, in one query."""
    return survey.responses.aggregate(
        flagged=Count("pk", filter=~Q(flags=[])),
        excluded=Count("pk", filter=Q(excluded=True)),
    )


def response_for(survey: OwnSurvey, pk: int) -> OwnResponse:
    response = get_object_or_404(survey.responses.all(), pk=pk)
    response.survey = survey
    return response


def own_datasets(user) -> QuerySet[ResponseDataset]:
    """The enterprise's own data sets (uploads and closed own surveys), private or shared."""
    return (
        ResponseDataset.objects.filter(
            organisation_id__in=enterprise_ids(user), visibility__in=OWN_VISIBILITY
        )
        .select_related("organisation")
        .annotate(run_count=Count("runs"))
    )


def own_dataset_for(user, pk: int) -> ResponseDataset:
    return get_object_or_404(own_datasets(user), pk=pk)


def own_runs(user) -> QuerySet[MeasurementRun]:
    """The measurements of the enterprise's own data sets, newest first."""
    return (
        MeasurementRun.objects.filter(
            dataset__organisation_id__in=enterprise_ids(user),
            dataset__visibility__in=OWN_VISIBILITY,
        )
        .select_related("dataset")
        .order_by("-created_at", "-pk")
    )


def own_run_for(user, pk: int) -> MeasurementRun:
    return get_object_or_404(own_runs(user), pk=pk)


def done_runs_over_time(user, limit: int) -> list[MeasurementRun]:
    """The enterprise's latest ``limit`` finished measurements of its own, oldest period first
    (the index over time; the period is the fieldwork's end, else its start, else the day the
    run was made). A rerun of the same data is left out: it would plot the same point twice.
    Only those rows are read: an enterprise measuring every month for years keeps a flat page."""
    when = Coalesce(
        "dataset__period_end",
        "dataset__period_start",
        TruncDate("created_at"),
        output_field=DateField(),
    )
    latest = (
        own_runs(user)
        .filter(status=RunStatus.DONE, rerun_of__isnull=True)
        .annotate(when=when)
        .order_by("-when", "-created_at", "-pk")[:limit]
    )
    return list(reversed(latest))


def plans(user) -> QuerySet[ImprovementPlan]:
    """The enterprise's plans with their action counts (all, done, overdue is computed on the
    page from the due dates)."""
    return (
        ImprovementPlan.objects.filter(organisation_id__in=enterprise_ids(user))
        .select_related("run", "run__dataset", "diagnosis")
        .annotate(
            action_count=Count("actions"),
            done_count=Count("actions", filter=Q(actions__done_at__isnull=False)),
        )
    )


def plan_for(user, pk: int) -> ImprovementPlan:
    return get_object_or_404(plans(user), pk=pk)


def action_for(plan: ImprovementPlan, pk: int) -> ImprovementAction:
    action = get_object_or_404(plan.actions.all(), pk=pk)
    action.plan = plan
    return action


def next_run(plan: ImprovementPlan) -> MeasurementRun | None:
    """The measurement that tells whether the plan worked: the enterprise's first finished run
    after the plan's own, with the same model, on other data (a rerun of the same data set
    would only repeat the baseline)."""
    return (
        MeasurementRun.objects.filter(
            dataset__organisation_id=plan.organisation_id,
            dataset__visibility__in=OWN_VISIBILITY,
            status=RunStatus.DONE,
            model_name=plan.run.model_name,
            created_at__gt=plan.run.created_at,
        )
        .exclude(dataset_id=plan.run.dataset_id)
        .select_related("dataset")
        .order_by("created_at", "pk")
        .first()
    )


def plans_of_run(user, run: MeasurementRun) -> QuerySet[ImprovementPlan]:
    return plans(user).filter(run=run)
