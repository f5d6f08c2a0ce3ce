"""The demo's promotion agencies beyond the three the accounts demo creates (Art. 8): a request
waiting for the association's decision, one refused with its reason, one recognised through the
service (番禺区用户满意促进会, whose first staff member accepted the invitation), and invitations
to enterprises not yet answered — one of them to the demo enterprise, so enterprise@demo.manyi.cn
sees it on its 本单位 page.

Built through the services a person uses, so the activity log reads as it would. No agency that
other demos use is suspended or changed. Idempotent: a request whose name exists is left as it
is; an invitation already sent (or answered) is not sent again.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.accounts.models import AgencyMembership, Organisation, User
from manyi.accounts.roles import AgencyScope, District, OrgKind, Role
from manyi.accounts.services import accept_invitation
from manyi.agencies import membership, services
from manyi.agencies.models import AgencyRequest, RequestStatus

# After the accounts demo (10) that creates the people, before campaigns (20) give quotas.
DEMO_ORDER = 15

ADMIN = "admin@demo.manyi.cn"
TIANHE_STAFF = "agency@demo.manyi.cn"
PANYU_STAFF = "agency4@demo.manyi.cn"
# The accounts demo's password; its module keeps it, this one only needs to match it.
DEMO_PASSWORD = "manyi-demo-2026"  # noqa: S105 - printed for the demo on purpose

PANYU = {
    "name": "广州市番禺区用户满意促进会",
    "agency_scope": AgencyScope.REGION,
    "agency_scope_detail": "番禺区",
    "district": District.PANYU,
    "uscc": "",
    "address": "广州市番禺区市桥街清河东路319号",
    "responsible_department": "番禺区市场监督管理局",
    "responsible_person": "何敏（秘书长）",
    "plan": "2026年在番禺区组织用户满意工程宣传月一次、质量管理小组交流会两次，"
    "走访区内重点制造和服务企业三十家，推动其参加广州市用户满意评价。",
    "measures": "设专职联络员两名；与区市场监管局建立季度联席会议；"
    "每季度开设一期用户满意度测评实务培训班；为参评企业提供申报辅导。",
    "qualifications": "2012年经番禺区民政局登记成立的社会团体，现有会员企业一百二十家。",
    "contact_name": "何敏",
    "contact_title": "秘书长",
    "contact_mobile": "13902001234",
    "contact_email": PANYU_STAFF,
}
PENDING = {
    "name": "广州市海珠区质量发展促进会",
    "agency_scope": AgencyScope.REGION,
    "agency_scope_detail": "海珠区",
    "district": District.HAIZHU,
    "uscc": "",
    "address": "广州市海珠区新港中路397号",
    "responsible_department": "海珠区市场监督管理局",
    "responsible_person": "梁静（副会长）",
    "plan": "2026年计划在海珠区推动二十家企业开展用户满意度自我测评，组织标杆企业参观学习一次。",
    "measures": "依托区质量强区工作领导小组办公室，建立企业联系人制度；每半年召开一次经验交流会。",
    "qualifications": "2015年成立，会员单位八十余家。",
    "contact_name": "梁静",
    "contact_title": "副会长",
    "contact_mobile": "13802005678",
    "contact_email": "haizhu-quality@example.cn",
}
REFUSED = {
    "name": "广州市荔湾区商贸服务协会",
    "agency_scope": AgencyScope.INDUSTRY,
    "agency_scope_detail": "商贸服务",
    "district": District.LIWAN,
    "uscc": "",
    "address": "广州市荔湾区康王中路486号",
    "responsible_department": "待定",
    "responsible_person": "周先生",
    "plan": "配合开展相关工作。",
    "measures": "视情况安排。",
    "qualifications": "",
    "contact_name": "周先生",
    "contact_title": "",
    "contact_mobile": "13602003456",
    "contact_email": "liwan-trade@example.cn",
}
REFUSAL = (
    "主管部门尚未落实，推进工作计划和措施过于笼统，不符合《管理办法》第八条"
    "“有主管部门，有专人负责，有计划、有措施”的要求。请补充后重新申请。"
)
# (agency name, inviting staff, enterprise name): invitations the enterprises have not answered.
INVITATIONS = [
    ("广州市番禺区用户满意促进会", PANYU_STAFF, "广州番禺燃气有限公司"),
    ("广州市番禺区用户满意促进会", PANYU_STAFF, "广州珠江家电制造有限公司"),
    ("广州市天河区质量技术协会", TIANHE_STAFF, "广州云山电子科技有限公司"),
]


def _submit(data: dict) -> AgencyRequest:
    existing = AgencyRequest.objects.filter(name=data["name"]).first()
    if existing is not None:
        return existing
    # The loader is no visitor: the public form's hourly limit does not apply to it.
    request, _token = services.submit_request(data=data, limited=False)
    return request


def _recognise_panyu(admin: User) -> Organisation:
    agency = Organisation.objects.filter(kind=OrgKind.AGENCY, name=PANYU["name"]).first()
    if agency is not None:
        return agency
    request = _submit(PANYU)
    recognition = services.recognise(
        request=request, by=admin, note="计划和措施具体，主管部门和专人明确，同意认可。"
    )
    # The contact follows the invitation link and sets up a demo account.
    user = User.objects.filter(email=PANYU_STAFF).first() or User.objects.create_user(
        PANYU_STAFF, DEMO_PASSWORD, full_name=PANYU["contact_name"], is_demo=True
    )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    accept_invitation(token=recognition.token, full_name=user.full_name, password=None, user=user)
    return recognition.organisation


def _invite(agency_name: str, staff_email: str, enterprise_name: str) -> None:
    agency = Organisation.objects.filter(kind=OrgKind.AGENCY, name=agency_name).first()
    enterprise = Organisation.objects.filter(kind=OrgKind.ENTERPRISE, name=enterprise_name).first()
    staff = User.objects.filter(email=staff_email).first()
    if agency is None or enterprise is None or staff is None:
        return
    if AgencyMembership.objects.filter(agency=agency, enterprise=enterprise).exists():
        return
    membership.invite_enterprise(agency=agency, enterprise=enterprise, by=staff)


@transaction.atomic
def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo`` (see ``portal``)."""
    admin = User.objects.get(email=ADMIN)
    _recognise_panyu(admin)
    _submit(PENDING)
    refused = _submit(REFUSED)
    if refused.status == RequestStatus.SUBMITTED:
        services.refuse(request=refused, by=admin, reason=REFUSAL)
    for agency_name, staff_email, enterprise_name in INVITATIONS:
        _invite(agency_name, staff_email, enterprise_name)
    report.accounts.append((Role(Role.AGENCY_STAFF).label, PANYU_STAFF, PANYU["name"]))
    report.lines.append(
        "  " + _("推进机构名录：/agencies/directory/；认可申请：/agencies/requests/")
    )
