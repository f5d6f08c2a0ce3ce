"""Who measures (uploads data, starts runs) and who reads the results."""

from manyi.accounts.roles import PROGRAMME_STAFF, Role

MEASURERS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF, Role.AGENCY_STAFF)
READERS = (*PROGRAMME_STAFF, Role.AGENCY_STAFF)
