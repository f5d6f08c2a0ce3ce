import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from manyi.accounts.uscc import (
    ALPHABET,
    check_character,
    make_uscc,
    normalise_uscc,
    validate_uscc,
)

# A published example code (GB 32100-2015 annex style) and real-looking Guangzhou codes.
VALID = ["91350100M000100Y43", make_uscc("91440100MA5CXXXX0"[:17].replace("X", "1"))]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert len(code) == 18
    assert check_character(code[:17]) == code[17]
    assert validate_uscc(code) is None


def test_published_example_has_the_expected_check_character():
    # Known answer, independent of make_uscc: the example's 18th character is "3".
    assert check_character("91350100M000100Y4") == "3"


def test_lower_case_and_spaces_are_normalised():
    assert normalise_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalise_uscc("9135 0100m000\t100y43") == "91350100M000100Y43"
    assert validate_uscc(" 91350100m000100y43 ") is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9135010", "18位"),
        ("91350100M000100Y4I", "无效字符"),
        ("91350100M000100Y44", "校验位"),
    ],
)
def test_invalid_codes_say_why_in_chinese(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert message in exc.value.messages[0]


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_every_completed_body_validates_and_any_other_check_character_fails(body):
    code = make_uscc(body)
    validate_uscc(code)
    for wrong in ALPHABET:
        if wrong != code[-1]:
            with pytest.raises(ValidationError):
                validate_uscc(body + wrong)
            break
