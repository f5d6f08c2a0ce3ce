"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a checksum over the first 17."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(body: str) -> str:
    """The 18th character for the first 17."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    return "".join(value.split()).upper()


def validate_uscc(value: str) -> None:
    code = normalise_uscc(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位"), code="uscc_length")
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有无效字符：%(chars)s") % {"chars": "".join(sorted(set(bad)))},
            code="uscc_chars",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对"), code="uscc_checksum")


def make_uscc(body17: str) -> str:
    """Complete a 17-character body with its check character (used by the demo world and tests)."""
    return body17 + check_character(body17)
