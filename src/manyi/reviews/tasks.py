"""Worker tasks of reviews: thin, they call the service."""

from manyi.reviews.formal.services import remind_deficiencies as _remind


def remind_deficiencies() -> int:
    """Daily (see `reviews.schedules`): remind applicants whose deficiency notice is due soon."""
    return _remind()
