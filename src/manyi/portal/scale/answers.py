"""The grown responses' answers: a pool of plausible answer sets per questionnaire (higher
scores for an award, lower for one not awarded), drawn from for each completed contact.

A pool, not one set per response: 100,000 responses × 22 questions of Gaussian scores and a
fingerprint each cost more than the rest of the survey step.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from manyi.fieldwork import quality
from manyi.fieldwork.models import Channel, ItemKind, ItemPurpose, QcStatus

POOL_SIZE = 400
RESPONSE_FIELDS = (
    "survey_id",
    "contact_id",
    "questionnaire_id",
    "channel",
    "answers",
    "screening_passed",
    "complaint",
    "started_at",
    "submitted_at",
    "duration_seconds",
    "interviewer_id",
    "fingerprint",
    "qc_flags",
    "qc_status",
    "qc_reason",
    "qc_at",
)
QC = (QcStatus.CLEAN.value, QcStatus.APPROVED.value, QcStatus.REJECTED.value)
QC_CUMULATIVE = (93, 96, 100)


class AnswerPool:
    def __init__(self, rng):
        self.rng = rng
        self.pools: dict[tuple[int, bool], list] = {}

    def pick(self, questionnaire, award: bool) -> tuple[dict, str, bool | None]:
        """(answers, fingerprint, complaint) of one response."""
        key = (questionnaire.pk, award)
        if key not in self.pools:
            self.pools[key] = [self._make(questionnaire, award) for _ in range(POOL_SIZE)]
        return self.rng.choice(self.pools[key])

    def _make(self, questionnaire, award: bool):
        rng, questions = self.rng, questionnaire.questions
        centre = 8.4 if award else 6.4
        answers, complaint = {}, None
        for q in questions:
            if q["kind"] == ItemKind.SCORE:
                value = max(q["min"], min(q["max"], round(rng.gauss(centre, 1.3))))
            elif q["kind"] == ItemKind.YES_NO:
                value = rng.random() < 0.07 if q["purpose"] == ItemPurpose.COMPLAINT else True
                if q["purpose"] == ItemPurpose.COMPLAINT:
                    complaint = value
            else:
                value = ""
            answers[q["code"]] = value
        return answers, quality.fingerprint(quality.scores(questions, answers)), complaint


@dataclass
class Answered:
    """One response before its survey and contact have keys."""

    index: int  # of its contact in the survey's rows
    values: list  # RESPONSE_FIELDS from "questionnaire_id" on
    qc: str
    channel: str
    complaint: bool | None
    submitted_at: datetime

    @property
    def usable(self) -> bool:
        return self.qc != QcStatus.REJECTED

    def row(self, survey_id: int, contact_id: int) -> tuple:
        return (survey_id, contact_id, *self.values)


def response_row(world, survey, index: int, contact: list, picked) -> Answered:
    """The response of the completed contact `contact` (a row of fieldwork.CONTACT_FIELDS)."""
    rng = world.rng
    answers, fingerprint, complaint = picked
    web = contact[10] is not None  # it has a link: answered on the web
    opens = survey.field_opens
    submitted = world.now.replace(year=opens.year, month=opens.month, day=opens.day) + timedelta(
        days=rng.randrange(0, 20), hours=rng.randrange(8, 20)
    )
    submitted = min(submitted, world.now - timedelta(hours=1))
    seconds = rng.randrange(150, 700)
    qc = rng.choices(QC, cum_weights=QC_CUMULATIVE)[0]
    clean = qc == QcStatus.CLEAN
    channel = Channel.WEB.value if web else Channel.PHONE.value
    return Answered(
        index=index,
        values=[
            survey.questionnaire.pk,
            channel,
            answers,
            True,
            complaint,
            submitted - timedelta(seconds=seconds),
            submitted,
            seconds,
            None if web else contact[8],
            fingerprint,
            [] if clean else ["too_fast"],
            qc,
            "" if clean else "复核录音后确认。",
            None if clean else submitted + timedelta(days=1),
        ],
        qc=qc,
        channel=channel,
        complaint=complaint,
        submitted_at=submitted,
    )
