"""The expert pool's part of the review: the yearly declaration, the seeded draw of experts for
an accepted application, and the changes to a draw (staff replace, an expert declines).

- `sign_declaration`: 保密和无利益冲突声明, once a campaign (Art. 14, 26, 27). Without it an
  expert is never drawn in that campaign.
- `draw_experts`: `experts_per_application` experts drawn by a seeded shuffle among the
  eligible (`eligibility.assess`); the seed, the candidates and the reasons of the excluded
  are stored, so `check_draw` can redo it and show it gives the same experts.
- `replace_expert` / `decline_assignment`: the next candidate down the same shuffled order who
  is still eligible now (declaration, conflicts, workload cap re-checked) takes the place.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.accounts.models import User
from manyi.accounts.roles import Role
from manyi.accounts.selectors import emails_of_role
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.common.services import log_activity, queue_email
from manyi.reviews.access import (
    DECLINE,
    DRAW_EXPERTS,
    REPLACE_EXPERT,
    SIGN_DECLARATION,
    already_drawn,
    assignment_closed,
    declared_already,
    state_changed,
)
from manyi.reviews.experts import eligibility
from manyi.reviews.experts.draw import draw, shuffled
from manyi.reviews.models import Assignment, AssignmentStatus, Declaration, ExpertDraw

# A seed fits a signed 64-bit column and survives JSON and JavaScript unchanged.
SEED_LIMIT = 2**53
REASON_MAX = 500


# ------------------------------------------------------------------------------------------
# Declaration


def declaration_wording(*, campaign, expert) -> str:
    """The declaration as the expert reads it before signing (always in Chinese: it is the
    record that is kept)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "reviews/experts/declaration_text.txt", {"campaign": campaign, "expert": expert}
        ).strip()


def competitor_lines(text: str) -> list[str]:
    """One organisation a line, blanks and repeats dropped, in the order written."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def sign_declaration(*, expert, campaign, conflicts, competitors: str) -> Declaration:
    """Sign the campaign's declaration.

    `conflicts`: enterprises the expert has an interest in; `competitors`: former employers,
    clients and competitors, one a line. Side effects, in one transaction: a Declaration with
    the wording and the declared interests as signed; its conflicts; an activity-log entry
    ("expert.declaration_sign"). Refused for anyone but an expert, and a second time.
    """
    SIGN_DECLARATION.require(expert, campaign)
    conflicts = sorted(conflicts, key=lambda o: o.pk)
    lines = competitor_lines(competitors)
    signed_at = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        interests = render_to_string(
            "reviews/experts/declaration_interests.txt",
            {
                "conflicts": [o.name for o in conflicts],
                "competitors": lines,
                "expert": expert,
                "signed_at": signed_at,
            },
        ).strip()
    text = f"{declaration_wording(campaign=campaign, expert=expert)}\n\n{interests}"
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(
                expert=expert, campaign=campaign, text=text, competitors="\n".join(lines)
            )
            declaration.conflicts.set(conflicts)
            log_activity(
                actor=expert,
                action="expert.declaration_sign",
                obj=declaration,
                after={
                    "campaign": campaign.year,
                    "conflicts": [o.pk for o in conflicts],
                    "competitors": lines,
                },
            )
    except IntegrityError as exc:  # signed in another tab a moment ago
        raise declared_already() from exc
    return declaration


# ------------------------------------------------------------------------------------------
# Draw


def draw_experts(*, application, by, seed: int | None = None) -> ExpertDraw:
    """Draw the application's experts.

    The seed comes from `secrets` unless given. Refused, with nothing stored, when fewer
    experts are eligible than the category needs. Side effects, in one transaction: an
    ExpertDraw (seed, number needed, candidates in their stable order, the excluded with their
    reasons); one Assignment per drawn expert; an activity-log entry ("expert.draw": seed,
    number of candidates, drawn ids); a mail to each drawn expert.
    """
    DRAW_EXPERTS.require(by, application)
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation", "agency", "campaign")
            .get(pk=application.pk)
        )
        if locked.status != Status.ACCEPTED:
            raise state_changed(locked)
        if ExpertDraw.objects.filter(application=locked).exists():
            raise already_drawn()
        assessment = eligibility.assess(locked)
        picks = draw(assessment.eligible, seed, assessment.needed, assessment.load, assessment.cap)
        if len(picks) < assessment.needed:
            raise ValidationError(
                _(
                    "符合条件的专家只有 %(n)d 位，少于每份申报所需的 %(needed)d 位，未抽取。"
                    "请先请专家签署本年度声明或扩充专家库"
                )
                % {"n": len(picks), "needed": assessment.needed}
            )
        record = ExpertDraw.objects.create(
            application=locked,
            seed=seed,
            needed=assessment.needed,
            candidates=sorted(assessment.eligible),
            excluded={str(k): v for k, v in sorted(assessment.excluded.items())},
            drawn_by=by,
        )
        assignments = [
            Assignment.objects.create(
                draw=record, application=locked, expert_id=expert_id, position=position
            )
            for position, expert_id in picks
        ]
        log_activity(
            actor=by,
            action="expert.draw",
            obj=locked,
            organisation=locked.organisation,
            after={
                "seed": seed,
                "needed": assessment.needed,
                "candidates": len(assessment.eligible),
                "excluded": len(assessment.excluded),
                "drawn": [expert_id for _position, expert_id in picks],
            },
        )
        for assignment in assignments:
            _tell_assigned(assignment)
    application.expert_draw = record
    return record


def check_draw(application) -> bool:
    """Redo the draw from its stored seed and candidates: True when the same experts come out
    at the same positions, and every replacement stands where the shuffled order puts it.

    The workload cap was applied before the draw (a capped expert is excluded, with the
    reason), so every stored candidate was under it and the redo needs no load."""
    record = getattr(application, "expert_draw", None)
    if record is None:
        return False
    order = shuffled(record.candidates, record.seed)
    redone = draw(record.candidates, record.seed, record.needed, {}, cap=1)
    assigned = {(a.position, a.expert_id) for a in record.assignments.all()}
    if not set(redone) <= assigned:
        return False
    return all(position < len(order) and order[position] == e for position, e in assigned)


def _next_candidate(record: ExpertDraw, application) -> tuple[int, int] | None:
    """(position, expert id) of the next candidate down the shuffled order, after every place
    used so far, who was never assigned to this application and is eligible now."""
    assigned = dict(
        Assignment.objects.filter(application=application).values_list("expert_id", "position")
    )
    start = max(assigned.values(), default=-1) + 1
    order = shuffled(record.candidates, record.seed)
    eligible = set(eligibility.assess(application).eligible)
    for position in range(start, len(order)):
        expert_id = order[position]
        if expert_id not in assigned and expert_id in eligible:
            return position, expert_id
    return None


def _clean_reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(missing)
    if len(reason) > REASON_MAX:
        raise ValidationError(_("原因请不超过 %(n)d 字") % {"n": REASON_MAX})
    return reason


def _swap(*, assignment, by, reason, status, nobody_left) -> tuple[Assignment, Assignment]:
    """Close `assignment` with `status` and assign the next eligible candidate in its place.
    Runs inside the caller's transaction; the draw row is locked so two changes to the same
    application's experts never pick the same candidate."""
    record = ExpertDraw.objects.select_for_update().get(pk=assignment.draw_id)
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if current.status != AssignmentStatus.ACTIVE:
        raise assignment_closed()
    application = Application.objects.select_related("organisation", "agency", "campaign").get(
        pk=current.application_id
    )
    found = _next_candidate(record, application)
    if found is None:
        raise ValidationError(nobody_left)
    position, expert_id = found
    current.status = status
    current.reason = reason
    current.changed_by = by
    current.changed_at = timezone.now()
    current.save(update_fields=["status", "reason", "changed_by", "changed_at"])
    replacement = Assignment.objects.create(
        draw=record, application=application, expert_id=expert_id, position=position
    )
    return current, replacement


