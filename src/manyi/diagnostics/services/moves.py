"""The one door through which a diagnosis changes status (`states.MOVES`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.diagnostics.access import wrong_state
from manyi.diagnostics.models import Diagnosis
from manyi.diagnostics.states import MOVES


def move(
    *, diagnosis: Diagnosis, to: str, by, fields: dict | None = None, before=None, after=None
) -> Diagnosis:
    """Move `diagnosis` to status `to`, storing `fields` with it. Called inside the caller's
    transaction, after the caller's checks.

    Refused (ValidationError) for a move not in the table, or when someone else moved the
    diagnosis meanwhile (the update filters on the old status and counts the rows). Side
    effects: the row updated; an activity-log entry with the move's code, the old and new
    status and what the caller adds to `before`/`after`.
    """
    old = diagnosis.status
    code = MOVES.get((old, to))
    if code is None:
        raise wrong_state(diagnosis)
    fields = fields or {}
    updated = Diagnosis.objects.filter(pk=diagnosis.pk, status=old).update(status=to, **fields)
    if not updated:
        raise ValidationError(_("该诊断刚刚已由他人处理，请刷新页面后再试"))
    log_activity(
        actor=by,
        action=code,
        obj=diagnosis,
        organisation=diagnosis.enterprise,
        before={"status": old, **(before or {})},
        after={"status": to, **(after or {})},
    )
    diagnosis.status = to
    for name, value in fields.items():
        setattr(diagnosis, name, value)
    return diagnosis
