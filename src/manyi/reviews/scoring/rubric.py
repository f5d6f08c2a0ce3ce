"""The rubric of a campaign's category: weighted criteria, fixed when the review round opens.

The default (``DEFAULT_RUBRIC``): the ten points of the materials (TEN_POINTS, scored by the
experts, 6 % each, 0–10), the satisfaction index from the survey (computed, 30 %) and the
form's quality figures (computed, 10 %). The engineering form states no quality figure (see
computed.py), so its FORM criterion starts at 0 % and the index at 40 %; staff may change any
weight before the round opens.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from manyi.applications.forms.specs import TEN_POINTS
from manyi.reviews.models import CriterionSource, RubricCriterion

# The ten points in English, in the printed order.
TEN_POINTS_EN = (
    "Identifying target users",
    "Identifying target users' needs",
    "Research and design",
    "Production process control",
    "Delivery and after-sales service",
    "Complaint handling",
    "Monitoring and measuring user satisfaction",
    "Improvements made from the measurements",
    "Customer information management",
    "Customer relationship management",
)

INDEX_CODE = "index"
FORM_CODE = "form"


@dataclass(frozen=True)
class DefaultCriterion:
    code: str
    name_zh: str
    name_en: str
    source: str
    weight: Decimal
    max_score: int = 10


def point_code(n: int) -> str:
    return f"point-{n:02d}"


DEFAULT_RUBRIC: tuple[DefaultCriterion, ...] = (
    *(
        DefaultCriterion(point_code(n), zh, en, CriterionSource.EXPERT, Decimal(6))
        for n, (zh, en) in enumerate(zip(TEN_POINTS, TEN_POINTS_EN, strict=True), start=1)
    ),
    DefaultCriterion(
        INDEX_CODE,
        "用户满意度指数（调查结果）",
        "Satisfaction index (survey result)",
        CriterionSource.INDEX,
        Decimal(30),
    ),
    DefaultCriterion(
        FORM_CODE,
        "申请表质量指标",
        "Quality figures of the application form",
        CriterionSource.FORM,
        Decimal(10),
    ),
)

# Categories whose form gives no quality figure: the FORM weight goes to the index.
NO_FORM_FIGURES = frozenset({"engineering"})


def default_weight(criterion: DefaultCriterion, category: str) -> Decimal:
    if category in NO_FORM_FIGURES:
        if criterion.source == CriterionSource.FORM:
            return Decimal(0)
        if criterion.source == CriterionSource.INDEX:
            return criterion.weight + Decimal(10)
    return criterion.weight


def ensure_rubric(campaign_category) -> list[RubricCriterion]:
    """The category's criteria, creating the default ones when it has none."""
    with transaction.atomic():
        if not RubricCriterion.objects.filter(campaign_category=campaign_category).exists():
            RubricCriterion.objects.bulk_create(
                [
                    RubricCriterion(
                        campaign_category=campaign_category,
                        code=c.code,
                        name_zh=c.name_zh,
                        name_en=c.name_en,
                        source=c.source,
                        weight=default_weight(c, campaign_category.category),
                        max_score=c.max_score,
                        order=order,
                    )
                    for order, c in enumerate(DEFAULT_RUBRIC, start=1)
                ],
                ignore_conflicts=True,
            )
    return list(RubricCriterion.objects.filter(campaign_category=campaign_category))


def criteria_of(application) -> list[RubricCriterion]:
    """The rubric of the application's campaign and category, in order (empty before it is set)."""
    return list(
        RubricCriterion.objects.filter(
            campaign_category__campaign_id=application.campaign_id,
            campaign_category__category=application.category,
        ).order_by("order", "pk")
    )
