"""The committee's review of the grown applications: the formal review's opinion, the one
deficiency notice, and the experts drawn, with their score sheets once the category decided.
"""

from datetime import timedelta
from decimal import Decimal

from manyi.applications.states import Status
from manyi.portal.scale.bulk import insert
from manyi.reviews.demo import ACCEPT_OPINION, NOTICE_ITEMS, NOTICE_REPLY, REJECT_REASONS
from manyi.reviews.models import (
    Assignment,
    CriterionSource,
    Declaration,
    DeficiencyNotice,
    ExpertDraw,
    FormalReview,
    ReviewOutcome,
    RubricCriterion,
    Score,
    ScoreSheet,
)

EXPERTS_PER_APPLICATION = 3
# Applications in evaluation whose experts are already drawn (the rest wait for the draw).
DRAWN_SHARE_IN_EVALUATION = 0.3
DECIDED = (Status.IN_NOTICE, Status.AWARDED, Status.NOT_AWARDED)
SHEET_COMMENTS = {
    "award": "材料翔实，措施具体，测量与改进形成闭环。",
    "not_award": "用户满意度测量方法不够规范，改进措施缺少量化目标。",
}


def write_formal_reviews(world, cases, applications) -> int:
    """The opinion of every application accepted or rejected by the committee, and the
    deficiency notice of those that were told what was missing."""
    reviews, notices = [], []
    staff = world.staff
    for case, application in zip(cases, applications, strict=True):
        for state, outcome, opinion in (
            (Status.ACCEPTED, ReviewOutcome.ACCEPTED, ACCEPT_OPINION),
            (Status.REJECTED, ReviewOutcome.REJECTED, REJECT_REASONS),
        ):
            if case.passed(state):
                at = case.when(state)
                reviews.append(
                    FormalReview(
                        application=application,
                        opinion=opinion,
                        outcome=outcome,
                        opinion_by=staff,
                        opinion_at=at,
                        updated_by=staff,
                        updated_at=at,
                    )
                )
        if case.passed(Status.DEFICIENT):
            issued = case.when(Status.DEFICIENT)
            completed = case.when(Status.COMPLETED)
            # A notice still open has its deadline ahead; a completed one was met.
            deadline = (
                (world.now + timedelta(days=world.rng.randrange(3, 20))).date()
                if completed is None
                else (issued + timedelta(days=15)).date()
            )
            notices.append(
                DeficiencyNotice(
                    application=application,
                    items=NOTICE_ITEMS,
                    deadline=deadline,
                    issued_by=staff,
                    issued_at=issued,
                    reply=NOTICE_REPLY if completed else "",
                    completed_by=application.created_by if completed else None,
                    completed_at=completed,
                )
            )
    insert(FormalReview, reviews, dated=True)
    insert(DeficiencyNotice, notices, dated=True)
    return len(reviews) + len(notices)


def write_expert_reviews(world, cases, applications) -> int:
    """Three experts drawn for every decided application and for some in evaluation; the
    decided ones' experts have submitted their sheets (with a score per expert criterion when
    the category has its rubric)."""
    rng, pool = world.rng, world.experts
    if len(pool) < EXPERTS_PER_APPLICATION:
        return 0
    draws, chosen = [], []
    for case, application in zip(cases, applications, strict=True):
        decided = case.status in DECIDED
        if not decided and not (
            case.status == Status.ACCEPTED and rng.random() < DRAWN_SHARE_IN_EVALUATION
        ):
            continue
        candidates = rng.sample(pool, min(len(pool), EXPERTS_PER_APPLICATION + 2))
        drawn_at = case.when(Status.ACCEPTED) + timedelta(days=rng.randrange(2, 10))
        draws.append(
            ExpertDraw(
                application=application,
                seed=rng.randrange(10**9),
                needed=EXPERTS_PER_APPLICATION,
                candidates=[u.pk for u in candidates],
                drawn_by=world.staff,
                drawn_at=drawn_at,
            )
        )
        chosen.append((case, candidates[:EXPERTS_PER_APPLICATION]))
    draws = insert(ExpertDraw, draws, dated=True)
    assignments = insert(
        Assignment,
        (
            Assignment(
                draw=draw,
                application=draw.application,
                expert=expert,
                position=position,
                created_at=draw.drawn_at,
            )
            for draw, (_case, experts) in zip(draws, chosen, strict=True)
            for position, expert in enumerate(experts)
        ),
        dated=True,
    )
    sheets = _sheets(world, draws, chosen, assignments)
    _declarations(
        world, {(a.expert_id, d.application.campaign_id) for d, a in _pairs(draws, assignments)}
    )
    return len(draws) + len(assignments) + sheets


def _pairs(draws, assignments):
    by_draw = {d.pk: d for d in draws}
    return [(by_draw[a.draw_id], a) for a in assignments]


def _sheets(world, draws, chosen, assignments) -> int:
    rng = world.rng
    outcome = {d.pk: case.status for d, (case, _e) in zip(draws, chosen, strict=True)}
    criteria = {}
    for criterion in RubricCriterion.objects.filter(source=CriterionSource.EXPERT).select_related(
        "campaign_category"
    ):
        key = (criterion.campaign_category.campaign_id, criterion.campaign_category.category)
        criteria.setdefault(key, []).append(criterion)
    sheets, marks = [], []
    for draw, assignment in _pairs(draws, assignments):
        if outcome[draw.pk] not in DECIDED:
            continue
        award = outcome[draw.pk] != Status.NOT_AWARDED
        recommendation = "award" if award else "not_award"
        submitted = draw.drawn_at + timedelta(days=rng.randrange(5, 20))
        sheets.append(
            ScoreSheet(
                assignment=assignment,
                recommendation=recommendation,
                comment=SHEET_COMMENTS[recommendation],
                submitted_at=submitted,
                updated_at=submitted,
            )
        )
        application = draw.application
        marks.append(criteria.get((application.campaign_id, application.category), []))
    sheets = insert(ScoreSheet, sheets, dated=True)
    scores = insert(
        Score,
        (
            Score(
                sheet=sheet,
                criterion=criterion,
                value=Decimal(rng.randrange(55, 98)) / 10 * criterion.max_score / 10,
            )
            for sheet, criteria_of in zip(sheets, marks, strict=True)
            for criterion in criteria_of
        ),
    )
    return len(sheets) + len(scores)


def _declarations(world, pairs: set) -> None:
    """The yearly declaration of each expert reviewing in a campaign, when not yet signed
    (worded as the demo's, with the expert's name)."""
    signed = set(Declaration.objects.values_list("expert_id", "campaign_id"))
    template = {d.campaign_id: d for d in Declaration.objects.order_by("pk")}
    names = {u.pk: u.display_name for u in world.experts}
    rows = []
    for expert_id, campaign_id in sorted(pairs - signed):
        model = template.get(campaign_id)
        if model is None:
            continue
        rows.append(
            Declaration(
                expert_id=expert_id,
                campaign_id=campaign_id,
                text=model.text.replace(model.expert.display_name, names[expert_id]),
            )
        )
    insert(Declaration, rows)
