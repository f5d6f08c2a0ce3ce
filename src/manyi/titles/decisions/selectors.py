"""Reads for the committee's decisions: the campaigns × categories overview and the ranking of
one category, each row with what the decision rests on (index, experts, flags).

Only programme staff read these (`access.READ_DECISIONS`); anyone else finds nothing (404).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from manyi.applications.models import Application
from manyi.applications.states import DECIDED, IN_EVALUATION, Status
from manyi.campaigns.categories import Category
from manyi.campaigns.models import CampaignCategory
from manyi.fieldwork.models import Survey, SurveyPurpose
from manyi.fieldwork.selectors import survey_of_application
from manyi.reviews.models import FlagKind, FlagStatus, SimilarityFlag
from manyi.titles.access import READ_DECISIONS
from manyi.titles.models import DecisionRelease, NoticeKind, PublicNotice

# Applications the ranking shows: those being evaluated, and those decided (for the record).
RANKED = (*IN_EVALUATION, *DECIDED)
# Flags that still count against an application (a dismissed one does not).
LIVE_FLAGS = (FlagStatus.OPEN, FlagStatus.CONFIRMED)


class Verdict:
    """The index against the threshold, with its 95% interval."""

    ABOVE = "above"  # the whole interval at or above the threshold
    STRADDLES = "straddles"  # the point estimate on one side, the interval across it
    BELOW = "below"  # the whole interval below
    NONE = "none"  # no index yet


def verdict_of(index, interval, threshold) -> str:
    if index is None or threshold is None:
        return Verdict.NONE
    low, high = (interval or (index, index))[:2]
    if low >= threshold:
        return Verdict.ABOVE
    if high < threshold:
        return Verdict.BELOW
    return Verdict.STRADDLES


class DecisionState:
    NONE = "none"
    PROPOSED = "proposed"
    RETURNED = "returned"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    WITHDRAWN = "withdrawn"


def decision_state(decision) -> str:
    if decision is None:
        return DecisionState.NONE
    if decision.withdrawn_at is not None:
        return DecisionState.WITHDRAWN
    if decision.release_id is not None:
        return DecisionState.RELEASED
    if decision.confirmed_at is not None:
        return DecisionState.CONFIRMED
    if (decision.basis or {}).get("returned"):
        return DecisionState.RETURNED
    return DecisionState.PROPOSED


@dataclass
class Row:
    """One application of the ranking."""

    application: Application
    index: float | None = None
    interval: list | None = None
    threshold: float | None = None
    n: int = 0
    complaint_rate: float | None = None
    expert: dict | None = None
    text_flags: list = field(default_factory=list)
    appraisal_flags: list = field(default_factory=list)

    @property
    def decision(self):
        return getattr(self.application, "decision", None)

    @property
    def state(self) -> str:
        return decision_state(self.decision)

    @property
    def verdict(self) -> str:
        return verdict_of(self.index, self.interval, self.threshold)

    @property
    def reached(self) -> bool:
        """Judged on the point estimate (DOMAIN.md); the interval is shown beside it."""
        return (
            self.index is not None and self.threshold is not None and self.index >= self.threshold
        )

    @property
    def confirmed_flags(self) -> int:
        return sum(1 for f in self.text_flags if f.status == FlagStatus.CONFIRMED)

    def basis(self) -> dict:
        """What the decision rests on, as stored with it (`Decision.basis`)."""
        expert = self.expert or {}
        return {
            "index": self.index,
            "interval": self.interval,
            "threshold": self.threshold,
            "verdict": self.verdict,
            "n": self.n,
            "complaint_rate": self.complaint_rate,
            "expert": {
                key: expert.get(key)
                for key in (
                    "n",
                    "mean",
                    "median",
                    "trimmed_mean",
                    "spread",
                    "dispersed",
                    "recommend_award",
                    "recommend_not",
                )
            }
            if expert
            else None,
            "flags": {
                "text": [
                    {
                        "other": f.other.number if f.other_id else "",
                        "share": float(f.share),
                        "status": f.status,
                    }
                    for f in self.text_flags
                ],
                "appraisal": [{"status": f.status} for f in self.appraisal_flags],
            },
        }


def campaign_category(user, year: int, category: str) -> CampaignCategory:
    """The category of a year's campaign, for programme staff; else 404."""
    if not READ_DECISIONS.allows(user, None) or category not in Category.values:
        raise Http404
    found = (
        CampaignCategory.objects.filter(campaign__year=year, category=category)
        .select_related("campaign")
        .first()
    )
    if found is None:
        raise Http404
    return found


