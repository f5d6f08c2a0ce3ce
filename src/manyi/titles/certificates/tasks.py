"""Worker tasks of certificates: thin, they call the service."""

from manyi.titles.certificates.services import expire_titles as _expire


def expire_titles() -> int:
    """Daily (see `titles.schedules`): valid titles whose validity has passed become expired."""
    return _expire()
