"""Who may do what with violations (Art. 25) and sanctions (Art. 26–27): one predicate per fact,
one Action per act.

Committee and work-department staff record violations (the association's administrator may
stand in); every programme office reads them. The administrator decides sanctions: an agency
disqualified or reinstated, an expert removed from the pool, an account disabled. Committee
staff hand a disqualified agency's pending applications to another agency. The services ask
`require`, the views and templates ask `allows` (through the `…_flags` helpers), so no button
is shown that would be refused.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.accounts.models import ExpertProfile, Membership
from manyi.accounts.roles import OrgKind, Role
from manyi.applications.states import Status
from manyi.common.permissions import Action, flags
from manyi.supervision.access import (
    is_association_admin,
    is_committee_staff,
    is_workdept_staff,
    not_allowed,
    reads_supervision,
)
from manyi.supervision.models import SanctionKind, ViolationKind
from manyi.titles.models import Title, TitleStatus

# Committee staff (Art. 23) and the work department (Art. 21) find and record violations.
records_violations = is_committee_staff | is_workdept_staff


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def violation_is_misleading(_user, violation) -> bool:
    """Only publicity that misled consumers with consequences may cost the title (Art. 25)."""
    return violation.kind == ViolationKind.MISLEADING


@rules.predicate
def violation_not_taken_up(_user, violation) -> bool:
    return not violation.revocations.exists()


@rules.predicate
def holder_has_valid_title(_user, violation) -> bool:
    return Title.objects.filter(
        organisation_id=violation.organisation_id, status=TitleStatus.VALID
    ).exists()


@rules.predicate
def is_agency(_user, organisation) -> bool:
    return organisation is not None and organisation.kind == OrgKind.AGENCY


@rules.predicate
def agency_in_good_standing(_user, organisation) -> bool:
    return organisation.disqualified_on is None


@rules.predicate
def is_disqualification(_user, sanction) -> bool:
    return sanction.kind == SanctionKind.AGENCY_DISQUALIFIED


@rules.predicate
def disqualification_in_force(_user, sanction) -> bool:
    """The agency is still disqualified, and this is the decision that did it (its latest)."""
    from manyi.supervision.models import Sanction

    agency = sanction.organisation
    if agency is None or agency.disqualified_on is None:
        return False
    latest = (
        Sanction.objects.filter(kind=SanctionKind.AGENCY_DISQUALIFIED, organisation=agency)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == sanction.pk


@rules.predicate
def is_expert_person(_user, person) -> bool:
    return Membership.objects.filter(user=person, role=Role.EXPERT, is_active=True).exists()


@rules.predicate
def expert_in_pool(_user, person) -> bool:
    """No profile yet counts as in the pool: the profile made later would put them in it."""
    return not ExpertProfile.objects.filter(user=person, in_pool=False).exists()


@rules.predicate
def account_active(_user, person) -> bool:
    return person.is_active


@rules.predicate
def not_oneself(user, person) -> bool:
    return user.pk != person.pk


@rules.predicate
def application_submitted(_user, application) -> bool:
    return application.status == Status.SUBMITTED


@rules.predicate
def application_agency_disqualified(_user, application) -> bool:
    agency = application.agency
    return agency is not None and agency.disqualified_on is not None


# ------------------------------------------------------------------------------------------
# Refusals


def not_misleading(_obj=None) -> Exception:
    return ValidationError(_("只有“误导消费并引起后果”的违规才能据此提出撤销称号（第二十五条）"))


def already_taken_up(_obj=None) -> Exception:
    return ValidationError(_("已据此违规记录立案撤销称号，请在该案件中处理"))


def no_valid_title(_obj=None) -> Exception:
    return ValidationError(_("该单位没有有效的称号，无需撤销"))


def not_an_agency(_obj=None) -> Exception:
    return ValidationError(_("只能取消推进机构的资格"))


def already_disqualified(_obj=None) -> Exception:
    return ValidationError(_("该推进机构已被取消资格"))


def not_a_disqualification(_obj=None) -> Exception:
    return ValidationError(_("只有取消推进机构资格的决定才能恢复"))


def not_in_force(_obj=None) -> Exception:
    return ValidationError(_("该推进机构的资格已经恢复，或这不是其最近一次取消资格的决定"))


def not_an_expert(_obj=None) -> Exception:
    return ValidationError(_("该账号不是评审专家"))


def already_removed(_obj=None) -> Exception:
    return ValidationError(_("该专家已移出评审专家库"))


def own_account(_obj=None) -> Exception:
    return ValidationError(_("不能停用自己的账号"))


def already_disabled(_obj=None) -> Exception:
    return ValidationError(_("该账号已停用"))


def not_pending(application) -> Exception:
    return ValidationError(
        _("只有已提交、待推荐的申报才能改派，该申报当前状态为“%(status)s”")
        % {"status": application.get_status_display()}
    )


def agency_not_disqualified(_obj=None) -> Exception:
    return ValidationError(_("该申报的推荐单位未被取消资格，无需改派"))


# ------------------------------------------------------------------------------------------
# Actions

# On no object: the lists and pages every programme office reads.
READ = Action("supervision.read_sanctions", (reads_supervision, not_allowed))
# On no object (the form) or a Violation (more evidence).
RECORD_VIOLATION = Action("supervision.record_violation", (records_violations, not_allowed))
# On a Violation: open a revocation case of the holder's title (Art. 25 with Art. 22).
REVOKE_FOR_VIOLATION = Action(
    "supervision.revoke_for_violation",
    (records_violations, not_allowed),
    (violation_is_misleading, not_misleading),
    (violation_not_taken_up, already_taken_up),
    (holder_has_valid_title, no_valid_title),
)
# On no object: the forms of the sanctions (Art. 26–27).
DECIDE_SANCTIONS = Action("supervision.decide_sanctions", (is_association_admin, not_allowed))
# On an Organisation.
DISQUALIFY = Action(
    "supervision.disqualify_agency",
    (is_association_admin, not_allowed),
    (is_agency, not_an_agency),
    (agency_in_good_standing, already_disqualified),
)
# On a Sanction.
REINSTATE = Action(
    "supervision.reinstate_agency",
    (is_association_admin, not_allowed),
    (is_disqualification, not_a_disqualification),
    (disqualification_in_force, not_in_force),
)
# On a User.
REMOVE_EXPERT = Action(
    "supervision.remove_expert",
    (is_association_admin, not_allowed),
    (is_expert_person, not_an_expert),
    (expert_in_pool, already_removed),
)
DISABLE_ACCOUNT = Action(
    "supervision.disable_account",
    (is_association_admin, not_allowed),
    (not_oneself, own_account),
    (account_active, already_disabled),
)
# On no object (the page of pending applications) or an Application.
SEE_REASSIGNMENTS = Action("supervision.see_reassignments", (is_committee_staff, not_allowed))
REASSIGN = Action(
    "supervision.reassign_agency",
    (is_committee_staff, not_allowed),
    (application_submitted, not_pending),
    (application_agency_disqualified, agency_not_disqualified),
)


def list_flags(user) -> dict[str, bool]:
    return flags(
        user,
        None,
        {
            "can_decide": DECIDE_SANCTIONS,
            "can_record": RECORD_VIOLATION,
            "can_reassign": SEE_REASSIGNMENTS,
        },
    )


def violation_flags(user, violation) -> dict[str, bool]:
    return flags(
        user,
        violation,
        {"can_add_evidence": RECORD_VIOLATION, "can_revoke": REVOKE_FOR_VIOLATION},
    )
