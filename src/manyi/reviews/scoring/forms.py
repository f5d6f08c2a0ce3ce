"""What the rubric and score-sheet pages post, read into the services' arguments.

The services check every value; these only pick the fields. Only expert criteria are read
from a score sheet's POST: a value posted for a computed criterion (the index, the form's
figures) is never read.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.reviews.models import CriterionSource

TEXT_READ_MAX = 20000  # longer input is cut before the service's own length check refuses it


def weight_field(code: str) -> str:
    return f"weight-{code}"


def score_field(code: str) -> str:
    return f"score-{code}"


def note_field(code: str) -> str:
    return f"note-{code}"


def weights_from_post(post, criteria) -> dict[str, str]:
    return {c.code: post.get(weight_field(c.code), "").strip()[:20] for c in criteria}


def _date(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValidationError(_("现场核查日期无效，请按 年-月-日 填写")) from exc


def sheet_from_post(post, criteria) -> dict:
    """save_sheet's keyword arguments (but assignment and by) from the sheet's POST."""
    return {
        "scores": {
            c.code: (
                post.get(score_field(c.code), "").strip()[:20],
                post.get(note_field(c.code), "")[:TEXT_READ_MAX],
            )
            for c in criteria
            if c.source == CriterionSource.EXPERT
        },
        "recommendation": post.get("recommendation", "")[:20],
        "comment": post.get("comment", "")[:TEXT_READ_MAX],
        "visited_on": _date(post.get("visited_on", "")),
        "visit_findings": post.get("visit_findings", "")[:TEXT_READ_MAX],
        "submit": post.get("action") == "submit",
    }
