"""Reads of the surveys of title holders, for programme staff (anyone else: 404 / nothing)."""

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from manyi.applications.models import CustomerList, CustomerListStatus
from manyi.campaigns.categories import Category
from manyi.fieldwork.models import SurveyStatus
from manyi.supervision.access import reads_supervision
from manyi.supervision.models import HolderSurvey
from manyi.titles.models import Title, TitleStatus

QUERY_MAX = 100
# The outcome filter: waiting for the survey or its assessment, or judged against the line.
OUTCOMES = ("pending", "below", "not_below")


def clean_filters(params) -> dict:
    status = params.get("status") or ""
    outcome = params.get("outcome") or ""
    category = params.get("category") or ""
    return {
        "status": status if status in SurveyStatus.values else "",
        "outcome": outcome if outcome in OUTCOMES else "",
        "category": category if category in Category.values else "",
        "q": (params.get("q") or "").strip()[:QUERY_MAX],
    }


def holder_surveys_for(user, filters: dict) -> QuerySet[HolderSurvey]:
    """Every holder survey, newest first: by the survey's state, the outcome, the title's
    category; `q` searches the holder's name and the certificate number."""
    if not reads_supervision.test(user):
        raise Http404
    qs = HolderSurvey.objects.select_related(
        "title__organisation", "survey__firm", "survey__run", "launched_by"
    ).prefetch_related("revocations")
    if filters.get("status"):
        qs = qs.filter(survey__status=filters["status"])
    outcome = filters.get("outcome")
    if outcome == "pending":
        qs = qs.filter(assessed_at__isnull=True)
    elif outcome in ("below", "not_below"):
        below = Q(index__lt=F("severely_low"))
        qs = qs.filter(assessed_at__isnull=False).filter(below if outcome == "below" else ~below)
    if filters.get("category"):
        qs = qs.filter(title__category=filters["category"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(
            Q(title__organisation__name__icontains=q) | Q(title__number__icontains=q.upper())
        )
    return qs.order_by("-launched_at", "-pk")


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
    accepted customer list (`supervision.selectors.search_titles` narrows them)."""
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
