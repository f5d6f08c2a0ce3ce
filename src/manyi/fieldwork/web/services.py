"""Invitations and reminders to the web questionnaire, sent by the worker in batches.

Staff press a button (`send_invitations`, `send_reminders`): the run is marked as under way in
the cache (web and worker share it) and a job (`common.jobs`) is queued. The job
(`deliver_invitations`, `deliver_reminders`) claims contacts in batches, each in its own
transaction: a new link, the e-mail in the outbox, the contact's new state. A contact is
claimed with its old state in the filter, so two runs never mail the same person twice, and a
job run again after its worker was killed sends only to those the dead attempt had not
committed (a batch's mail and its contacts' new state commit together, or not at all).
"""

import math
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.jobs import JobKind, enqueue
from manyi.common.punctuation import local_date
from manyi.common.services import log_activity, queue_email
from manyi.fieldwork.access import SEND_INVITATIONS
from manyi.fieldwork.models import ContactStatus, SampledContact, Survey, SurveyStatus
from manyi.fieldwork.questions import questions_of
from manyi.fieldwork.web.links import link_expiry, new_token

BATCH_SIZE = 200
REMIND_AFTER = timedelta(days=3)
MAX_REMINDERS = 2
# A run whose worker died stops showing as under way after this long.
RUN_SECONDS = 3600
SECONDS_PER_QUESTION = 12


def run_key(survey_id: int) -> str:
    return f"fieldwork:web:run:{survey_id}"


def run_of(survey) -> dict | None:
    """The run under way for this survey: {"kind", "total", "done"}, or None."""
    return cache.get(run_key(survey.pk))


def forget_run(survey_id: int) -> None:
    cache.delete(run_key(survey_id))


def invitable(survey):
    """Contacts that get an invitation: drawn into the field, with an e-mail, not yet invited."""
    return SampledContact.objects.filter(
        survey=survey, is_reserve=False, status=ContactStatus.PENDING
    ).exclude(email="")


def remindable(survey, now=None):
    """Invited contacts without an answer whose last message is at least three days old and
    who had fewer than two reminders."""
    since = (now or timezone.now()) - REMIND_AFTER
    return (
        SampledContact.objects.filter(
            survey=survey,
            is_reserve=False,
            status=ContactStatus.INVITED,
            response__isnull=True,
            invited_at__lte=since,
            reminders__lt=MAX_REMINDERS,
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=since))
        .exclude(email="")
    )


def minutes_needed(survey) -> int:
    """What the invitation promises: about this many minutes for the questionnaire."""
    return max(3, math.ceil(len(questions_of(survey.questionnaire)) * SECONDS_PER_QUESTION / 60))


def issue_link(*, contact) -> str:
    """A new link for one contact (an earlier one stops working; saved answers stay); returns
    the token, which is nowhere stored.

    Side effects: the contact's token hash and expiry saved.
    """
    token, token_hash = new_token()
    expires_at = link_expiry(contact.survey)
    SampledContact.objects.filter(pk=contact.pk).update(
        token_hash=token_hash, token_expires_at=expires_at
    )
    contact.token_hash, contact.token_expires_at = token_hash, expires_at
    return token


def _check_period(survey) -> None:
    if timezone.now() >= link_expiry(survey):
        raise ValidationError(
            _("调查截止日期（%(date)s）已过，不能再发送链接")
            % {"date": local_date(survey.field_closes)}
        )


def _start_run(*, survey, by, kind: str, total: int) -> None:
    # cache.add claims the run: of two presses at once, the second is told to wait.
    if not cache.add(run_key(survey.pk), {"kind": kind, "total": total, "done": 0}, RUN_SECONDS):
        raise ValidationError(_("邀请或提醒正在发送中，请等待完成后再操作"))
    enqueue(JobKind.SURVEY_SEND, survey.pk, mode=kind, by=by.pk)


def send_invitations(*, survey, by) -> int:
    """Queue the invitations of every contact in `invitable`; returns how many.

    Side effects, in order: the run marked as under way (cache); a job, handed to the worker
    after commit, that sends them in batches (`deliver_invitations`).
    """
    SEND_INVITATIONS.require(by, survey)
    _check_period(survey)
    total = invitable(survey).count()
    if not total:
        raise ValidationError(_("没有待发送邀请的样本：需有电子邮箱且尚未邀请"))
    _start_run(survey=survey, by=by, kind="invite", total=total)
    return total


