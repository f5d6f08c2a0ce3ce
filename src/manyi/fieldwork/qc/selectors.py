"""Reads of quality control, scoped to the person asking: programme staff read every survey's
responses, a survey firm's manager those of the firm's surveys, nobody else any."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.fieldwork import quality
from manyi.fieldwork.models import QcStatus, Response, SampledContact
from manyi.fieldwork.qc.choices import VerifyResult
from manyi.fieldwork.selectors import contacts_for


def has_flag(code: str) -> Q:
    # The flags are a JSON list; its text holds each code in quotes, on SQLite and PostgreSQL
    # alike (JSON `contains` is not available on SQLite).
    return Q(qc_flags__icontains=f'"{code}"')


def reviewable_responses(user):
    """Every response for programme staff; for a firm's manager, the firm's surveys' (an
    interviewer of the firm reviews nothing, not even as a manager of another firm)."""
    qs = Response.objects.all()
    if has_role(user, *PROGRAMME_STAFF):
        return qs
    firms = [o.pk for o in organisations_for(user, Role.SURVEY_MANAGER)]
    return qs.filter(survey__firm_id__in=firms) if firms else qs.none()


def review_queue(user):
    """The responses the person reviews, oldest first (``fieldwork.filters.ReviewFilter``
    narrows them: the flagged ones unless asked otherwise)."""
    return (
        reviewable_responses(user)
        .select_related("survey__application__organisation", "interviewer", "contact")
        .order_by("submitted_at", "pk")
    )


def response_for(user, pk) -> Response:
    return get_object_or_404(
        reviewable_responses(user).select_related(
            "survey__application__organisation",
            "survey__firm",
            "questionnaire",
            "contact__customer",
            "interviewer",
            "qc_by",
        ),
        pk=pk,
    )


def verification_contacts(survey) -> list[SampledContact]:
    contacts = list(
        survey.contacts.filter(verify_selected=True)
        .select_related("customer", "response__interviewer", "verified_by")
        .order_by("position")
    )
    for contact in contacts:
        contact.survey = survey  # the predicates read it; spare a query per row
    return contacts


def verify_contact_for(user, pk) -> SampledContact:
    """A contact drawn for the call-back in a survey the person sees; any other is a 404."""
    return get_object_or_404(
        contacts_for(user)
        .filter(verify_selected=True)
        .select_related("survey__application__organisation", "customer", "response__interviewer"),
        pk=pk,
    )


def quality_counts(survey) -> dict:
    """A survey's quality figures in two aggregate queries: responses per flag and per review
    state, and the call-back verification."""
    by_flag = {code: Count("pk", filter=has_flag(code)) for code in quality.FLAG_LABELS}
    responses = Response.objects.filter(survey=survey).aggregate(
        total=Count("pk"),
        flagged=Count("pk", filter=Q(qc_status=QcStatus.FLAGGED)),
        approved=Count("pk", filter=Q(qc_status=QcStatus.APPROVED)),
        rejected=Count("pk", filter=Q(qc_status=QcStatus.REJECTED)),
        **{f"flag_{code}": count for code, count in by_flag.items()},
    )
    verify = SampledContact.objects.filter(survey=survey, verify_selected=True).aggregate(
        drawn=Count("pk"),
        done=Count("pk", filter=~Q(verify_result="")),
        **{r.value: Count("pk", filter=Q(verify_result=r.value)) for r in VerifyResult},
    )
    return {
        "responses": responses["total"],
        "flagged": responses["flagged"],
        "approved": responses["approved"],
        "rejected": responses["rejected"],
        "flags": [
            (code, label, responses[f"flag_{code}"])
            for code, label in quality.FLAG_LABELS.items()
            if responses[f"flag_{code}"]
        ],
        "verify": verify,
    }
