"""Responses through an own survey's collection link (/q/<token>/): no account, one response
per browser, a limit per network address, quality flags on arrival.

One response per browser: the page gives the browser a random cookie; what is stored is an
HMAC of it (per survey), so the table alone does not link a response to a browser. Clearing
cookies gets around it, as with any anonymous link; the rate limit per address and the
duplicate and speed checks catch the crude cases, and the enterprise excludes what it judges
unusable before closing.
"""

import datetime as dt
import enum

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from manyi.common import ratelimit
from manyi.common.services import log_activity
from manyi.fieldwork import quality
from manyi.fieldwork.questions import (
    complaint_of,
    questions_of,
    read_answers,
    screening_passed,
    suggestion_of,
)
from manyi.fieldwork.responses import AlreadyAnswered, SurveyNotInField
from manyi.selfmeasure.access import SCREENED_OUT
from manyi.selfmeasure.models import OwnResponse, OwnSurvey, OwnSurveyStatus

# Responses accepted from one network address per hour: a shop's guest Wi-Fi serves many
# customers, a script one address.
RESPONSES_PER_HOUR = 30
RATE_SCOPE = "selfmeasure:responses"
COOKIE = "manyi_q"
COOKIE_MAX_AGE = 366 * 24 * 3600
_KEY_SALT = "manyi.selfmeasure.respondent"
_START_SALT = "manyi.selfmeasure.started"


class LinkState(enum.StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    CLOSED = "closed"
    UNKNOWN = "unknown"
    ANSWERED = "answered"


def find_survey(token: str) -> OwnSurvey | None:
    if not token or len(token) > 64:
        return None
    return (
        OwnSurvey.objects.select_related("organisation", "questionnaire")
        .filter(token=token)
        .first()
    )


def state_of(survey: OwnSurvey | None, *, today: dt.date | None = None) -> LinkState:
    if survey is None:
        return LinkState.UNKNOWN
    if survey.status == OwnSurveyStatus.CLOSED:
        return LinkState.CLOSED
    today = today or timezone.localdate()
    if today < survey.opens_on:
        return LinkState.NOT_YET
    if today > survey.closes_on:
        return LinkState.EXPIRED
    return LinkState.OPEN


def respondent_key(survey: OwnSurvey, cookie: str) -> str:
    """The HMAC stored for a browser's cookie (per survey: one cookie gives unrelated keys)."""
    return salted_hmac(_KEY_SALT, f"{survey.pk}:{cookie}", algorithm="sha256").hexdigest()


def has_answered(survey: OwnSurvey, cookie: str | None) -> bool:
    return (
        bool(cookie)
        and survey.responses.filter(respondent_key=respondent_key(survey, cookie)).exists()
    )


def start_stamp(survey: OwnSurvey, now: dt.datetime | None = None) -> str:
    """A signed note of when the page was opened, sent back with the answers (the speed
    check needs it, and no draft is kept on the server)."""
    moment = now or timezone.now()
    return signing.dumps({"s": survey.pk, "t": moment.timestamp()}, salt=_START_SALT)


def started_at(survey: OwnSurvey, stamp: str | None) -> dt.datetime | None:
    """The time in a stamp of this survey; None when it is missing, forged or another
    survey's (the response then counts as answered in no time: flagged too fast)."""
    try:
        data = signing.loads(stamp or "", salt=_START_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != survey.pk:
        return None
    return dt.datetime.fromtimestamp(float(data["t"]), tz=dt.UTC)


def allowed(ip: str | None) -> bool:
    """Whether the address may still send one more response this hour."""
    return ratelimit.allowed(RATE_SCOPE, ip, RESPONSES_PER_HOUR)


def rate_refusal() -> str:
    return _("同一网络地址每小时最多提交 %(n)d 份问卷，请稍后再试") % {"n": RESPONSES_PER_HOUR}


def read_form(survey: OwnSurvey, data) -> tuple[dict, dict]:
    """The answers of a submitted page and the errors ``{code: message}``
    (`fieldwork.questions.read_answers`)."""
    return read_answers(questions_of(survey.questionnaire), data, form_fields=True)


def record_own_response(
    *,
    survey: OwnSurvey,
    answers: dict,
    cookie: str,
    started: dt.datetime | None,
    submitted_at: dt.datetime | None = None,
    ip: str | None = None,
) -> OwnResponse:
    """Store one complete questionnaire of a browser (answers from `read_form`, without errors).

    Quality flags on arrival, the fieldwork's checks (`fieldwork.quality.check`): too fast
    for the questionnaire's minimum time, the same score everywhere, the same scores as an
    earlier response; a respondent screened out is kept but excluded. Side effects, in order:
    the OwnResponse; one activity-log entry; one count against the address's hourly limit.
    Raises SurveyNotInField when the link no longer takes answers, AlreadyAnswered when this
    browser already answered.
    """
    questionnaire = survey.questionnaire
    questions = questions_of(questionnaire)
    submitted_at = submitted_at or timezone.now()
    started = min(started or submitted_at, submitted_at)
    seconds = int((submitted_at - started).total_seconds())
    passed = screening_passed(questions, answers)
    scored = quality.scores(questions, answers)
    fingerprint = quality.fingerprint(scored)
    complaint, _words = complaint_of(questions, answers)
    key = respondent_key(survey, cookie)
    try:
        with transaction.atomic():
            # Closing locks the row for update before reading the responses: one under way
            # finishes first, none arrives after the data set was built.
            locked = OwnSurvey.objects.select_for_update().get(pk=survey.pk)
            if state_of(locked, today=timezone.localdate()) != LinkState.OPEN:
                raise SurveyNotInField()
            same = bool(fingerprint) and (
                OwnResponse.objects.filter(survey=survey, fingerprint=fingerprint).exists()
            )
            flags = quality.check(
                questions=questions,
                answers=answers,
                seconds=seconds,
                min_seconds=questionnaire.min_seconds,
                screening_passed=passed,
                other_answers=[scored] if same else (),
            )
            response = OwnResponse.objects.create(
                survey=survey,
                answers=answers,
                complaint=complaint,
                suggestion=suggestion_of(questions, answers),
                started_at=started,
                submitted_at=submitted_at,
                duration_seconds=seconds,
                respondent_key=key,
                fingerprint=fingerprint,
                flags=flags,
                excluded=SCREENED_OUT in flags,
            )
            log_activity(
                actor=_("自主调查受访者"),
                action="response.record",
                obj=response,
                organisation=survey.organisation,
                after={"channel": "own_survey", "flags": flags, "seconds": seconds},
            )
    except IntegrityError as exc:
        if OwnResponse.objects.filter(survey=survey, respondent_key=key).exists():
            raise AlreadyAnswered() from exc
        raise
    ratelimit.count(RATE_SCOPE, ip)
    return response
