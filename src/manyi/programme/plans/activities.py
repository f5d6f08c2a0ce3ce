"""The only code that changes the annual plan's activities (Art. 9): those around the theme,
each with its dates and the body responsible, and its progress.

- `add_activity` / `update_activity` / `delete_activity`: the activities of a plan.
- `record_held` / `cancel_activity`: an activity's progress, moving

    planned ──record_held──► held ──record_held (a correction)──► held
       └────cancel_activity──► cancelled

Every function checks its Action, runs in one transaction and writes an activity-log entry.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import OrgKind
from manyi.common.services import log_activity, snapshot
from manyi.programme.models import ActivityKind, ActivityStatus, AnnualPlan, PlannedActivity
from manyi.programme.plans.access import (
    ADD_ACTIVITY,
    CANCEL_ACTIVITY,
    DELETE_ACTIVITY,
    EDIT_ACTIVITY,
    RECORD_HELD,
)
from manyi.programme.plans.services import race_lost

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "title_en",
    "starts_on",
    "ends_on",
    "responsible_organisation_id",
    "responsible",
)
# The bodies that carry out planned activities: the programme's offices and its agencies.
RESPONSIBLE_KINDS = (OrgKind.ASSOCIATION, OrgKind.COMMITTEE, OrgKind.WORKDEPT, OrgKind.AGENCY)


def _refused(message):
    raise ValidationError(message)


def _activity_fields(
    plan, *, kind, title, title_en, starts_on, ends_on, responsible_organisation, responsible
) -> dict:
    """The activity's fields cleaned, or a ValidationError by field listing every problem."""
    errors: dict[str, list[str]] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = [_("请选择活动类型")]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写活动名称")]
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = [_("请填写开始日期")]
    elif starts_on.year != plan.year:
        errors["starts_on"] = [_("开始日期应在 %(year)d 年内") % {"year": plan.year}]
    if not isinstance(ends_on, dt.date):
        errors["ends_on"] = [_("请填写结束日期")]
    elif isinstance(starts_on, dt.date) and ends_on < starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期")]
    responsible = (responsible or "").strip()
    if responsible_organisation is not None and responsible_organisation.kind not in (
        RESPONSIBLE_KINDS
    ):
        errors["responsible_organisation"] = [
            _("负责单位应为协会、用户委员会、用户工作部或推进机构")
        ]
    elif responsible_organisation is None and not responsible:
        errors["responsible"] = [_("请选择负责单位，或填写负责单位名称")]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title[:200],
        "title_en": (title_en or "").strip()[:300],
        "starts_on": starts_on,
        "ends_on": ends_on,
        "responsible_organisation": responsible_organisation,
        "responsible": responsible[:200],
    }


def add_activity(
    *,
    plan: AnnualPlan,
    by,
    kind: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    responsible_organisation=None,
    responsible: str = "",
    title_en: str = "",
) -> PlannedActivity:
    """A planned activity of the plan's year, with the body responsible for it.

    Refused (ValidationError by field, nothing stored): no kind or title, dates out of the
    plan's year or out of order, no responsible body. Side effects: the PlannedActivity
    (planned); an activity-log entry "plan.activity_add" on the plan.
    """
    ADD_ACTIVITY.require(by, plan)
    fields = _activity_fields(
        plan,
        kind=kind,
        title=title,
        title_en=title_en,
        starts_on=starts_on,
        ends_on=ends_on,
        responsible_organisation=responsible_organisation,
        responsible=responsible,
    )
    with transaction.atomic():
        activity = PlannedActivity.objects.create(plan=plan, **fields)
        log_activity(
            actor=by,
            action="plan.activity_add",
            obj=plan,
            after={"activity": activity.pk, **snapshot(activity, ACTIVITY_FIELDS)},
        )
    return activity