def replace_expert(*, assignment, by, reason: str) -> Assignment:
    """Staff replace a drawn expert, with a reason.

    Side effects, in one transaction: the assignment REPLACED with the reason; a new
    Assignment for the next eligible candidate; an activity-log entry ("expert.replace",
    the reason as its note); a mail to the replaced expert and to the new one. When nobody is
    left to take the place, refused and nothing changes. Returns the new assignment.
    """
    REPLACE_EXPERT.require(by, assignment)
    reason = _clean_reason(reason, _("请填写替换原因"))
    with transaction.atomic():
        old, new = _swap(
            assignment=assignment,
            by=by,
            reason=reason,
            status=AssignmentStatus.REPLACED,
            nobody_left=_("候选名单中已没有符合条件的专家可以替换，指派保持不变"),
        )
        _log_swap(by=by, action="expert.replace", old=old, new=new, reason=reason)
        queue_email(
            to=old.expert.email,
            template="expert_released",
            context={"assignment": old, "application": old.application, "reason": reason},
        )
        _tell_assigned(new)
    return new


def decline_assignment(*, assignment, by, reason: str) -> Assignment:
    """The expert declines an assignment, with a reason (a conflict found, no time, …).

    Side effects, in one transaction: the assignment DECLINED with the reason; a new
    Assignment for the next eligible candidate; an activity-log entry ("expert.decline", the
    reason as its note); a mail to the new expert and to the committee's staff. When nobody is
    left to take the place, refused and nothing changes. Returns the new assignment.
    """
    DECLINE.require(by, assignment)
    reason = _clean_reason(reason, _("请填写谢绝原因"))
    with transaction.atomic():
        old, new = _swap(
            assignment=assignment,
            by=by,
            reason=reason,
            status=AssignmentStatus.DECLINED,
            nobody_left=_(
                "暂时没有可以替补的专家，您的评审任务保持不变。请联系广州市用户委员会说明情况"
            ),
        )
        _log_swap(by=by, action="expert.decline", old=old, new=new, reason=reason)
        _tell_assigned(new)
        review_url = reverse("reviews:detail", args=[old.application_id]) + "#experts"
        for email in emails_of_role(Role.COMMITTEE_STAFF):
            queue_email(
                to=email,
                template="expert_declined",
                context={
                    "assignment": old,
                    "replacement": new,
                    "application": old.application,
                    "reason": reason,
                    "url": review_url,
                },
            )
    return new


def _log_swap(*, by, action, old, new, reason) -> None:
    log_activity(
        actor=by,
        action=action,
        obj=old.application,
        organisation=old.application.organisation,
        before={"assignment": old.pk, "expert": old.expert_id, "position": old.position},
        after={"assignment": new.pk, "expert": new.expert_id, "position": new.position},
        note=reason,
    )


def _tell_assigned(assignment) -> None:
    expert = User.objects.only("email", "full_name").get(pk=assignment.expert_id)
    queue_email(
        to=expert.email,
        template="expert_assigned",
        context={
            "expert": expert,
            "application": assignment.application,
            "url": reverse("reviews:experts_assignment", args=[assignment.pk]),
        },
    )
