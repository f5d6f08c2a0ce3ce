"""A stored response read back question by question, in the page's language (pure)."""

from django.utils.translation import gettext as _

from manyi.fieldwork.models import ItemKind
from manyi.fieldwork.questions import in_language


def answer_text(question: dict, answers: dict) -> str:
    code = question["code"]
    if code not in answers:
        # Not asked: the questionnaire ended at a failed screening question.
        return _("未作答")
    value = answers[code]
    if question["kind"] == ItemKind.SCORE:
        return _("不清楚/不适用") if value is None else str(value)
    if question["kind"] == ItemKind.YES_NO:
        return _("是") if value else _("否")
    return value or "—"


def answer_rows(questions: list[dict], answers: dict) -> list[dict]:
    """One row per question: its number, wording, kind and the answer in words."""
    rows = []
    for number, question in enumerate(questions, start=1):
        q = in_language(question)
        rows.append(
            {
                "number": number,
                "code": q["code"],
                "label": q["label"],
                "kind": q["kind"],
                "answer": answer_text(q, answers or {}),
                "asked": q["code"] in (answers or {}),
            }
        )
    return rows
