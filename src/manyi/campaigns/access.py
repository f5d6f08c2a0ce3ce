"""Who may run campaigns: predicates from `manyi.accounts.access`, combined for this app."""

import rules

from manyi.accounts.access import is_association_admin, is_committee_staff
from manyi.accounts.roles import Role

# The association decides the plan and theme (Art. 9); the committee runs the year (Art. 7).
# Both manage campaigns, quotas, bans and reopenings.
MANAGER_ROLES = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
can_manage_campaigns = is_association_admin | is_committee_staff

rules.add_perm("campaigns.manage_campaign", can_manage_campaigns)
