"""邮政编码: six digits. One rule for sign-up, the organisation's profile and the forms
(附件2 and 附件4-x), so a code accepted in one place is never refused in another."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

POSTCODE_RE = re.compile(r"[0-9]{6}")


def normalise_postcode(value: str) -> str:
    """Full-width digits made ASCII, spaces removed: "５１０ １１０" → "510110"."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def is_postcode(value: str) -> bool:
    return POSTCODE_RE.fullmatch(normalise_postcode(value)) is not None


def validate_postcode(value: str) -> None:
    if not is_postcode(value):
        raise ValidationError(_("邮政编码应为6位数字"), code="postcode")
