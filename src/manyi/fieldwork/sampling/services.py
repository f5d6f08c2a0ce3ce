"""Assigning an application's survey to a survey firm, and its seeded, reproducible sample.

- `assign_survey` / `assign_surveys` (in `assignment.py`): staff give recommended
  applications to a firm, with a field period and a sample design.
- `draw_sample`: the seeded draw from the current accepted customer list; seed, list hash
  and rows are stored, so `check_draw` can redo it and compare.
- `release_reserve`: reserve contacts go into the field, in draw order.
- `export_sample`: the firm manager's sample with full phones, for the firm's own system.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.campaigns.models import Campaign
from manyi.common.services import log_activity
from manyi.fieldwork.access import CHECK_DRAW, DRAW, EXPORT_SAMPLE_WITH_PHONES, RELEASE_RESERVE
from manyi.fieldwork.models import ContactStatus, SampledContact, Survey, SurveyStatus
from manyi.fieldwork.sampling import exports
from manyi.fieldwork.sampling.assignment import assign_survey, assign_surveys
from manyi.fieldwork.sampling.frame import (
    current_list,
    emails_of,
    load_frame,
    other_lists,
    plan_draw,
    taken_phones,
)
from manyi.fieldwork.services import move_survey, phone_key

# The assignment lives in its own module; callers find every sampling service here.
__all__ = [
    "DrawCheck",
    "assign_survey",
    "assign_surveys",
    "check_draw",
    "draw_sample",
    "export_sample",
    "release_reserve",
]

BULK_BATCH = 1000

# --------------------------------------------------------------------------------------------
# The draw


def draw_sample(*, survey: Survey, by, seed: int | None = None) -> Survey:
    """Draw the survey's sample and reserve from the application's current accepted list.

    Draws in one campaign are serialised (the campaign row is locked), and a phone another
    survey of the campaign already holds is not drawn again. Side effects, in order, in one
    transaction: the survey moved to sampled with its seed, list, list hash, sizes, drawer
    and time (activity-log entry `survey.sampled`); the contacts (sample pending, reserve
    held back). Should another draw still take one of the phones at the same moment (the
    `one_survey_per_phone` constraint), it is redone once with a fresh exclusion set.
    """
    DRAW.require(by, survey)
    customer_list = current_list(survey.application)
    if customer_list is None:
        raise ValidationError(_("该申报没有已通过检查的用户名单，无法抽样"))
    seed = secrets.randbits(62) if seed is None else seed
    frame = load_frame(customer_list, survey.strata)
    for attempt in (1, 2):
        try:
            return _draw(survey, frame, seed=seed, by=by)
        except IntegrityError as exc:
            survey.refresh_from_db()
            if attempt == 2:
                raise ValidationError(_("另一项调查刚刚抽中了相同的号码，请稍后重新抽样")) from exc
            DRAW.require(by, survey)
    raise AssertionError("unreachable")


def _draw(survey: Survey, frame, *, seed: int, by) -> Survey:
    with transaction.atomic():
        # One draw at a time per campaign (PostgreSQL; SQLite serialises writers anyway).
        list(Campaign.objects.select_for_update().filter(pk=survey.campaign_id).values("pk"))
        drawn_at = timezone.now()
        plan = plan_draw(survey, frame, seed=seed, excluded=taken_phones(survey, before=drawn_at))
        if not plan.drawn.sample:
            raise ValidationError(_("名单中的号码都已被本年度其他申报的调查抽中，无法抽样"))
        ids = plan.drawn.ids
        move_survey(
            survey=survey,
            to=SurveyStatus.SAMPLED,
            by=by,
            extra={
                "seed": seed,
                "customer_list": frame.customer_list,
                "list_hash": frame.list_hash,
                "target_completes": plan.design.completes,
                "sample_size": len(plan.drawn.sample),
                "reserve_size": len(plan.drawn.reserve),
                "drawn_by": by,
                "drawn_at": drawn_at,
            },
            note=_("随机种子 %(seed)s，名单指纹 %(hash)s，样本 %(sample)d，备用 %(reserve)d")
            % {
                "seed": seed,
                "hash": frame.list_hash[:12],
                "sample": len(plan.drawn.sample),
                "reserve": len(plan.drawn.reserve),
            },
        )
        phones = [frame.phones[row] for row in plan.drawn.rows]
        shared = other_lists(survey.campaign_id, frame.customer_list.pk, phones)
        emails = emails_of(ids)
        sample_size = len(plan.drawn.sample)
        SampledContact.objects.bulk_create(
            (
                SampledContact(
                    survey=survey,
                    campaign_id=survey.campaign_id,
                    customer_id=customer_id,
                    position=position,
                    is_reserve=position > sample_size,
                    stratum=plan.drawn.strata[customer_id],
                    phone_key=phone_key(survey.campaign_id, phone),
                    other_lists=min(shared.get(phone, 0), 32767),
                    email=emails.get(customer_id, ""),
                    status=ContactStatus.RESERVE
                    if position > sample_size
                    else ContactStatus.PENDING,
                )
                for position, (customer_id, phone) in enumerate(
                    zip(ids, phones, strict=True), start=1
                )
            ),
            batch_size=BULK_BATCH,
        )
    return survey


@dataclass(frozen=True)
class DrawCheck:
    same: bool  # the redone draw gives exactly the stored rows, in the same order
    hash_matches: bool  # the list still has the content it had when drawn
    differing: list[int]  # positions where the stored and the redone rows differ
    stored: int
    redone: int


def check_draw(*, survey: Survey, by) -> DrawCheck:
    """Redo the draw from the stored seed, the stored list and the same exclusion rule (the
    phones of surveys of the campaign drawn earlier) and compare it with the stored rows.

    Side effects: an activity-log entry `survey.draw_check` with the outcome.
    """
    CHECK_DRAW.require(by, survey)
    frame = load_frame(survey.customer_list, survey.strata)
    excluded = taken_phones(survey, before=survey.drawn_at)
    redone = plan_draw(survey, frame, seed=survey.seed, excluded=excluded).drawn.ids
    stored = list(survey.contacts.order_by("position").values_list("customer_id", flat=True))
    longest = max(len(stored), len(redone))
    differing = [
        p + 1
        for p in range(longest)
        if p >= len(stored) or p >= len(redone) or stored[p] != redone[p]
    ]
    result = DrawCheck(
        same=not differing,
        hash_matches=frame.list_hash == survey.list_hash,
        differing=differing,
        stored=len(stored),
        redone=len(redone),
    )
    log_activity(
        actor=by,
        action="survey.draw_check",
        obj=survey,
        organisation=survey.application.organisation,
        after={
            "same": result.same,
            "hash_matches": result.hash_matches,
            "differing": differing[:50],
            "seed": survey.seed,
        },
    )
    return result


# --------------------------------------------------------------------------------------------
# Reserve and export


def release_reserve(*, survey: Survey, by, count) -> int:
    """Put the first ``count`` reserve contacts (in draw order) into the field.

    Side effects, in order: those contacts pending (no longer held back), claimed while
    still in reserve; an activity-log entry `survey.release_reserve`. Returns the count.
    """
    RELEASE_RESERVE.require(by, survey)
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise ValidationError({"count": _("请填写要启用的备用样本数量（至少 1 个）")})
    reserve = survey.contacts.filter(status=ContactStatus.RESERVE).order_by("position")
    with transaction.atomic():
        chosen = list(reserve.values_list("pk", "position")[:count])
        if len(chosen) < count:
            raise ValidationError(
                {"count": _("只剩 %(left)d 个备用样本，请减少数量") % {"left": len(chosen)}}
            )
        released = SampledContact.objects.filter(
            pk__in=[pk for pk, _position in chosen], status=ContactStatus.RESERVE
        ).update(status=ContactStatus.PENDING, is_reserve=False)
        if released != count:
            raise ValidationError(_("其他人刚刚启用了备用样本，请刷新页面后重试"))
        log_activity(
            actor=by,
            action="survey.release_reserve",
            obj=survey,
            organisation=survey.application.organisation,
            after={"count": count, "positions": [position for _pk, position in chosen]},
        )
    return count


def export_sample(*, survey: Survey, by) -> bytes:
    """The contacts in the field with their full phones, as Excel, for the firm's manager.

    Reserve contacts not yet released are left out. Side effects: an activity-log entry
    `survey.export_sample` with the number of rows.
    """
    EXPORT_SAMPLE_WITH_PHONES.require(by, survey)
    contacts = (
        survey.contacts.exclude(status=ContactStatus.RESERVE)
        .select_related("customer", "interviewer")
        .order_by("position")
    )
    data, rows = exports.sample_workbook(contacts, reserve_after=survey.sample_size)
    log_activity(
        actor=by,
        action="survey.export_sample",
        obj=survey,
        organisation=survey.application.organisation,
        after={"rows": rows, "full_phones": True},
    )
    return data
