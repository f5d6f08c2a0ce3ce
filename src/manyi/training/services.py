"""The only code that changes training classes and who is enrolled in them.

- `create_class` / `update_class`: the organiser's class (an enterprise's is internal).
- `close_enrolment` / `reopen_enrolment` / `cancel_class` / `mark_held`: the class's moves
  (see `MOVES`); each is one UPDATE with the old status in its filter, so a second person
  pressing the same button is told politely.
Enrolment is `training.enrolling`; attendance and scores `training.results`; employee files
`training.employees`; yearly plans `training.plans`.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.accounts.models import Membership
from manyi.accounts.roles import Role
from manyi.common.services import hold_message, log_activity, snapshot
from manyi.programme.models import ActivityKind, PlannedActivity, PlanStatus
from manyi.training import access
from manyi.training.models import ClassStatus, Topic, TrainingClass

CLASS_FIELDS = (
    "topic",
    "title",
    "teachers",
    "description",
    "starts_at",
    "ends_at",
    "hours",
    "place",
    "capacity",
    "enrol_closes_at",
    "pass_score",
    "planned_activity",
)
# A class page lists everyone enrolled on one page: a lecture hall, not a stadium.
MAX_CAPACITY = 1000
MIN_HOURS, MAX_HOURS = Decimal("0.5"), Decimal("200")

# The moves of a class (from, to); each target's log code and the Action that allows it.
MOVES = {
    (ClassStatus.OPEN, ClassStatus.CLOSED),
    (ClassStatus.CLOSED, ClassStatus.OPEN),
    (ClassStatus.OPEN, ClassStatus.CANCELLED),
    (ClassStatus.CLOSED, ClassStatus.CANCELLED),
    (ClassStatus.OPEN, ClassStatus.HELD),
    (ClassStatus.CLOSED, ClassStatus.HELD),
}
TARGETS = {
    ClassStatus.CLOSED: ("training.class_close", access.CLOSE_ENROLMENT),
    ClassStatus.OPEN: ("training.class_reopen", access.REOPEN_ENROLMENT),
    ClassStatus.CANCELLED: ("training.class_cancel", access.CANCEL_CLASS),
    ClassStatus.HELD: ("training.class_held", access.MARK_HELD),
}


def training_activities():
    """The planned activities a class may carry out: training in a published annual plan."""
    return PlannedActivity.objects.filter(
        kind=ActivityKind.TRAINING, plan__status=PlanStatus.PUBLISHED
    ).select_related("plan")


def _text(value) -> str:
    return (value or "").strip()


def _checked_class(data: dict, *, current: TrainingClass | None = None) -> dict:
    """The class's fields cleaned, or ValidationError (a dict by field) listing every problem.
    A class being edited may keep a start in the past; a new one starts in the future."""
    errors: dict[str, list[str]] = {}
    clean = {name: data.get(name) for name in CLASS_FIELDS}
    for name, message in (
        ("title", _("请填写班名")),
        ("teachers", _("请填写授课老师")),
        ("place", _("请填写地点")),
    ):
        clean[name] = _text(clean[name])
        if not clean[name]:
            errors[name] = [message]
    clean["description"] = _text(clean["description"])
    if clean["topic"] not in Topic.values:
        errors["topic"] = [_("请从第十八条的培训内容中选择")]
    starts, ends, closes = clean["starts_at"], clean["ends_at"], clean["enrol_closes_at"]
    if not isinstance(starts, dt.datetime):
        errors["starts_at"] = [_("请填写开始时间")]
    elif (current is None or starts != current.starts_at) and starts <= timezone.now():
        errors["starts_at"] = [_("开始时间应晚于现在")]
    if not isinstance(ends, dt.datetime):
        errors["ends_at"] = [_("请填写结束时间")]
    elif isinstance(starts, dt.datetime) and ends <= starts:
        errors["ends_at"] = [_("结束时间应晚于开始时间")]
    if closes is not None and isinstance(starts, dt.datetime) and closes > starts:
        errors["enrol_closes_at"] = [_("报名截止时间不能晚于开始时间")]
    hours = clean["hours"]
    if hours is None or not MIN_HOURS <= hours <= MAX_HOURS:
        errors["hours"] = [_("学时应在 0.5 到 200 之间")]
    capacity = clean["capacity"]
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [_("名额应在 1 到 %(max)d 之间") % {"max": MAX_CAPACITY}]
    elif current is not None and capacity < current.enrolments.count():
        errors["capacity"] = [
            _("已有 %(n)d 人报名，名额不能少于已报名人数") % {"n": current.enrolments.count()}
        ]
    if clean["pass_score"] is None:
        clean["pass_score"] = Decimal(60)
    elif not 0 <= clean["pass_score"] <= 100:
        errors["pass_score"] = [_("合格分数应在 0 到 100 之间")]
    activity = clean["planned_activity"]
    if activity is not None and not training_activities().filter(pk=activity.pk).exists():
        errors["planned_activity"] = [_("只能选择已发布的年度计划中的培训活动")]
    if errors:
        raise ValidationError(errors)
    return clean


def create_class(*, by, organiser, **fields) -> TrainingClass:
    """Schedule a class for `organiser` (the user's agency, office or enterprise).

    Refused (nothing stored): an organiser the user does not work for; any field out of
    bounds (all listed at once). A class organised by an enterprise is internal: only its
    own employees enrol. Side effects: the TrainingClass (open for enrolment); an
    activity-log entry ``training.class_create``.
    """
    access.SCHEDULE.require(by, organiser)
    clean = _checked_class(fields)
    with transaction.atomic():
        training_class = TrainingClass.objects.create(
            organiser=organiser,
            is_internal=organiser.is_enterprise,
            created_by=by,
            **clean,
        )
        log_activity(
            actor=by,
            action="training.class_create",
            obj=training_class,
            organisation=organiser,
            after=snapshot(training_class, [*CLASS_FIELDS[:-1], "planned_activity_id"]),
        )
    return training_class


def update_class(*, by, training_class: TrainingClass, **fields) -> TrainingClass:
    """Change an open or closed class (the capacity never below those enrolled).

    Side effects: the changed fields saved; an activity-log entry ``training.class_update``
    with the values before and after. Nothing changed, nothing logged.
    """
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        access.EDIT_CLASS.require(by, locked)
        clean = _checked_class(fields, current=locked)
        changed = [name for name in CLASS_FIELDS if getattr(locked, name) != clean[name]]
        if not changed:
            return locked
        columns = [locked._meta.get_field(name).attname for name in changed]
        before = snapshot(locked, columns)
        for name in changed:
            setattr(locked, name, clean[name])
        locked.save(update_fields=changed)
        log_activity(
            actor=by,
            action="training.class_update",
            obj=locked,
            organisation=locked.organiser,
            before=before,
            after=snapshot(locked, columns),
        )
    return locked


def _move(*, by, training_class: TrainingClass, to: str, note: str = "", **extra) -> TrainingClass:
    """The one door that changes a class's status: checks the move and the person, updates
    with the old status in the filter, logs."""
    old = training_class.status
    code, action = TARGETS[to]
    # The person first (a refusal by role is the same whatever the state), then the state.
    action.require(by, training_class)
    if (old, to) not in MOVES:
        raise ValidationError(
            _("培训班不能从“%(old)s”改为“%(new)s”")
            % {"old": ClassStatus(old).label, "new": ClassStatus(to).label}
        )
    updated = TrainingClass.objects.filter(pk=training_class.pk, status=old).update(
        status=to, **extra
    )
    if not updated:
        current = TrainingClass.objects.get(pk=training_class.pk)
        raise ValidationError(
            _("该培训班刚被其他同事修改为“%(status)s”，请刷新后再操作")
            % {"status": current.get_status_display()}
        )
    training_class.status = to
    for name, value in extra.items():
        setattr(training_class, name, value)
    log_activity(
        actor=by,
        action=code,
        obj=training_class,
        organisation=training_class.organiser,
        before={"status": old},
        after={"status": to, **extra},
        note=note,
    )
    return training_class


@transaction.atomic
def close_enrolment(*, by, training_class: TrainingClass) -> TrainingClass:
    """Stop taking enrolments. Side effects: status closed; ``training.class_close`` logged."""
    return _move(by=by, training_class=training_class, to=ClassStatus.CLOSED)


@transaction.atomic
def reopen_enrolment(*, by, training_class: TrainingClass) -> TrainingClass:
    """Take enrolments again (before the class starts). Side effects: status open;
    ``training.class_reopen`` logged."""
    return _move(by=by, training_class=training_class, to=ClassStatus.OPEN)


@transaction.atomic
def mark_held(*, by, training_class: TrainingClass) -> TrainingClass:
    """The class took place (once it has started). Side effects: status held (no more
    enrolment or editing; attendance and scores may still be corrected);
    ``training.class_held`` logged."""
    return _move(by=by, training_class=training_class, to=ClassStatus.HELD)


def cancel_class(*, by, training_class: TrainingClass, reason: str) -> TrainingClass:
    """Call the class off, with the reason the enrolled organisations are told.

    Side effects, in one transaction: status cancelled with the reason;
    ``training.class_cancel`` logged; one mail to each enterprise user of every organisation
    with people enrolled (sent after commit). The enrolments stay, so the files show the
    class as cancelled rather than forgetting it.
    """
    access.CANCEL_CLASS.require(by, training_class)
    reason = _text(reason)
    if not reason:
        raise ValidationError(_("请填写取消原因，报名单位会收到通知"))
    with transaction.atomic():
        _move(
            by=by,
            training_class=training_class,
            to=ClassStatus.CANCELLED,
            note=reason,
            cancel_reason=reason[:2000],
        )
        _tell_enrolled(training_class)
    return training_class


def _tell_enrolled(training_class: TrainingClass) -> None:
    organisations = set(training_class.enrolments.values_list("employee__organisation", flat=True))
    people = (
        Membership.objects.filter(
            organisation_id__in=organisations,
            role=Role.ENTERPRISE_USER,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user", "organisation")
        .order_by("organisation_id", "user_id")
    )
    for membership in people:
        names = list(
            training_class.enrolments.filter(employee__organisation=membership.organisation)
            .order_by("employee__name")
            .values_list("employee__name", flat=True)
        )
        context = {
            "training_class": training_class,
            "organisation": membership.organisation,
            "names": names,
            "site_url": settings.SITE_URL,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("training/emails/class_cancelled_subject.txt", context)
            body = render_to_string("training/emails/class_cancelled_body.txt", context)
        hold_message(
            to=membership.user.email,
            subject=subject,
            body_text=body,
            template="training_class_cancelled",
        )
