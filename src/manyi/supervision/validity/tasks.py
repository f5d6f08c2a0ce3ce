"""Worker tasks of validity: thin, they call the service."""

from manyi.supervision.validity.services import remind_expiring_titles as _remind


def remind_expiring_titles() -> int:
    """Daily (see `supervision.schedules`): remind holders 90 and 30 days before their title
    ends, and invite them to re-evaluation."""
    return _remind()
