"""The personal web link of a sampled contact: a random token kept only as its SHA-256.

A token carries 256 random bits (`secrets.token_urlsafe(32)`); the database holds its hash, so
a copy of the database opens no questionnaire. A link works until the end of the survey's
last field day, Beijing time, and once: a contact with a response, or in a final status, is
done with. Issuing a new link (a reminder, a re-send) replaces the hash, so the earlier link
stops working while the answers saved so far stay with the contact.
"""

import hashlib
import secrets
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils import timezone

from manyi.fieldwork.models import SampledContact, SurveyStatus
from manyi.fieldwork.states import FINAL_CONTACT

# The field period is set in Beijing dates, whatever the server's own zone.
FIELD_TIMEZONE = ZoneInfo("Asia/Shanghai")
# token_urlsafe(32) is 43 characters; anything much longer is not ours and is not hashed.
MAX_TOKEN_LENGTH = 100


class LinkState(StrEnum):
    OPEN = "open"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    ANSWERED = "answered"
    CLOSED = "closed"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def link_expiry(survey) -> datetime:
    """The first moment after the survey's last field day (Beijing time)."""
    return datetime.combine(
        survey.field_closes + timedelta(days=1), time.min, tzinfo=FIELD_TIMEZONE
    )


def find_contact(token: str) -> SampledContact | None:
    """The contact a link belongs to (whatever its state), with what the page shows."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    # get(), not first(): the hash is unique, and first() would order by the model's ordering
    # (a join to the survey). Only the columns the page and `record_response` read: the
    # respondent's page is the busiest in fieldwork, and the application's form data is large.
    try:
        return (
            SampledContact.objects.select_related(
                "survey__questionnaire",
                "survey__firm",
                "survey__application__organisation",
                "survey__application__campaign",
            )
            .only(*PAGE_FIELDS)
            .get(token_hash=hash_token(token))
        )
    except SampledContact.DoesNotExist:
        return None


PAGE_FIELDS = (
    "survey",
    "position",
    "is_reserve",
    "status",
    "token_expires_at",
    "draft_answers",
    "draft_started_at",
    "survey__status",
    "survey__field_closes",
    "survey__questionnaire",
    "survey__firm",
    "survey__application",
    "survey__questionnaire__status",
    "survey__questionnaire__questions",
    "survey__questionnaire__intro_zh",
    "survey__questionnaire__intro_en",
    "survey__questionnaire__min_seconds",
    "survey__firm__name",
    "survey__application__category",
    "survey__application__organisation",
    "survey__application__campaign",
    "survey__application__organisation__name",
    "survey__application__campaign__year",
)


def state_of(contact: SampledContact | None, now: datetime | None = None) -> LinkState:
    """Whether a link may be answered. An answered questionnaire says so even after the
    survey closed: that is what the respondent wants to know."""
    if contact is None or contact.is_reserve:
        return LinkState.UNKNOWN
    if contact.status in FINAL_CONTACT:
        return LinkState.ANSWERED
    if contact.survey.status != SurveyStatus.IN_FIELD:
        return LinkState.CLOSED
    expires_at = contact.token_expires_at or link_expiry(contact.survey)
    if (now or timezone.now()) >= expires_at:
        return LinkState.EXPIRED
    return LinkState.OPEN