def send_reminders(*, survey, by) -> int:
    """Queue a reminder, with a new link, to every contact in `remindable`; returns how many.

    Side effects, in order: the run marked as under way (cache); a job, handed to the worker
    after commit, that sends them in batches (`deliver_reminders`).
    """
    SEND_INVITATIONS.require(by, survey)
    _check_period(survey)
    total = remindable(survey).count()
    if not total:
        raise ValidationError(
            _("没有需要提醒的样本：邀请发出满 3 天、尚未作答且提醒少于 2 次的才会提醒")
        )
    _start_run(survey=survey, by=by, kind="remind", total=total)
    return total


def _mail_context(survey) -> dict:
    return {
        "enterprise": survey.application.organisation.name,
        "firm": survey.firm.name,
        "year": survey.campaign.year,
        "questions": len(questions_of(survey.questionnaire)),
        "minutes": minutes_needed(survey),
        "until": survey.field_closes,
    }


def _deliver(*, survey, by, kind: str) -> int:
    """Send the run's messages in batches while the survey is in the field; returns how many.

    Each batch, in one transaction: per contact, the new link and its state (claimed with the
    old state in the filter) and the e-mail in the outbox. Then one activity-log entry with
    the count. The run's progress is kept in the cache and cleared at the end.
    """
    invite = kind == "invite"
    context = _mail_context(survey)
    expires_at = link_expiry(survey)
    sent = 0
    try:
        while Survey.objects.filter(pk=survey.pk, status=SurveyStatus.IN_FIELD).exists():
            now = timezone.now()
            pool = invitable(survey) if invite else remindable(survey, now)
            with transaction.atomic():
                batch = list(
                    pool.order_by("position").values_list("pk", "email", "reminders")[:BATCH_SIZE]
                )
                for pk, email, reminders in batch:
                    token, token_hash = new_token()
                    if not _claim(
                        pk,
                        reminders,
                        invite=invite,
                        token_hash=token_hash,
                        now=now,
                        expires_at=expires_at,
                    ):
                        continue  # answered, or taken by another run, meanwhile
                    queue_email(
                        to=email,
                        template="fieldwork_invitation" if invite else "fieldwork_reminder",
                        context={**context, "url": reverse("survey:answer", args=[token])},
                    )
                    sent += 1
            _progress(survey, sent)
            if len(batch) < BATCH_SIZE:
                break
        if sent:
            log_activity(
                actor=by,
                action="survey.invite" if invite else "survey.remind",
                obj=survey,
                organisation=survey.application.organisation,
                after={"sent": sent},
            )
    finally:
        forget_run(survey.pk)
    return sent


def _claim(pk, reminders, *, invite, token_hash, now, expires_at) -> bool:
    """The contact's new link and state, if it is still where the batch found it."""
    link = {"token_hash": token_hash, "token_expires_at": expires_at}
    if invite:
        return bool(
            SampledContact.objects.filter(pk=pk, status=ContactStatus.PENDING).update(
                status=ContactStatus.INVITED, invited_at=now, **link
            )
        )
    return bool(
        SampledContact.objects.filter(
            pk=pk, status=ContactStatus.INVITED, reminders=reminders
        ).update(reminders=F("reminders") + 1, reminded_at=now, **link)
    )


def _progress(survey, done: int) -> None:
    run = cache.get(run_key(survey.pk))
    if run is not None:
        cache.set(run_key(survey.pk), {**run, "done": done}, RUN_SECONDS)


def deliver_invitations(*, survey, by) -> int:
    """The worker's half of `send_invitations`: each invitable contact gets a link by e-mail
    and becomes invited. Side effects: see `_deliver`."""
    return _deliver(survey=survey, by=by, kind="invite")


def deliver_reminders(*, survey, by) -> int:
    """The worker's half of `send_reminders`: a new link (the earlier one stops working), one
    more reminder counted. Side effects: see `_deliver`."""
    return _deliver(survey=survey, by=by, kind="remind")
