"""Worker tasks of spot checks: thin, they call the service."""

from manyi.supervision.spotchecks.services import remind_rectifications


def remind_rectification() -> int:
    """Daily (see `supervision.schedules`): remind organisations and the work department of
    rectification deadlines three days ahead, and once when passed."""
    return remind_rectifications()
