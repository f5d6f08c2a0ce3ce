"""The registrant's private token and the check-in code derived from it.

The token (in the registrant's email) opens their own page, where they may cancel. The QR
code on that page carries the check-in code instead: a one-way derivation of the token, so
the staff who scan it at the door, or anyone who photographs it, cannot work back to the
token. Only the SHA-256 of each is stored (`Registration.token_hash`, `checkin_hash`).
"""

import base64
import hashlib
import secrets

from manyi.events.models import Registration

# A token longer than this is not one of ours: looked up no further.
MAX_LENGTH = 100


def new_token() -> str:
    return secrets.token_urlsafe(32)


def checkin_code(token: str) -> str:
    digest = hashlib.sha256(b"manyi.events.checkin:" + token.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hashes(token: str) -> dict[str, str]:
    """The two hashes a new registration stores for `token`."""
    return {
        "token_hash": Registration.hash_token(token),
        "checkin_hash": Registration.hash_token(checkin_code(token)),
    }


def plausible(token: str) -> bool:
    return bool(token) and len(token) <= MAX_LENGTH
