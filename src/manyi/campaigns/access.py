"""Who may run campaigns: predicates from `manyi.accounts.access`, combined for this app."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from manyi.accounts.access import is_association_admin, is_committee_staff
from manyi.accounts.roles import Role
from manyi.campaigns.models import CampaignStatus
from manyi.common.permissions import Action

# The association decides the plan and theme (Art. 9); the committee runs the year (Art. 7).
# Both manage campaigns, quotas, bans and reopenings.
MANAGER_ROLES = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
can_manage_campaigns = is_association_admin | is_committee_staff

rules.add_perm("campaigns.manage_campaign", can_manage_campaigns)


@rules.predicate
def is_published(_user, campaign) -> bool:
    return campaign.status == CampaignStatus.PUBLISHED


@rules.predicate
def has_no_applications(_user, campaign) -> bool:
    """No application of any status (withdrawn ones too) names this campaign."""
    return not campaign.applications.exists()


def _not_manager(_campaign=None) -> Exception:
    return PermissionDenied(_("只有协会管理员和用户委员会工作人员可以管理申报活动"))


def _not_published(_campaign=None) -> Exception:
    return ValidationError(_("只有已发布的申报活动可以撤回为草稿"))


def _has_applications(_campaign=None) -> Exception:
    return ValidationError(_("该申报活动已有申报，不能撤回为草稿"))


# Published → draft: a campaign published by mistake, before anyone has applied.
UNPUBLISH = Action(
    "campaigns.unpublish_campaign",
    (can_manage_campaigns, _not_manager),
    (is_published, _not_published),
    (has_no_applications, _has_applications),
)
