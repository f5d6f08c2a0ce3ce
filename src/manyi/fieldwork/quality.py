"""Quality checks of one response (pure): each check returns a flag code or nothing.

Flags send a response to the survey firm's manager, who approves or rejects it with a reason;
a response with no flag counts as it is.
"""

import hashlib
import json

from django.utils.translation import gettext_lazy as _

from manyi.fieldwork.models import ItemKind

FLAG_LABELS = {
    "too_fast": _("作答过快"),
    "straightlining": _("所有评分完全相同"),
    "duplicate": _("与同一调查的另一份回答完全相同"),
    "screening_failed": _("甄别未通过"),
    # Set by the call-back verification (qc.services.record_verification), not by `check`.
    "not_confirmed": _("回访否认接受过访问"),
}
# Fewer scored answers than this cannot be called "the same answer everywhere".
MIN_SCORES_FOR_STRAIGHTLINING = 5


def flag_words(codes) -> list[str]:
    return [str(FLAG_LABELS.get(code, code)) for code in codes]


def scores(questions: list[dict], answers: dict) -> dict:
    return {
        q["code"]: answers[q["code"]]
        for q in questions
        if q["kind"] == ItemKind.SCORE and answers.get(q["code"]) is not None
    }


def fingerprint(scored: dict) -> str:
    """SHA-256 of the scored answers (stored with the response, for the duplicate check); empty
    when too few are scored to call two responses the same."""
    if len(scored) < MIN_SCORES_FOR_STRAIGHTLINING:
        return ""
    text = json.dumps(sorted(scored.items()), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def check(
    *,
    questions: list[dict],
    answers: dict,
    seconds: int,
    min_seconds: int,
    screening_passed: bool,
    other_answers=(),
) -> list[str]:
    """The flags of a response. `other_answers` are the scored answers of the survey's
    earlier responses (dicts), for the duplicate check."""
    flags = []
    if not screening_passed:
        flags.append("screening_failed")
        return flags  # a screened-out respondent answered nothing else worth checking
    if seconds < min_seconds:
        flags.append("too_fast")
    scored = scores(questions, answers)
    if len(scored) >= MIN_SCORES_FOR_STRAIGHTLINING and len(set(scored.values())) == 1:
        flags.append("straightlining")
    if len(scored) >= MIN_SCORES_FOR_STRAIGHTLINING and any(
        scored == other for other in other_answers
    ):
        flags.append("duplicate")
    return flags