def application_to_decide(user, pk) -> Application:
    """An evaluated or decided application, for programme staff; else 404."""
    if not READ_DECISIONS.allows(user, None):
        raise Http404
    try:
        return Application.objects.select_related("campaign", "organisation", "decision").get(
            pk=pk, status__in=RANKED
        )
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def decision_for(user, pk):
    from manyi.titles.models import Decision

    if not READ_DECISIONS.allows(user, None):
        raise Http404
    try:
        return Decision.objects.select_related(
            "application__campaign", "application__organisation"
        ).get(pk=pk)
    except Decision.DoesNotExist as exc:
        raise Http404 from exc


def _expert_result(application) -> dict | None:
    """The experts' aggregated scores, from the scoring package (None while it has none)."""
    try:
        from manyi.reviews.scoring.results import expert_result
    except ImportError:
        return None
    return expert_result(application)


def _index_of(row: Row, survey) -> None:
    """The index and interval of a closed survey, as the survey's result page reads them."""
    from manyi.fieldwork.models import SurveyStatus
    from manyi.fieldwork.results.summary import INDEX_DIGITS, SATISFACTION_LV, index_interval

    if survey is None or survey.status not in (SurveyStatus.CLOSED, SurveyStatus.RELEASED):
        return
    summary = survey.summary or {}
    row.n = summary.get("n_usable", 0)
    row.complaint_rate = summary.get("complaint_rate")
    run = survey.run
    index = ((run.result or {}).get("index") or {}).get(SATISFACTION_LV) if run else None
    if run is not None and run.status == "done" and index is not None:
        row.index = round(index, INDEX_DIGITS)
        row.interval = index_interval(run.bootstrap_result, SATISFACTION_LV)


def _survey_of(application):
    """The application's own survey: prefetched by `ranking`, else read."""
    if hasattr(application, "application_surveys"):
        return next(iter(application.application_surveys), None)
    return survey_of_application(application)


def rows_for(applications, threshold: float | None) -> list[Row]:
    """A Row per application (loaded with `decision` and its survey's run), flags in one query."""
    rows = {a.pk: Row(application=a, threshold=threshold) for a in applications}
    if not rows:
        return []
    flags = (
        SimilarityFlag.objects.filter(status__in=LIVE_FLAGS)
        .filter(Q(application_id__in=rows) | Q(other_id__in=rows))
        .select_related("application", "other")
    )
    for flag in flags:
        for pk in {flag.application_id, flag.other_id}:
            row = rows.get(pk)
            if row is None:
                continue
            if flag.kind == FlagKind.APPRAISAL:
                if pk == flag.application_id:
                    row.appraisal_flags.append(flag)
            else:
                row.text_flags.append(flag)
    for row in rows.values():
        _index_of(row, _survey_of(row.application))
        row.expert = _expert_result(row.application)
    return list(rows.values())


def _sort_key(row: Row):
    expert = (row.expert or {}).get("trimmed_mean")
    return (
        expert is None,
        -(float(expert) if expert is not None else 0),
        row.index is None,
        -(row.index or 0),
        row.application.number,
    )


def ranking(campaign_category: CampaignCategory) -> list[Row]:
    """Every evaluated (and decided) application of the category, best expert result first,
    then the highest index."""
    applications = (
        Application.objects.filter(
            campaign_id=campaign_category.campaign_id,
            category=campaign_category.category,
            status__in=RANKED,
        )
        .select_related(
            "organisation",
            "agency",
            "campaign",
            "decision__proposed_by",
            "decision__confirmed_by",
        )
        .prefetch_related(
            Prefetch(
                "surveys",
                queryset=Survey.objects.filter(purpose=SurveyPurpose.APPLICATION).select_related(
                    "run"
                ),
                to_attr="application_surveys",
            )
        )
        .order_by("number", "pk")
    )
    threshold = float(campaign_category.satisfaction_threshold)
    return sorted(rows_for(applications, threshold), key=_sort_key)


