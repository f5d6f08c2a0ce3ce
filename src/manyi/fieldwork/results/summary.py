"""What a closed survey tells: the figures fixed at closing, and the result read for the pages.

`closing_summary` is computed once, when the fieldwork closes, and stored on the survey (the
contacts lose their details then, so the figures could not be recomputed later).
`survey_result` reads that summary, the measurement run and the category's threshold.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from manyi.campaigns.models import CampaignCategory
from manyi.fieldwork.models import Channel, ContactStatus, SurveyStatus
from manyi.fieldwork.progress import progress_of_one

# The satisfaction latent variable of every preset model (china, acsi, ecsi).
SATISFACTION_LV = "SAT"
# The index is shown with one decimal; the verdict is judged on the figure shown, so that a
# published 80.0 against a threshold of 80 never reads "not reached".
INDEX_DIGITS = 1


def closing_summary(*, survey, usable: list) -> dict:
    """The figures of the result page besides the run (JSON), from the usable responses
    (screened in, clean or approved) and the survey's progress at closing."""
    progress = progress_of_one(survey)
    channels = Counter(r.channel for r in usable)
    answered = [r for r in usable if r.complaint is not None]
    complaints = sum(1 for r in answered if r.complaint)
    sampled = (
        survey.contacts.exclude(status=ContactStatus.RESERVE)
        .values("stratum")
        .annotate(n=Count("pk"))
        .order_by("stratum")
    )
    usable_by_stratum = Counter(r.contact.stratum for r in usable)
    submitted = [r.submitted_at for r in usable]
    return {
        "n_usable": len(usable),
        "by_channel": {c: channels.get(c, 0) for c in Channel.values if channels.get(c)},
        # A share of respondents who said they complained, never a score.
        "complaints": complaints,
        "complaint_base": len(answered),
        "complaint_rate": complaints / len(answered) if answered else None,
        "progress": {
            "target": progress.target,
            "sample": progress.sample,
            "reserve": progress.reserve,
            "attempts": progress.attempts,
            "completes": progress.completes,
            "usable": progress.usable,
            "rejected": progress.rejected,
            "partial": progress.partial,
            "by_status": progress.by_status,
            "rr1": progress.rr1,
        },
        "strata": [
            {"stratum": s["stratum"], "sample": s["n"], "usable": usable_by_stratum[s["stratum"]]}
            for s in sampled
        ],
        "field_period": {
            "opens": survey.field_opens.isoformat(),
            "closes": survey.field_closes.isoformat(),
            "first_response": min(submitted).isoformat() if submitted else None,
            "last_response": max(submitted).isoformat() if submitted else None,
        },
        "questionnaire": {
            "id": survey.questionnaire_id,
            "title": survey.questionnaire.title,
            "version": survey.questionnaire.version,
            "model": survey.questionnaire.model_name,
        },
        "seed": survey.seed,
        "list_hash": survey.list_hash,
    }


@dataclass
class SurveyResult:
    """A closed survey's result as the pages show it."""

    survey: object
    run_status: str = ""
    run_status_label: str = ""
    run_error: str = ""
    index: float | None = None
    interval: list[float] | None = None
    threshold: float | None = None
    n: int = 0
    channels: list[tuple[str, int]] = field(default_factory=list)
    complaints: int = 0
    complaint_base: int = 0
    complaint_rate: float | None = None
    rr1: float | None = None
    released: bool = False

    @property
    def reached(self) -> bool | None:
        """Judged on the point estimate (DOMAIN.md), the 95% interval shown beside it."""
        if self.index is None or self.threshold is None:
            return None
        return self.index >= self.threshold

    @property
    def run_done(self) -> bool:
        return self.run_status == "done"

    @property
    def run_pending(self) -> bool:
        return self.run_status in ("queued", "running")


def _finite(values) -> bool:
    return bool(values) and all(v is not None and math.isfinite(v) for v in values)


def index_interval(bootstrap: dict | None, lv: str) -> list[float] | None:
    """The 95% bootstrap interval of an index: BCa where defined, else the percentile one (as
    the measurement report shows it)."""
    entry = ((bootstrap or {}).get("index") or {}).get(lv) or {}
    for method in ("bca", "percentile"):
        if _finite(entry.get(method)):
            return [round(v, INDEX_DIGITS) for v in entry[method]]
    return None


def threshold_of(survey) -> float | None:
    value = (
        CampaignCategory.objects.filter(
            campaign_id=survey.campaign_id, category=survey.application.category
        )
        .values_list("satisfaction_threshold", flat=True)
        .first()
    )
    return float(value) if value is not None else None


def survey_result(survey) -> SurveyResult | None:
    """The result of a closed (or released) survey; None before closing."""
    summary = survey.summary
    if survey.status not in (SurveyStatus.CLOSED, SurveyStatus.RELEASED) or not summary:
        return None
    result = SurveyResult(
        survey=survey,
        threshold=threshold_of(survey),
        n=summary.get("n_usable", 0),
        channels=[(Channel(c).label, n) for c, n in summary.get("by_channel", {}).items()],
        complaints=summary.get("complaints", 0),
        complaint_base=summary.get("complaint_base", 0),
        complaint_rate=summary.get("complaint_rate"),
        rr1=(summary.get("progress") or {}).get("rr1"),
        released=survey.status == SurveyStatus.RELEASED,
    )
    run = survey.run
    if run is not None:
        result.run_status = run.status
        result.run_status_label = run.get_status_display()
        result.run_error = run.error_message
        index = ((run.result or {}).get("index") or {}).get(SATISFACTION_LV)
        if run.status == "done" and index is not None:
            result.index = round(index, INDEX_DIGITS)
            result.interval = index_interval(run.bootstrap_result, SATISFACTION_LV)
    return result
