"""The sampling frame of a spot check: who may be drawn, with the risk of each (reads only).

A member is an organisation, and for title holders one of its valid titles. Members are
sorted by a stable key (organisation id, then title id), so the same population always gives
the same list, and the draw (`draw.py`) depends only on this list and the seed.

Risk factors, read in a handful of queries whatever the size of the population:
- complaints about the organisation or its titles (dismissed ones do not count);
- an index close to the threshold: the application's survey index less than
  NEAR_THRESHOLD_POINTS above its category's threshold (a title that barely made it);
- the title's age in years (a title holder's practice drifts with time);
- recorded violations (Art. 25, 27);
- for an agency: the complaints about and violations of the organisations it recommended.

Weight = 1 + Σ factor × coefficient when the check is weighted; 1 for everyone otherwise.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.fieldwork.models import Survey, SurveyPurpose, SurveyStatus
from manyi.fieldwork.results.summary import INDEX_DIGITS, SATISFACTION_LV
from manyi.supervision.models import Complaint, ComplaintStatus, Population, Violation
from manyi.titles.models import Title, TitleStatus

# Coefficients of the risk weight. A member with no risk weighs 1; these say how many
# "members without risk" one unit of each factor is worth.
# One complaint doubles the chance: a complaint is a user saying the title is not deserved.
COMPLAINT = 1.0
# An index just above the threshold is worth two complaints: the verdict could have gone the
# other way within the survey's margin of error (typically ±3 points).
NEAR_THRESHOLD = 2.0
NEAR_THRESHOLD_POINTS = 5.0
# A quarter per year of the title: a four-year-old title weighs as much as one complaint.
TITLE_AGE_PER_YEAR = 0.25
# A recorded violation is established fact, not an allegation: twice a complaint.
VIOLATION = 2.0
# An agency answers for whom it recommends (Art. 27), at a discount: it did not run them.
RECOMMENDED_COMPLAINT = 0.5
RECOMMENDED_VIOLATION = 1.0
# Weights are rounded so the stored frame (JSON) and its hash never depend on float noise.
WEIGHT_DIGITS = 4

# Applications at or after submission: the organisation took part in the campaign.
NOT_PARTICIPATING = (Status.DRAFT,)
INDEXED = (SurveyStatus.CLOSED, SurveyStatus.RELEASED)


@dataclass(frozen=True)
class Member:
    organisation: int
    title: int | None
    weight: float
    risk: dict = field(default_factory=dict, compare=False)

    def as_json(self) -> dict:
        return {
            "organisation": self.organisation,
            "title": self.title,
            "weight": self.weight,
            "risk": self.risk,
        }


@dataclass(frozen=True)
class Filters:
    population: str
    year: int | None = None
    category: str = ""
    agency: int | None = None
    weighted: bool = False

    @classmethod
    def of(cls, spot_check) -> Filters:
        return cls(
            population=spot_check.population,
            year=spot_check.year,
            category=spot_check.category,
            agency=spot_check.agency_id,
            weighted=spot_check.weighted,
        )


def risk_weight(risk: dict) -> float:
    """1 + Σ factor × coefficient, rounded."""
    total = (
        1.0
        + COMPLAINT * risk.get("complaints", 0)
        + NEAR_THRESHOLD * (1 if risk.get("near_threshold") else 0)
        + TITLE_AGE_PER_YEAR * risk.get("title_age", 0.0)
        + VIOLATION * risk.get("violations", 0)
        + RECOMMENDED_COMPLAINT * risk.get("recommended_complaints", 0)
        + RECOMMENDED_VIOLATION * risk.get("recommended_violations", 0)
    )
    return round(total, WEIGHT_DIGITS)


def load_frame(filters: Filters, *, today=None) -> list[Member]:
    """The population's members in their stable order, each with its risk and weight."""
    today = today or timezone.localdate()
    loader = {
        Population.AGENCIES: _agencies,
        Population.PARTICIPANTS: _participants,
        Population.TITLE_HOLDERS: _title_holders,
    }[filters.population]
    members = []
    for organisation, title, risk in loader(filters, today):
        weight = risk_weight(risk) if filters.weighted else 1.0
        members.append(Member(organisation, title, weight, risk))
    members.sort(key=lambda m: (m.organisation, m.title or 0))
    return members


def frame_of(spot_check, *, today=None) -> list[Member]:
    return load_frame(Filters.of(spot_check), today=today)


# ------------------------------------------------------------------------------------------
# The three populations


def _submitted_applications(filters: Filters):
    qs = Application.objects.filter(submitted_at__isnull=False).exclude(
        status__in=NOT_PARTICIPATING
    )
    if filters.year:
        qs = qs.filter(campaign__year=filters.year)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.agency:
        qs = qs.filter(agency_id=filters.agency)
    return qs


def _title_holders(filters: Filters, today):
    titles = Title.objects.filter(status=TitleStatus.VALID)
    if filters.year:
        titles = titles.filter(year=filters.year)
    if filters.category:
        titles = titles.filter(category=filters.category)
    if filters.agency:
        titles = titles.filter(application__agency_id=filters.agency)
    rows = list(titles.values_list("pk", "organisation_id", "application_id", "valid_from"))
    complaints = _complaints_by_organisation()
    violations = _violations_by_organisation()
    indexes = _indexes(titles.values("application_id"))
    for pk, organisation, application, valid_from in rows:
        risk = {
            "complaints": complaints[organisation],
            "violations": violations[organisation],
            "title_age": round(max((today - valid_from).days, 0) / 365.25, 1),
            **indexes.get(application, {}),
        }
        yield organisation, pk, risk


