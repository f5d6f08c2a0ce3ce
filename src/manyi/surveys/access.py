"""Who measures (uploads data, starts runs) and who reads the results.

An enterprise measures too (Art. 19): its data sets are private to it (`Visibility.PRIVATE`)
until it shares them; `selectors` does the scoping.
"""

from manyi.accounts.roles import PROGRAMME_STAFF, Role

MEASURERS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)
READERS = (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)


def may_compute(user, dataset) -> bool:
    """Start a measurement on ``dataset`` (the mapping screen, a re-run): a measuring role
    that can read it — and an enterprise's own data set only by that enterprise, even once
    shared (sharing lets others read, not compute in its name). The one rule for the service,
    the views and the buttons."""
    from manyi.accounts.access import has_role, organisations_for
    from manyi.surveys.models import Visibility

    if not has_role(user, *MEASURERS):
        return False
    if dataset.visibility == Visibility.PROGRAMME:
        return True
    return dataset.organisation_id in {o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)}
