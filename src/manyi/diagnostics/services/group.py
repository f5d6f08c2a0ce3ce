"""The diagnostic group (诊断专家小组) and the visit: who goes, who leads, when and where."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.punctuation import join_words
from manyi.common.services import log_activity
from manyi.diagnostics import mail, selectors
from manyi.diagnostics.access import (
    MIN_GROUP,
    SCHEDULE,
    SET_GROUP,
    forget_group,
    group_of,
    wrong_state,
)
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus, DiagnosticExpert
from manyi.diagnostics.services.moves import move
from manyi.diagnostics.states import GROUP_OPEN

PLACE_MAX = 200


def _locked(diagnosis) -> Diagnosis:
    """Lock the row so two colleagues changing the group at once do not mix their changes."""
    current = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    if current.status not in GROUP_OPEN:
        raise wrong_state(current)
    return current


def _check_group(diagnosis, experts, leader) -> None:
    """Every problem with the proposed group, at once (ValidationError by field)."""
    chosen = {e.pk: e for e in experts}
    errors: dict[str, list[str]] = {}
    if len(chosen) < MIN_GROUP:
        errors.setdefault("experts", []).append(
            _("诊断专家小组至少需要 %(n)d 位专家") % {"n": MIN_GROUP}
        )
    if leader is None or leader.pk not in chosen:
        errors.setdefault("leader", []).append(_("请在选派的专家中指定一位组长"))
    found, _opened = selectors.candidates(diagnosis)
    by_pk = {c.expert.pk: c for c in found}
    current = {m.expert_id for m in group_of(diagnosis)}
    outside = [e for pk, e in chosen.items() if pk not in by_pk and pk not in current]
    if outside:
        errors.setdefault("experts", []).append(
            _("不在本机构可选派的专家范围内：%(names)s")
            % {"names": join_words(e.display_name for e in outside)}
        )
    for expert in chosen.values():
        conflict = selectors.conflict_of(expert, diagnosis.enterprise)
        if conflict:
            errors.setdefault("experts", []).append(
                _("%(name)s：%(reason)s") % {"name": expert.display_name, "reason": conflict}
            )
    if errors:
        raise ValidationError(errors)


def _member_words(member) -> dict:
    return {
        "expert": member.expert_id,
        "name": member.expert.display_name,
        "leader": member.is_leader,
    }


def set_group(*, diagnosis, experts, leader, by) -> bool:
    """Form or change the diagnostic group: `experts` (at least MIN_GROUP), one of them the
    `leader`. The candidates are the agency's own experts, and the user committee's pool when
    the agency has fewer than MIN_GROUP free of conflict (`selectors.candidates`); an expert who
    works for the enterprise is refused. Returns whether anything changed.

    Side effects, in one transaction: experts no longer chosen removed (activity log
    "diagnosis.expert_remove" each), the new ones added ("diagnosis.expert_add" each), a leader
    moved among the kept members logged "diagnosis.expert_remove" (调整诊断专家) with the old
    and new leader. Once the visit is scheduled, after commit the added experts are mailed the
    visit and the removed ones told they are released.
    """
    SET_GROUP.require(by, diagnosis)
    experts = list({e.pk: e for e in experts}.values())
    _check_group(diagnosis, experts, leader)
    with transaction.atomic():
        current = _locked(diagnosis)
        members = {m.expert_id: m for m in current.group.select_related("expert")}
        chosen = {e.pk: e for e in experts}
        removed = [m for pk, m in members.items() if pk not in chosen]
        added = [e for pk, e in chosen.items() if pk not in members]
        old_leader = next((pk for pk, m in members.items() if m.is_leader), None)
        if not removed and not added and old_leader == leader.pk:
            return False
        # The one-leader constraint: clear the old leader before naming the new one.
        current.group.filter(is_leader=True).exclude(expert_id=leader.pk).update(is_leader=False)
        for member in removed:
            log_activity(
                actor=by,
                action="diagnosis.expert_remove",
                obj=current,
                organisation=current.enterprise,
                before=_member_words(member),
            )
            member.delete()
        for expert in added:
            member = DiagnosticExpert.objects.create(
                diagnosis=current, expert=expert, is_leader=expert.pk == leader.pk, added_by=by
            )
            log_activity(
                actor=by,
                action="diagnosis.expert_add",
                obj=current,
                organisation=current.enterprise,
                after=_member_words(member),
            )
        if leader.pk in members and old_leader != leader.pk:
            current.group.filter(expert_id=leader.pk).update(is_leader=True)
            log_activity(
                actor=by,
                action="diagnosis.expert_remove",
                obj=current,
                organisation=current.enterprise,
                before={"leader": old_leader},
                after={"leader": leader.pk, "name": leader.display_name},
            )
        forget_group(diagnosis)
        if current.status == DiagnosisStatus.SCHEDULED:
            context = {"diagnosis": current, "group": group_of(current)}
            mail.send("scheduled", [e.email for e in added], context | {"joined": True})
            mail.send("released", [m.expert.email for m in removed], {"diagnosis": current})
    return True


def _clean_visit(starts_at, place) -> tuple[dt.datetime, str]:
    errors = {}
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = _("请填写诊断日期和时间")
    elif starts_at <= timezone.now():
        errors["starts_at"] = _("诊断时间应晚于现在")
    place = (place or "").strip()
    if not place:
        errors["place"] = _("请填写诊断地点")
    elif len(place) > PLACE_MAX:
        errors["place"] = _("诊断地点请不超过 %(n)d 字") % {"n": PLACE_MAX}
    if errors:
        raise ValidationError(errors)
    return starts_at, place


def schedule_visit(*, diagnosis, by, starts_at, place: str) -> Diagnosis:
    """Schedule the visit, or schedule it again until the report is submitted. The group must
    be complete first; the time must be ahead.

    Side effects: accepted → scheduled (or scheduled again) with the time and place, the old
    ones kept in the activity log ("diagnosis.schedule"); after commit, mail to everyone in
    the group and to the enterprise's users.
    """
    SCHEDULE.require(by, diagnosis)
    starts_at, place = _clean_visit(starts_at, place)
    if (
        diagnosis.status == DiagnosisStatus.SCHEDULED
        and diagnosis.visit_starts_at == starts_at
        and diagnosis.visit_place == place
    ):
        raise ValidationError(_("诊断时间和地点没有变化"))
    rescheduled = diagnosis.status == DiagnosisStatus.SCHEDULED
    before = {"starts_at": diagnosis.visit_starts_at, "place": diagnosis.visit_place}
    with transaction.atomic():
        move(
            diagnosis=diagnosis,
            to=DiagnosisStatus.SCHEDULED,
            by=by,
            fields={"visit_starts_at": starts_at, "visit_place": place},
            before=before if rescheduled else None,
            after={"starts_at": starts_at, "place": place},
        )
        group = group_of(diagnosis)
        context = {"diagnosis": diagnosis, "group": group, "rescheduled": rescheduled}
        mail.send(
            "scheduled",
            [m.expert.email for m in group] + selectors.enterprise_emails(diagnosis.enterprise),
            context,
        )
    return diagnosis
