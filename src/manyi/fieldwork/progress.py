"""Fieldwork progress per survey: sample, attempts, completes, AAPOR RR1, reasons for no answer.

Computed with grouped queries over any number of surveys (the all-applicants page costs the
same few queries for 10 surveys as for 1,000).

AAPOR Response Rate 1 = I / ((I + P) + (R + NC + O) + (UH + UO)): completes over every
released contact whose eligibility is not ruled out. Here I is a completed questionnaire, P a
web questionnaire begun and not sent, R a refusal, NC a contact not reached within the attempt
limit, and UH/UO contacts still open (not yet reached, invited, or called back). Wrong numbers
and respondents screened out are not eligible and leave the denominator.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from manyi.fieldwork.models import ContactStatus, QcStatus, Response, SampledContact, Survey

C = ContactStatus
NON_RESPONSE = (C.REFUSED, C.NON_CONTACT, C.WRONG_NUMBER, C.INELIGIBLE)


@dataclass
class Progress:
    target: int = 0
    sample: int = 0  # released contacts (reserve rows drawn into the field count)
    reserve: int = 0  # reserve rows not (yet) released
    attempts: int = 0
    by_status: dict = field(default_factory=dict)
    partial: int = 0  # web questionnaires begun and not sent
    completes: int = 0  # questionnaires received
    usable: int = 0  # received, screened in, and clean or approved
    flagged: int = 0
    rejected: int = 0

    @property
    def rr1(self) -> float | None:
        completes = self.by_status.get(C.COMPLETED, 0)
        ineligible = self.by_status.get(C.WRONG_NUMBER, 0) + self.by_status.get(C.INELIGIBLE, 0)
        denominator = self.sample - ineligible
        return completes / denominator if denominator > 0 else None

    @property
    def share_of_target(self) -> float | None:
        return self.usable / self.target if self.target else None

    @property
    def non_response(self) -> list[tuple[str, int]]:
        return [
            (C(s).label, self.by_status.get(s, 0)) for s in NON_RESPONSE if self.by_status.get(s)
        ]

    @property
    def open(self) -> int:
        return sum(self.by_status.get(s, 0) for s in (C.PENDING, C.INVITED, C.CALLBACK))


def progress_of(survey_ids) -> dict[int, Progress]:
    """Progress of each survey id (three grouped queries whatever their number)."""
    ids = list(survey_ids)
    result: dict[int, Progress] = defaultdict(Progress)
    if not ids:
        return {}
    rows = (
        SampledContact.objects.filter(survey_id__in=ids)
        .values("survey_id", "status")
        .annotate(
            n=Count("pk"),
            calls=Sum("attempts"),
            partial=Count("pk", filter=~Q(draft_answers={}) & ~Q(status=C.COMPLETED)),
        )
    )
    for row in rows:
        p = result[row["survey_id"]]
        if row["status"] == C.RESERVE:
            p.reserve += row["n"]
            continue
        p.sample += row["n"]
        p.by_status[row["status"]] = p.by_status.get(row["status"], 0) + row["n"]
        p.attempts += row["calls"] or 0
        p.partial += row["partial"]
    responses = (
        Response.objects.filter(survey_id__in=ids)
        .values("survey_id", "qc_status", "screening_passed")
        .annotate(n=Count("pk"))
    )
    for row in responses:
        p = result[row["survey_id"]]
        p.completes += row["n"]
        if row["qc_status"] == QcStatus.FLAGGED:
            p.flagged += row["n"]
        elif row["qc_status"] == QcStatus.REJECTED:
            p.rejected += row["n"]
        elif row["screening_passed"]:
            p.usable += row["n"]
    for survey_id, target in Survey.objects.filter(pk__in=ids).values_list(
        "pk", "target_completes"
    ):
        result[survey_id].target = target
    return dict(result)


def progress_of_one(survey) -> Progress:
    return progress_of([survey.pk]).get(survey.pk, Progress(target=survey.target_completes))
