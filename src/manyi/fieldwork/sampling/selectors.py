"""Reads for the assignment page and the sample section (the caller has checked who asks)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.applications.models import Application, CustomerList, CustomerListStatus
from manyi.applications.states import Status
from manyi.campaigns.models import Campaign
from manyi.fieldwork.models import (
    ContactStatus,
    Questionnaire,
    QuestionnaireStatus,
    Survey,
    SurveyPurpose,
)
from manyi.fieldwork.sampling.design import stratum_label

SAMPLE_PER_PAGE = 50
SHARED_SHOWN = 100


# --------------------------------------------------------------------------------------------
# Assignment


def campaigns() -> list[Campaign]:
    return list(Campaign.objects.order_by("-year"))


def default_campaign(choices: list[Campaign]) -> Campaign | None:
    """The newest campaign with an accepted application still waiting for a firm."""
    waiting = (
        Application.objects.filter(status=Status.ACCEPTED)
        .exclude(surveys__purpose=SurveyPurpose.APPLICATION)
        .order_by("-campaign__year")
        .values_list("campaign_id", flat=True)
        .first()
    )
    return next((c for c in choices if c.pk == waiting), choices[0] if choices else None)


def _list_rows():
    return Subquery(
        CustomerList.objects.filter(
            application=OuterRef("pk"), is_current=True, status=CustomerListStatus.ACCEPTED
        ).values("row_count")[:1],
        output_field=IntegerField(),
    )


def assignable(*, campaign: Campaign):
    """Accepted applications of the campaign without a survey, with their list's size
    (``fieldwork.filters.AssignFilter`` narrows them)."""
    qs = Application.objects.filter(campaign=campaign, status=Status.ACCEPTED).exclude(
        surveys__purpose=SurveyPurpose.APPLICATION
    )
    return (
        qs.select_related("organisation")
        .annotate(list_rows=_list_rows())
        .order_by("category", "organisation__name", "pk")
    )


def applications_by_ids(ids: list[int]) -> list[Application]:
    found = Application.objects.filter(pk__in=ids).select_related("organisation", "campaign")
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(found, key=lambda a: order[a.pk])


def published_categories() -> set[str]:
    return set(
        Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).values_list(
            "category", flat=True
        )
    )


def survey_firms():
    return Organisation.objects.filter(kind=OrgKind.SURVEY_FIRM, is_active=True).order_by("name")


# --------------------------------------------------------------------------------------------
# The sample section


def sample_contacts(survey: Survey):
    """The sample in draw order, with only what its table shows."""
    return (
        survey.contacts.select_related("customer", "interviewer")
        .only(
            "position",
            "is_reserve",
            "stratum",
            "status",
            "other_lists",
            "customer__name",
            "customer__phone",
            "interviewer__full_name",
            "interviewer__email",
        )
        .order_by("position")
    )


def allocation(survey: Survey) -> list[dict]:
    """Per stratum: contacts drawn into the sample and into the reserve, and the reserve
    still held back (one grouped query)."""
    rows = (
        survey.contacts.values("stratum")
        .annotate(
            sample=Count("pk", filter=Q(position__lte=survey.sample_size)),
            reserve=Count("pk", filter=Q(position__gt=survey.sample_size)),
            held=Count("pk", filter=Q(status=ContactStatus.RESERVE)),
        )
        .order_by("stratum")
    )
    return [{**row, "label": stratum_label(row["stratum"])} for row in rows]


def reserve_left(survey: Survey) -> int:
    return survey.contacts.filter(status=ContactStatus.RESERVE).count()


def shared_contacts(survey: Survey) -> tuple[list, int]:
    """Contacts whose phone is also on other applicants' lists: the first ones and the count."""
    qs = survey.contacts.filter(other_lists__gt=0).select_related("customer")
    rows = list(qs.order_by("-other_lists", "position")[:SHARED_SHOWN])
    return rows, (len(rows) if len(rows) < SHARED_SHOWN else qs.count())
