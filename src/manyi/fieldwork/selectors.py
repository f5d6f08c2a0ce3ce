"""Reads of fieldwork, scoped to the person asking: another firm's survey is a 404."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from manyi.accounts.access import has_role, memberships
from manyi.accounts.roles import PROGRAMME_STAFF
from manyi.fieldwork.access import FIRM_ROLES
from manyi.fieldwork.models import SampledContact, Survey, SurveyPurpose


def firm_ids_of(user) -> list[int]:
    return [m.organisation_id for m in memberships(user) if m.role in FIRM_ROLES]


def surveys_for(user):
    """Every survey for programme staff; a survey firm's own for its people; none otherwise."""
    qs = Survey.objects.select_related(
        "application__organisation", "application__campaign", "firm", "questionnaire"
    )
    if has_role(user, *PROGRAMME_STAFF):
        return qs
    firms = firm_ids_of(user)
    return qs.filter(firm_id__in=firms) if firms else qs.none()


def survey_for(user, pk) -> Survey:
    return get_object_or_404(surveys_for(user), pk=pk)


def filtered_surveys(user, *, campaign="", category="", status="", firm="", query="", purpose=""):
    qs = surveys_for(user)
    if purpose:
        qs = qs.filter(purpose=purpose)
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if category:
        qs = qs.filter(application__category=category)
    if status:
        qs = qs.filter(status=status)
    if firm:
        qs = qs.filter(firm_id=firm)
    if query:
        qs = qs.filter(
            Q(application__organisation__name__icontains=query)
            | Q(application__number__icontains=query)
        )
    return qs.order_by("-assigned_at", "-pk")


def contacts_for(user):
    """Contacts of the surveys the person sees (the sample itself never shows a phone)."""
    return SampledContact.objects.filter(survey__in=surveys_for(user))


def contact_for_interviewer(user, pk) -> SampledContact:
    """A contact assigned to this interviewer; any other is a 404."""
    return get_object_or_404(
        SampledContact.objects.select_related(
            "survey__questionnaire", "customer", "survey__application__organisation"
        ),
        pk=pk,
        interviewer=user,
        survey__firm_id__in=firm_ids_of(user),
    )


def survey_of_application(application) -> Survey | None:
    """The application's own survey (not a later survey of its title)."""
    return (
        Survey.objects.filter(application=application, purpose=SurveyPurpose.APPLICATION)
        .select_related("run")
        .first()
    )


def campaign_options() -> list[tuple[int, int]]:
    """(pk, year) of the campaigns that have surveys, newest first, for the list's filter."""
    from manyi.campaigns.models import Campaign

    return list(
        Campaign.objects.filter(surveys__isnull=False)
        .distinct()
        .order_by("-year")
        .values_list("pk", "year")
    )