def row_for(application) -> Row:
    """The ranking row of one application (the review page, and the basis of a proposal)."""
    threshold = (
        CampaignCategory.objects.filter(
            campaign_id=application.campaign_id, category=application.category
        )
        .values_list("satisfaction_threshold", flat=True)
        .first()
    )
    return rows_for([application], float(threshold) if threshold is not None else None)[0]


def release_problems(campaign_category: CampaignCategory) -> list[str]:
    """Why the category's decisions cannot be released yet, one line per application (empty
    when ready)."""
    from django.utils.translation import gettext as _

    problems = []
    pending = Application.objects.filter(
        campaign_id=campaign_category.campaign_id,
        category=campaign_category.category,
        status__in=(Status.RECOMMENDED, Status.DEFICIENT, Status.COMPLETED),
    ).select_related("organisation")
    for application in pending.order_by("number", "pk"):
        problems.append(
            _("%(org)s（%(number)s）：形式审查尚未结束（%(status)s）")
            % {
                "org": application.organisation.name,
                "number": application.number or "—",
                "status": application.get_status_display(),
            }
        )
    evaluated = Application.objects.filter(
        campaign_id=campaign_category.campaign_id,
        category=campaign_category.category,
        status=Status.ACCEPTED,
    ).select_related("organisation", "decision")
    count = 0
    for application in evaluated.order_by("number", "pk"):
        count += 1
        decision = getattr(application, "decision", None)
        if decision is None:
            reason = _("尚未提出评定意见")
        elif decision.confirmed_at is None:
            reason = _("评定意见尚未经协会确认")
        else:
            continue
        problems.append(
            _("%(org)s（%(number)s）：%(reason)s")
            % {
                "org": application.organisation.name,
                "number": application.number or "—",
                "reason": reason,
            }
        )
    if not count and not problems:
        problems.append(_("本类别没有待发布的评定意见"))
    return problems


def category_state(campaign_category: CampaignCategory) -> dict:
    """The category's release and its notices: {"release", "publicity", "announcement"}."""
    release = DecisionRelease.objects.filter(
        campaign_id=campaign_category.campaign_id, category=campaign_category.category
    ).first()
    notices = {
        n.kind: n
        for n in PublicNotice.objects.filter(
            campaign_id=campaign_category.campaign_id, category=campaign_category.category
        )
    }
    return {
        "release": release,
        "publicity": notices.get(NoticeKind.PUBLICITY),
        "announcement": notices.get(NoticeKind.ANNOUNCEMENT),
    }


def overview(user) -> list[dict]:
    """Every campaign category with applications evaluated or decided: counts and state."""
    if not READ_DECISIONS.allows(user, None):
        return []
    counts = {
        (c["campaign_id"], c["category"]): c
        for c in Application.objects.filter(status__in=RANKED)
        .values("campaign_id", "category")
        .annotate(
            evaluated=Count("pk", filter=Q(status=Status.ACCEPTED)),
            proposed=Count("pk", filter=Q(status=Status.ACCEPTED, decision__isnull=False)),
            confirmed=Count(
                "pk", filter=Q(status=Status.ACCEPTED, decision__confirmed_at__isnull=False)
            ),
            in_notice=Count("pk", filter=Q(status=Status.IN_NOTICE)),
            awarded=Count("pk", filter=Q(status=Status.AWARDED)),
            not_awarded=Count("pk", filter=Q(status=Status.NOT_AWARDED)),
        )
        .order_by()
    }
    released = set(DecisionRelease.objects.values_list("campaign_id", "category"))
    notices = {
        (n.campaign_id, n.category): n
        for n in PublicNotice.objects.filter(kind=NoticeKind.PUBLICITY).only(
            "pk", "campaign_id", "category", "ends_on", "closed_at"
        )
    }
    out = []
    for cc in CampaignCategory.objects.select_related("campaign").order_by("-campaign__year", "pk"):
        key = (cc.campaign_id, cc.category)
        if key not in counts:
            continue
        out.append(
            {
                "campaign_category": cc,
                "counts": counts[key],
                "released": key in released,
                "notice": notices.get(key),
            }
        )
    return out
