"""Reads of fieldwork, scoped to the person asking: another firm's survey is a 404."""

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
