"""Revocation cases the supervision tests share: a title, a case opened, proposed, revoked,
and sanctions that the year's notice lists."""

from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.supervision.models import RevocationReason, Sanction, SanctionKind
from manyi.supervision.revocations.opening import open_revocation
from manyi.supervision.revocations.services import decide_revocation, propose_revocation
from tests.reviews.factories import granted_title

FACTS = "回访确认时，企业未能提供近三年用户满意度测量记录，现场核查多项承诺未落实。"
PROPOSAL = "经用户委员会研究，建议撤销该企业的称号。"
DECISION = "经协会研究，决定撤销该称号，收回证书和牌匾。"


def a_title(world, category="product", **kwargs):
    return granted_title(world, category, **kwargs)


def opened_case(world, *, title=None, reason=RevocationReason.FAILED_REVISIT, by=None, **kw):
    """A case opened by committee staff (by=None for the system: pass system=True)."""
    title = title or a_title(world)
    person = None if kw.pop("system", False) else (by or world.users[Role.COMMITTEE_STAFF])
    return open_revocation(title=title, reason=reason, facts=FACTS, by=person, **kw)


def proposed_case(world, **kwargs):
    case = opened_case(world, **kwargs)
    return propose_revocation(case=case, by=world.users[Role.COMMITTEE_STAFF], proposal=PROPOSAL)


def revoked_case(world, *, effective_on=None, criticism="", **kwargs):
    case = proposed_case(world, **kwargs)
    return decide_revocation(
        case=case,
        by=world.users[Role.ASSOCIATION_ADMIN],
        revoke=True,
        decision=DECISION,
        effective_on=effective_on or timezone.localdate(),
        criticism=criticism,
    )


def public_sanction(world, *, kind=SanctionKind.AGENCY_DISQUALIFIED, on=None, public=True):
    """A disqualification of the world's other agency, as the sanctions package records it."""
    return Sanction.objects.create(
        kind=kind,
        organisation=world.other_agency,
        reason="推荐材料弄虚作假，取消其推进机构资格。",
        decided_on=on or timezone.localdate(),
        public=public,
        decided_by=world.users[Role.ASSOCIATION_ADMIN],
    )
