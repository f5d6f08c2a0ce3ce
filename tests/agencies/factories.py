"""Requests for recognition and agency memberships for the agencies tests."""

from django.utils import timezone

from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import AgencyScope, District
from manyi.agencies import services


def request_data(**overrides) -> dict:
    """What a visitor types into the public form: a district agency of 番禺区."""
    return {
        "name": "广州市番禺区用户满意促进会",
        "agency_scope": AgencyScope.REGION,
        "agency_scope_detail": "番禺区",
        "district": District.PANYU,
        "uscc": "",
        "address": "广州市番禺区市桥街清河东路319号",
        "responsible_department": "番禺区市场监督管理局",
        "responsible_person": "何敏（秘书长）",
        "plan": "每季度组织一次用户满意工程宣传和培训。",
        "measures": "设专职联络员，建立季度联席会议制度。",
        "qualifications": "2012年登记成立的社会团体。",
        "contact_name": "何敏",
        "contact_title": "秘书长",
        "contact_mobile": "13902001234",
        "contact_email": "hemin@panyu.example.cn",
        **overrides,
    }


def submitted_request(**overrides):
    """A request as the public form leaves it; returns (request, follow token)."""
    return services.submit_request(data=request_data(**overrides), ip="10.0.0.1")


def invited(world, enterprise=None, agency=None):
    """An invitation of world.agency (by its staff) that the enterprise has not answered."""
    from manyi.accounts.roles import Role
    from manyi.agencies.membership import invite_enterprise

    return invite_enterprise(
        agency=agency or world.agency,
        enterprise=enterprise or world.other_enterprise,
        by=world.users[Role.AGENCY_STAFF],
    )


def confirmed_member(enterprise, agency) -> AgencyMembership:
    membership, _created = AgencyMembership.objects.update_or_create(
        enterprise=enterprise, agency=agency, defaults={"confirmed_at": timezone.now()}
    )
    return membership
