"""The portal's one write of its own: the activity-log export is itself logged."""

from manyi.common.exports import activity_log_workbook
from manyi.common.services import log_activity


def export_activity_log(*, entries, filters: dict, by) -> bytes:
    """The filtered log as Excel. Side effects: an activity-log entry ("activity_log.export")."""
    content = activity_log_workbook(entries)
    log_activity(
        actor=by,
        action="activity_log.export",
        note=str({k: str(v) for k, v in filters.items()}),
    )
    return content
