"""Worker tasks of revocations: thin, they call the service."""

from manyi.supervision.revocations.services import apply_due_revocations as _apply


def apply_due_revocations() -> int:
    """Daily (see `supervision.schedules`): titles whose revocation takes effect today (or
    took effect while the worker was down) become revoked."""
    return _apply()
