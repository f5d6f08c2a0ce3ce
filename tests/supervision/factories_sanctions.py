"""Objects the violation, sanction and validity tests share."""

import itertools

from django.utils import timezone

from manyi.accounts.roles import AgencyScope, OrgKind, Role
from manyi.applications.states import Status
from manyi.supervision.models import Violation, ViolationKind
from tests.applications.helpers import make_application, open_campaign
from tests.factories import MembershipFactory, OrganisationFactory

_serial = itertools.count(1)


def admin(world):
    return world.users[Role.ASSOCIATION_ADMIN]


def make_agency(world, *, name=None, campaign=None, quota=2):
    """A recognised agency with one staff member (TOTP given), with `quota` places in every
    category of `campaign` (the open one by default; 0: no quota rows)."""
    from manyi.campaigns.categories import Category
    from manyi.campaigns.models import AgencyQuota
    from tests.conftest import give_totp

    agency = OrganisationFactory(
        kind=OrgKind.AGENCY,
        name=name or f"测试推进机构{next(_serial)}",
        agency_scope=AgencyScope.INDUSTRY,
    )
    give_totp(MembershipFactory(organisation=agency, role=Role.AGENCY_STAFF, is_manager=True).user)
    campaign = campaign or open_campaign()
    if quota:
        for category in Category.values:
            AgencyQuota.objects.get_or_create(
                campaign=campaign, agency=agency, category=category, defaults={"quota": quota}
            )
    return agency


def staff_of(organisation, role=Role.AGENCY_STAFF):
    return organisation.memberships.filter(role=role).select_related("user").first().user


def enterprise_of(agency, *, name=None, confirmed=True):
    """An enterprise member of `agency`, with one enterprise user."""
    enterprise = OrganisationFactory(
        name=name or f"测试企业{next(_serial)}有限公司",
        agency=agency,
        agency__confirmed=confirmed,
    )
    MembershipFactory(organisation=enterprise, role=Role.ENTERPRISE_USER, is_manager=True)
    return enterprise


def submitted_to(world, agency, category="brand", *, organisation=None, status=Status.SUBMITTED):
    """An application of a member enterprise of `agency`, in `status` (submitted by default)."""
    organisation = organisation or enterprise_of(agency)
    application = make_application(world, category, organisation=organisation, status=status)
    if status != Status.DRAFT:
        application.number = application.number or f"T-{next(_serial):04d}"
        application.save(update_fields=["number"])
    return application


def disqualify(world, agency, *, reason="推荐材料弄虚作假", decided_on=None):
    from manyi.supervision.sanctions.services import disqualify_agency

    return disqualify_agency(agency=agency, by=admin(world), reason=reason, decided_on=decided_on)


def make_violation(world, *, organisation=None, kind=ViolationKind.NO_YEAR, title=None, by=None):
    return Violation.objects.create(
        organisation=organisation or world.enterprise,
        title=title,
        kind=kind,
        description="宣传使用称号未标明获得年度",
        found_on=timezone.localdate(),
        recorded_by=by or world.users[Role.WORKDEPT_STAFF],
    )
