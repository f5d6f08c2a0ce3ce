"""Worker tasks of notices: thin, they call the service."""

from manyi.titles.notices.services import grant_due_notices as _grant


def grant_due_notices() -> int:
    """Daily (see `titles.schedules`): grant the titles of every 公示 whose period has ended
    with no objection open."""
    return _grant()
