"""Questions as respondents see them, and answers read back from a form (pure functions).

A question is a plain dict, the same for a draft (built from the item bank), a published
version (frozen in `Questionnaire.questions`), the web page, the interviewer's screen and the
API::

    {"code": "sat1", "kind": "score", "purpose": "model", "indicator": "sat1",
     "text": {"zh": "…", "en": "…"}, "min": 1, "max": 10, "unknown": True,
     "anchors": {"zh": ["非常不满意", "非常满意"], "en": ["…", "…"]}}

Answers are ``{code: value}``: an int for a score (``None`` for 不清楚/不适用), a bool for
a yes/no question, a string for an open question. A failed screening question ends the
questionnaire: nothing after it is asked.
"""

from collections.abc import Mapping

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from manyi.fieldwork.models import ItemKind, ItemPurpose

UNKNOWN = "na"  # the form value of 不清楚/不适用
MAX_TEXT = 2000
FIELD_PREFIX = "q_"


def item_question(item) -> dict:
    return {
        "code": item.code,
        "kind": item.kind,
        "purpose": item.purpose,
        "indicator": item.indicator,
        "text": {"zh": item.text_zh, "en": item.text_en or item.text_zh},
        "min": item.scale_min,
        "max": item.scale_max,
        "unknown": item.allows_unknown,
        "anchors": {
            "zh": [item.anchor_low_zh, item.anchor_high_zh],
            "en": [
                item.anchor_low_en or item.anchor_low_zh,
                item.anchor_high_en or item.anchor_high_zh,
            ],
        },
    }


def questions_of(questionnaire) -> list[dict]:
    """The frozen questions of a published version; a draft's are read from the bank."""
    if questionnaire.is_frozen:
        return list(questionnaire.questions)
    return [item_question(e.item) for e in questionnaire.entries.select_related("item")]


def in_language(question: dict, language: str | None = None) -> dict:
    """The question with `text` and `anchors` in one language (the page's, by default)."""
    lang = "en" if (language or get_language() or "zh").startswith("en") else "zh"
    scale = (
        list(range(question["min"], question["max"] + 1))
        if question["kind"] == ItemKind.SCORE
        else []
    )
    return {
        **question,
        "field": FIELD_PREFIX + question["code"],
        "label": question["text"][lang],
        "low": question["anchors"][lang][0],
        "high": question["anchors"][lang][1],
        "scale": scale,
    }


def indicators_of(questions: list[dict]) -> list[str]:
    return [
        q["indicator"] for q in questions if q["purpose"] == ItemPurpose.MODEL and q["indicator"]
    ]


def _value(question: dict, raw):
    """The answer to one question from one form value; raises ValueError when it is not one."""
    kind = question["kind"]
    if kind == ItemKind.SCORE:
        if raw in (None, UNKNOWN) and question["unknown"]:
            return None
        value = int(raw)
        if not question["min"] <= value <= question["max"]:
            raise ValueError
        return value
    if kind == ItemKind.YES_NO:
        if raw in (True, "yes", "1", "true", 1):
            return True
        if raw in (False, "no", "0", "false", 0):
            return False
        raise ValueError
    return str(raw).strip()[:MAX_TEXT]


def passes_screening(question: dict, value) -> bool:
    # A screening question asks "are you a customer…", "did you use… in the data year": yes passes.
    return question["purpose"] != ItemPurpose.SCREEN or value is True


def read_answers(
    questions: list[dict], data: Mapping, *, partial: bool = False, form_fields: bool = True
) -> tuple[dict, dict]:
    """Answers and errors ``{code: message}`` from submitted data.

    `data` is a form (keys ``q_<code>``, with `form_fields`) or an answers dict (keys are the
    codes: the API). With `partial` (saving as one goes) a missing answer is no error.
    """
    answers: dict = {}
    errors: dict = {}
    for question in questions:
        code = question["code"]
        key = FIELD_PREFIX + code if form_fields else code
        # A form leaves an unanswered question empty; the API may send null for 不清楚.
        present = key in data and (data[key] not in ("", None) or not form_fields)
        if not present:
            if question["kind"] != ItemKind.TEXT and not partial:
                errors[code] = _("请回答此题")
            continue
        try:
            answers[code] = _value(question, data[key])
        except (TypeError, ValueError):
            errors[code] = _("回答无效")
            continue
        if not passes_screening(question, answers[code]):
            break  # nothing after a failed screening question is asked
    return answers, errors


def screening_passed(questions: list[dict], answers: dict) -> bool:
    return all(
        passes_screening(q, answers.get(q["code"]))
        for q in questions
        if q["purpose"] == ItemPurpose.SCREEN and q["code"] in answers
    )


def complaint_of(questions: list[dict], answers: dict) -> tuple[bool | None, str]:
    """The yes/no complaint answer and the complaint's words (feeds the complaint rate)."""
    said = None
    words = ""
    for q in questions:
        if q["purpose"] != ItemPurpose.COMPLAINT or q["code"] not in answers:
            continue
        if q["kind"] == ItemKind.YES_NO and said is None:
            said = answers[q["code"]]
        elif q["kind"] == ItemKind.TEXT:
            words = answers[q["code"]]
    return said, words


def suggestion_of(questions: list[dict], answers: dict) -> str:
    return "\n".join(
        answers[q["code"]]
        for q in questions
        if q["purpose"] == ItemPurpose.OPEN
        and q["kind"] == ItemKind.TEXT
        and answers.get(q["code"])
    )


def for_form(
    questions: list[dict], answers: dict | None = None, errors: dict | None = None
) -> list[dict]:
    """Questions in the page's language with the current answer (as the form's value) and
    error of each: what `fieldwork/_questionnaire.html` draws."""
    answers = answers or {}
    errors = errors or {}
    out = []
    for question in questions:
        q = in_language(question)
        value = answers.get(q["code"], "")
        if q["code"] in answers and value is None:
            value = UNKNOWN
        elif value is True:
            value = "yes"
        elif value is False:
            value = "no"
        q["value"] = str(value)
        q["error"] = errors.get(q["code"], "")
        out.append(q)
    return out