def update_activity(
    *,
    activity: PlannedActivity,
    by,
    kind: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    responsible_organisation=None,
    responsible: str = "",
    title_en: str = "",
) -> PlannedActivity:
    """Change a planned or held activity's description (not its progress).

    Side effects: the activity's fields; an activity-log entry "plan.activity_update" with
    what changed (none when nothing changed).
    """
    EDIT_ACTIVITY.require(by, activity)
    fields = _activity_fields(
        activity.plan,
        kind=kind,
        title=title,
        title_en=title_en,
        starts_on=starts_on,
        ends_on=ends_on,
        responsible_organisation=responsible_organisation,
        responsible=responsible,
    )
    before = snapshot(activity, ACTIVITY_FIELDS)
    for name, value in fields.items():
        setattr(activity, name, value)
    after = snapshot(activity, ACTIVITY_FIELDS)
    changed = [name for name in ACTIVITY_FIELDS if before[name] != after[name]]
    if not changed:
        return activity
    with transaction.atomic():
        activity.save(update_fields=list(fields))
        log_activity(
            actor=by,
            action="plan.activity_update",
            obj=activity,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return activity


def delete_activity(*, activity: PlannedActivity, by) -> None:
    """Remove a planned activity that nothing refers to (else: cancel it).

    Side effects: the row deleted; an activity-log entry "plan.activity_delete" on the plan
    with what it was.
    """
    DELETE_ACTIVITY.require(by, activity)
    plan = activity.plan
    with transaction.atomic():
        before = {"activity": activity.pk, **snapshot(activity, ACTIVITY_FIELDS)}
        deleted, _rows = PlannedActivity.objects.filter(
            pk=activity.pk, status=ActivityStatus.PLANNED
        ).delete()
        if not deleted:
            raise race_lost()
        log_activity(actor=by, action="plan.activity_delete", obj=plan, before=before)


def checked_link(url: str) -> str:
    """A link to what happened: a path of this site ("/news/12/") or an http(s) address.

    Anything else (javascript:, data:, a protocol-relative "//host") is refused, since the
    public plan page puts it in an href.
    """
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 300:
        _refused({"outcome_url": [_("链接不超过 300 个字符")]})
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        _refused({"outcome_url": [_("链接中不能有空格")]})
    if "\\" in url:
        # Browsers read "/\host" as "//host": another site, not a path of this one.
        _refused({"outcome_url": [_("链接应为本站路径（以 / 开头）或 http(s):// 地址")]})
    parts = urlsplit(url)
    site_path = not parts.scheme and not parts.netloc and url.startswith("/")
    web = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not (site_path and not url.startswith("//")) and not web:
        _refused({"outcome_url": [_("链接应为本站路径（以 / 开头）或 http(s):// 地址")]})
    return url


def record_held(
    *, activity: PlannedActivity, by, held_on: dt.date, outcome: str, outcome_url: str = ""
) -> PlannedActivity:
    """Record that the activity took place: when, what happened, and where to read more.
    Recording again corrects an earlier record.

    Refused (ValidationError by field): no date, a date in the future, no account of what
    happened, a link that is neither a site path nor an http(s) address. Side effects: status
    held with the date, outcome and link; an activity-log entry "plan.activity_held".
    """
    RECORD_HELD.require(by, activity)
    errors: dict[str, list[str]] = {}
    if not isinstance(held_on, dt.date):
        errors["held_on"] = [_("请填写举办日期")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("举办日期不能晚于今天")]
    outcome = (outcome or "").strip()
    if not outcome:
        errors["outcome"] = [_("请简要说明举办情况")]
    try:
        outcome_url = checked_link(outcome_url)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    before = snapshot(activity, ("status", "held_on", "outcome", "outcome_url"))
    with transaction.atomic():
        moved = (
            PlannedActivity.objects.filter(pk=activity.pk)
            .exclude(status=ActivityStatus.CANCELLED)
            .update(
                status=ActivityStatus.HELD,
                held_on=held_on,
                outcome=outcome,
                outcome_url=outcome_url,
            )
        )
        if not moved:
            raise race_lost()
        activity.status, activity.held_on = ActivityStatus.HELD, held_on
        activity.outcome, activity.outcome_url = outcome, outcome_url
        log_activity(
            actor=by,
            action="plan.activity_held",
            obj=activity,
            before=before,
            after={
                "status": ActivityStatus.HELD,
                "held_on": held_on,
                "outcome": outcome,
                "outcome_url": outcome_url,
            },
        )
    return activity


def cancel_activity(*, activity: PlannedActivity, by, reason: str) -> PlannedActivity:
    """The activity will not take place; the reason is shown on the public plan.

    Side effects: status cancelled with the reason as its outcome, only if it was still
    planned; an activity-log entry "plan.activity_cancel".
    """
    CANCEL_ACTIVITY.require(by, activity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写取消原因")]})
    with transaction.atomic():
        moved = PlannedActivity.objects.filter(
            pk=activity.pk, status=ActivityStatus.PLANNED
        ).update(status=ActivityStatus.CANCELLED, outcome=reason)
        if not moved:
            raise race_lost()
        activity.status, activity.outcome = ActivityStatus.CANCELLED, reason
        log_activity(
            actor=by,
            action="plan.activity_cancel",
            obj=activity,
            before={"status": ActivityStatus.PLANNED},
            after={"status": ActivityStatus.CANCELLED},
            note=reason[:500],
        )
    return activity
