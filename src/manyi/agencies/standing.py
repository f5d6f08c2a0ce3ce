"""An agency's standing, as the programme's staff read it: recognised, suspended, disqualified
or not recognised. Computed from the organisation's dates (no field of its own), the same way
in Python (`standing_of`) and in queries (`with_standing`, `STANDING_FILTERS`).

Disqualification (Art. 27, `supervision.sanctions`) outranks suspension (Art. 8, this app):
an agency that is both reads 取消资格.
"""

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import RECOMMENDING_AGENCY


class Standing(models.TextChoices):
    RECOGNISED = "recognised", _("已认可")
    SUSPENDED = "suspended", _("暂停")
    DISQUALIFIED = "disqualified", _("取消资格")
    UNRECOGNISED = "unrecognised", _("未认可")


_DISQUALIFIED = Q(disqualified_on__isnull=False)
_SUSPENDED = Q(disqualified_on__isnull=True, recognition_suspended_on__isnull=False)

STANDING_FILTERS = {
    Standing.RECOGNISED: RECOMMENDING_AGENCY,
    Standing.SUSPENDED: _SUSPENDED,
    Standing.DISQUALIFIED: _DISQUALIFIED,
    Standing.UNRECOGNISED: ~RECOMMENDING_AGENCY & ~_SUSPENDED & ~_DISQUALIFIED,
}

# The Bootstrap badge of each standing.
BADGES = {
    Standing.RECOGNISED: "text-bg-success",
    Standing.SUSPENDED: "text-bg-warning",
    Standing.DISQUALIFIED: "text-bg-danger",
    Standing.UNRECOGNISED: "text-bg-secondary",
}


def standing_of(agency) -> Standing:
    if agency.disqualified_on is not None:
        return Standing.DISQUALIFIED
    if agency.recognition_suspended_on is not None:
        return Standing.SUSPENDED
    if agency.may_recommend:
        return Standing.RECOGNISED
    return Standing.UNRECOGNISED


def with_standing(qs):
    """Annotate `standing` (a `Standing` value) on a queryset of agencies."""
    return qs.annotate(
        standing=Case(
            When(_DISQUALIFIED, then=Value(Standing.DISQUALIFIED.value)),
            When(_SUSPENDED, then=Value(Standing.SUSPENDED.value)),
            When(RECOMMENDING_AGENCY, then=Value(Standing.RECOGNISED.value)),
            default=Value(Standing.UNRECOGNISED.value),
            output_field=models.CharField(),
        )
    )
