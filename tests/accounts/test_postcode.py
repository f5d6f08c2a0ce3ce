"""One postcode rule for sign-up, the profile and the forms: six digits, as 附件2 asks."""

import pytest

from manyi.accounts.forms import EnterpriseSignupForm
from manyi.accounts.postcode import is_postcode, normalise_postcode

pytestmark = pytest.mark.django_db


def signup_errors(postcode: str) -> list[str]:
    form = EnterpriseSignupForm(data={"postcode": postcode})
    form.is_valid()
    return form.errors.get("postcode", [])


@pytest.mark.parametrize("postcode", ["51011", "5101100", "51O110", "510-110"])
def test_signup_refuses_what_the_forms_refuse(postcode):
    assert signup_errors(postcode) == ["邮政编码应为6位数字"]


def test_signup_keeps_full_width_digits_as_ascii():
    form = EnterpriseSignupForm(data={"postcode": "５１０１１０"})
    form.is_valid()

    assert form.cleaned_data["postcode"] == "510110"


def test_signup_may_leave_the_postcode_out():
    assert signup_errors("") == []


@pytest.mark.parametrize("postcode", ["510110", " 510110 ", "５１０１１０", "510 110"])
def test_six_digits_are_a_postcode(postcode):
    assert is_postcode(postcode)


def test_normalised_postcode_is_ascii_without_spaces():
    assert normalise_postcode("５１０ １１０") == "510110"
