"""Who may do what in supervision: the facts every package's Actions are built from.

The work department (用户工作部) runs spot checks (Art. 21); committee staff run revisits,
holder surveys, complaints and propose revocations (Art. 22–23); the association's
administrator decides revocations and sanctions and publishes the notices (Art. 22, 24, 26–27).
Each package (`spotchecks/`, `revisits/`, …) defines its own Actions in its `access.py` from
these facts, so a service, its view and its template ask the same question.
"""

import rules

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.common.permissions import not_allowed  # noqa: F401 - the packages import it from here

# Who reads supervision at all: the programme's three offices.
READERS = PROGRAMME_STAFF


@rules.predicate
def reads_supervision(user, _obj=None) -> bool:
    return has_role(user, *READERS)


@rules.predicate
def is_workdept_staff(user, _obj=None) -> bool:
    """Spot checks are the work department's (Art. 21); the administrator may stand in."""
    return has_role(user, Role.WORKDEPT_STAFF, Role.ASSOCIATION_ADMIN)


@rules.predicate
def is_committee_staff(user, _obj=None) -> bool:
    """Revisits, holder surveys, complaints and revocation proposals (Art. 22–23)."""
    return has_role(user, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


@rules.predicate
def is_association_admin(user, _obj=None) -> bool:
    """Decisions: revocations, sanctions, bans, public notices (Art. 22, 24, 26–27)."""
    return has_role(user, Role.ASSOCIATION_ADMIN)
