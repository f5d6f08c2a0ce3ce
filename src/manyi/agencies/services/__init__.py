"""The only code that changes requests for recognition and an agency's recognition (Art. 6, 8).

- `submit_request`: anyone (no account needed) asks for an organisation to be recognised as a
  promotion agency; a private follow link is shown once and mailed (only its hash is kept).
- `withdraw_request`: the applicant withdraws a request still waiting, with that link.
- `recognise` / `refuse`: the association's administrator decides. Recognition creates the
  agency `Organisation` and invites the request's contact as its first agency staff.
- `suspend` / `reinstate`: the administrator suspends a recognition (the agency recommends
  nothing, takes no quota and no new members until reinstated) and reinstates it.
- `open_evidence`: a logged download of the request's qualification file.

Membership (invitations, leaving, ending) is in `agencies.membership`.
"""

from manyi.agencies.services.decisions import Recognition, open_evidence, recognise, refuse
from manyi.agencies.services.requests import (
    duplicate_refusal,
    rate_refusal,
    request_allowed,
    submit_request,
    withdraw_request,
)
from manyi.agencies.services.suspension import reinstate, suspend

__all__ = [
    "Recognition",
    "duplicate_refusal",
    "open_evidence",
    "rate_refusal",
    "recognise",
    "refuse",
    "reinstate",
    "request_allowed",
    "submit_request",
    "suspend",
    "withdraw_request",
]
