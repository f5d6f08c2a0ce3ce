"""Who measures (uploads data, starts runs) and who reads the results.

An enterprise measures too (Art. 19): its data sets are private to it (`Visibility.PRIVATE`)
until it shares them; `selectors` does the scoping.
"""

from manyi.accounts.roles import PROGRAMME_STAFF, Role

MEASURERS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)
READERS = (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)
