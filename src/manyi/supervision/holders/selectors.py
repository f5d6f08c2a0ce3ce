"""Reads of the surveys of title holders, for programme staff (anyone else: 404 / nothing)."""

from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from manyi.applications.models import CustomerList, CustomerListStatus
from manyi.fieldwork.models import SurveyStatus
from manyi.supervision.access import reads_supervision
from manyi.supervision.models import HolderSurvey
from manyi.titles.models import Title, TitleStatus


def holder_surveys_for(user) -> QuerySet[HolderSurvey]:
    """Every holder survey, newest first (``holders.filters.HolderSurveyFilter`` narrows
    them), with what a row of the list shows."""
    if not reads_supervision.test(user):
        raise Http404
    return (
        HolderSurvey.objects.select_related(
            "title__organisation", "survey__firm", "survey__run", "launched_by"
        )
        .prefetch_related("revocations")
        .order_by("-launched_at", "-pk")
    )


def holder_survey_for(user, pk) -> HolderSurvey:
    if not reads_supervision.test(user):
        raise Http404
    try:
        return HolderSurvey.objects.select_related("survey__run", "title").get(pk=pk)
    except HolderSurvey.DoesNotExist as exc:
        raise Http404 from exc


def _list_rows():
    return Subquery(
        CustomerList.objects.filter(
            application=OuterRef("application_id"),
            is_current=True,
            status=CustomerListStatus.ACCEPTED,
        ).values("row_count")[:1],
        output_field=IntegerField(),
    )


def launchable_titles() -> QuerySet[Title]:
    """Valid titles without a survey awaiting assessment, with the size of their application's
    accepted customer list (`supervision.filters.TitlePickFilter` narrows them)."""
    waiting = HolderSurvey.objects.filter(title=OuterRef("pk"), assessed_at__isnull=True)
    return (
        Title.objects.filter(status=TitleStatus.VALID, valid_until__gte=timezone.localdate())
        .exclude(Exists(waiting))
        .select_related("organisation")
        .annotate(list_rows=_list_rows())
    )


def awaiting_assessment() -> QuerySet[HolderSurvey]:
    """Surveys whose measurement is done but whose assessment was never made (the worker was
    down when the run finished): staff may ask for it again."""
    return HolderSurvey.objects.filter(
        assessed_at__isnull=True,
        survey__status__in=(SurveyStatus.CLOSED, SurveyStatus.RELEASED),
        survey__run__status="done",
    )


def in_progress() -> QuerySet[HolderSurvey]:
    return HolderSurvey.objects.filter(assessed_at__isnull=True)
