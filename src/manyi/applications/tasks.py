"""Worker tasks of applications: thin, they call the service."""

from manyi.applications.services import remind_resubmissions as _remind


def remind_resubmissions() -> int:
    """Daily (see `applications.schedules`): remind applicants whose resubmission is due soon."""
    return _remind()