def _participants(filters: Filters, today):
    applications = _submitted_applications(filters)
    rows = list(
        applications.order_by("organisation_id", "-campaign__year", "-pk").values_list(
            "organisation_id", "pk"
        )
    )
    complaints = _complaints_by_organisation()
    violations = _violations_by_organisation()
    indexes = _indexes(applications.values("pk"))
    latest: dict[int, dict] = {}
    for organisation, application in rows:
        # The newest application with an index speaks for the organisation.
        if organisation not in latest or (not latest[organisation] and application in indexes):
            latest[organisation] = indexes.get(application, {})
    for organisation, index in latest.items():
        risk = {
            "complaints": complaints[organisation],
            "violations": violations[organisation],
            **index,
        }
        yield organisation, None, risk


def _agencies(filters: Filters, today):
    agencies = Organisation.objects.filter(kind=OrgKind.AGENCY, is_active=True)
    if filters.agency:
        agencies = agencies.filter(pk=filters.agency)
    recommended = _submitted_applications(filters).filter(agency__isnull=False)
    if filters.year or filters.category:
        # Narrowed to a campaign or category: the agencies that recommended in it.
        agencies = agencies.filter(pk__in=recommended.values("agency_id"))
    ids = list(agencies.values_list("pk", flat=True))
    pairs = set(recommended.values_list("agency_id", "organisation_id").distinct())
    complaints = _complaints_by_organisation()
    violations = _violations_by_organisation()
    recommended_of = defaultdict(set)
    for agency, organisation in pairs:
        recommended_of[agency].add(organisation)
    for agency in ids:
        orgs = recommended_of.get(agency, ())
        risk = {
            "complaints": complaints[agency],
            "violations": violations[agency],
            "recommended_complaints": sum(complaints[o] for o in orgs),
            "recommended_violations": sum(violations[o] for o in orgs),
        }
        yield agency, None, risk


# ------------------------------------------------------------------------------------------
# Risk factors, each one query over the whole table (no IN list that grows with the frame)


def _complaints_by_organisation() -> Counter:
    """Complaints (not dismissed) per organisation: about it, or about one of its titles;
    a complaint naming both counts once."""
    found = Counter()
    rows = (
        Complaint.objects.exclude(status=ComplaintStatus.DISMISSED)
        .filter(Q(organisation__isnull=False) | Q(title__isnull=False))
        .values_list("organisation_id", "title__organisation_id")
    )
    for about, holder in rows:
        for organisation in {about, holder} - {None}:
            found[organisation] += 1
    return found


def _violations_by_organisation() -> Counter:
    return Counter(
        dict(
            Violation.objects.values("organisation_id")
            .annotate(n=Count("pk"))
            .values_list("organisation_id", "n")
        )
    )


def _indexes(application_ids) -> dict[int, dict]:
    """{application id: {"index", "threshold", "near_threshold"}} for the applications whose
    own survey has a measured index (as `fieldwork.results.summary.survey_result` reads it)."""
    rows = (
        Survey.objects.filter(
            application_id__in=application_ids,
            purpose=SurveyPurpose.APPLICATION,
            status__in=INDEXED,
            run__status="done",
        )
        .values_list(
            "application_id",
            "application__campaign_id",
            "application__category",
            f"run__result__index__{SATISFACTION_LV}",
        )
        .order_by("application_id")
    )
    thresholds = {
        (campaign, category): float(value)
        for campaign, category, value in CampaignCategory.objects.values_list(
            "campaign_id", "category", "satisfaction_threshold"
        )
        if value is not None
    }
    found = {}
    for application, campaign, category, index in rows:
        if not isinstance(index, int | float):
            continue
        index = round(float(index), INDEX_DIGITS)
        threshold = thresholds.get((campaign, category))
        entry = {"index": index}
        if threshold is not None:
            margin = round(index - threshold, INDEX_DIGITS)
            entry.update(
                threshold=threshold,
                near_threshold=0 <= margin < NEAR_THRESHOLD_POINTS,
            )
        found[application] = entry
    return found


# ------------------------------------------------------------------------------------------
# Words


def risk_words(risk: dict) -> list[str]:
    """The member's risk factors as a person reads them; an empty list when there are none."""
    words = []
    if risk.get("complaints"):
        words.append(_("被投诉 %(n)d 件") % {"n": risk["complaints"]})
    if risk.get("near_threshold"):
        words.append(
            _("满意度指数 %(index)s，仅高于门槛 %(margin)s 分")
            % {
                "index": f"{risk['index']:.1f}",
                "margin": f"{risk['index'] - risk['threshold']:.1f}",
            }
        )
    if risk.get("title_age"):
        words.append(_("称号已获 %(years)s 年") % {"years": f"{risk['title_age']:g}"})
    if risk.get("violations"):
        words.append(_("违规记录 %(n)d 次") % {"n": risk["violations"]})
    if risk.get("recommended_complaints"):
        words.append(_("所推荐组织被投诉 %(n)d 件") % {"n": risk["recommended_complaints"]})
    if risk.get("recommended_violations"):
        words.append(_("所推荐组织违规 %(n)d 次") % {"n": risk["recommended_violations"]})
    return words
