"""Who keeps the annual plan and who writes for the public site: the facts each package's
Actions are built from.

The association draws up the yearly work plan and its theme (Art. 9); its administrator and
the user committee's staff keep it. The public site's articles (Art. 10, 13, 20) are written
by the programme's three offices: the association, the committee and the work department.
Everyone else only reads what is published.
"""

import rules

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role

PLAN_KEEPERS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
WRITERS = PROGRAMME_STAFF


@rules.predicate
def keeps_the_plan(user, _obj=None) -> bool:
    return has_role(user, *PLAN_KEEPERS)


@rules.predicate
def writes_articles(user, _obj=None) -> bool:
    return has_role(user, *WRITERS)
