"""The demo world's people and organisations (used by `manage.py load_demo`).

Names are fictitious apart from the programme's own bodies, which the measures name. Every
function here is idempotent: running the loader twice gives the same world.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from manyi.accounts.models import (
    AgencyMembership,
    ExpertProfile,
    Membership,
    Organisation,
    User,
)
from manyi.accounts.roles import AgencyScope, District, OrgKind, Role, Trade
from manyi.accounts.uscc import make_uscc

DEMO_PASSWORD = "manyi-demo-2026"  # noqa: S105 - printed for the demo on purpose

BODIES = [
    (OrgKind.ASSOCIATION, "广州市质量协会", "市质协"),
    (OrgKind.COMMITTEE, "广州市用户委员会", "市用委"),
    (OrgKind.WORKDEPT, "广州市用户工作部", "用户工作部"),
]

AGENCIES = [
    # name, scope, scope detail, responsible department, person, district
    (
        "广州市天河区质量技术协会",
        AgencyScope.REGION,
        "天河区",
        "天河区市场监督管理局",
        "陈志明",
        District.TIANHE,
    ),
    (
        "广州市建筑业协会",
        AgencyScope.INDUSTRY,
        "建筑业",
        "广州市住房和城乡建设局",
        "李国强",
        District.YUEXIU,
    ),
    (
        "广州市电子信息行业用户委员会",
        AgencyScope.USER_COMMITTEE,
        "电子信息",
        "广州市工业和信息化局",
        "黄慧敏",
        District.HUANGPU,
    ),
]

# name, trade, industry, district, agency index, ownership, employees, legal representative
ENTERPRISES = [
    (
        "广州珠江家电制造有限公司",
        Trade.INDUSTRIAL,
        "家用电器",
        District.PANYU,
        0,
        "有限责任公司",
        1850,
        "梁振华",
    ),
    (
        "广州羊城食品股份有限公司",
        Trade.INDUSTRIAL,
        "食品制造",
        District.BAIYUN,
        0,
        "股份有限公司",
        920,
        "何美玲",
    ),
    (
        "广州南粤精密仪器有限公司",
        Trade.INDUSTRIAL,
        "仪器仪表",
        District.HUANGPU,
        2,
        "有限责任公司",
        430,
        "周建平",
    ),
    (
        "广州云山电子科技有限公司",
        Trade.INDUSTRIAL,
        "电子信息",
        District.TIANHE,
        2,
        "民营企业",
        610,
        "吴晓东",
    ),
    (
        "广州穗华汽车零部件有限公司",
        Trade.INDUSTRIAL,
        "汽车零部件",
        District.HUADU,
        0,
        "中外合资",
        2200,
        "林家豪",
    ),
    (
        "广州越秀建设工程有限公司",
        Trade.ENGINEERING,
        "房屋建筑",
        District.YUEXIU,
        1,
        "国有企业",
        3100,
        "张伟",
    ),
    (
        "广州市政路桥建设有限公司",
        Trade.ENGINEERING,
        "市政工程",
        District.HAIZHU,
        1,
        "国有企业",
        2650,
        "郑永康",
    ),
    (
        "广州南方电力安装工程有限公司",
        Trade.ENGINEERING,
        "电力工程",
        District.NANSHA,
        1,
        "有限责任公司",
        980,
        "谢文斌",
    ),
    (
        "广州白云装饰工程有限公司",
        Trade.ENGINEERING,
        "建筑装饰",
        District.BAIYUN,
        1,
        "民营企业",
        540,
        "罗丽华",
    ),
    (
        "广州天河物业管理有限公司",
        Trade.SERVICE,
        "物业服务",
        District.TIANHE,
        0,
        "有限责任公司",
        1200,
        "邓志刚",
    ),
    (
        "广州花城通信服务有限公司",
        Trade.SERVICE,
        "通信服务",
        District.TIANHE,
        2,
        "国有企业",
        1600,
        "冯晓燕",
    ),
    (
        "广州岭南酒店管理有限公司",
        Trade.SERVICE,
        "住宿餐饮",
        District.LIWAN,
        0,
        "股份有限公司",
        780,
        "曾德明",
    ),
    (
        "广州番禺燃气有限公司",
        Trade.SERVICE,
        "燃气供应",
        District.PANYU,
        0,
        "国有企业",
        690,
        "彭少华",
    ),
    (
        "广州海珠医疗器械有限公司",
        Trade.INDUSTRIAL,
        "医疗器械",
        District.HAIZHU,
        2,
        "民营企业",
        350,
        "杨秀英",
    ),
    (
        "广州增城水务服务有限公司",
        Trade.SERVICE,
        "供水服务",
        District.ZENGCHENG,
        0,
        "国有企业",
        860,
        "刘建军",
    ),
]

# enterprise name, index in AGENCIES of a further (industry) agency it is a confirmed member of
SECOND_AGENCIES = [("广州珠江家电制造有限公司", 2)]

SURVEY_FIRM = "广州明镜市场调查有限公司"

# email, name, role, organisation name, manager
ACCOUNTS = [
    ("admin@demo.manyi.cn", "王主任", Role.ASSOCIATION_ADMIN, "广州市质量协会", True),
    ("staff@demo.manyi.cn", "龙建攀", Role.COMMITTEE_STAFF, "广州市用户委员会", True),
    ("inspector@demo.manyi.cn", "赵检查", Role.WORKDEPT_STAFF, "广州市用户工作部", True),
    ("agency@demo.manyi.cn", "陈志明", Role.AGENCY_STAFF, "广州市天河区质量技术协会", True),
    ("agency2@demo.manyi.cn", "李国强", Role.AGENCY_STAFF, "广州市建筑业协会", True),
    ("agency3@demo.manyi.cn", "黄慧敏", Role.AGENCY_STAFF, "广州市电子信息行业用户委员会", True),
    ("enterprise@demo.manyi.cn", "梁小姐", Role.ENTERPRISE_USER, "广州珠江家电制造有限公司", True),
    ("expert@demo.manyi.cn", "孙教授", Role.EXPERT, "广州市用户委员会", False),
    ("surveyor@demo.manyi.cn", "钱访问员", Role.SURVEYOR, SURVEY_FIRM, False),
    ("surveyor2@demo.manyi.cn", "周访问员", Role.SURVEYOR, SURVEY_FIRM, False),
    ("manager@demo.manyi.cn", "吴经理", Role.SURVEY_MANAGER, SURVEY_FIRM, True),
]

EXPERTS = [
    (
        "expert@demo.manyi.cn",
        "孙教授",
        "广州市用户委员会",
        "教授",
        "华南理工大学",
        "质量管理、用户满意度测评",
        "家用电器、电子信息",
        District.TIANHE,
    ),
    (
        "expert2@demo.manyi.cn",
        "周高工",
        "广州市用户委员会",
        "高级工程师",
        "广州市建筑科学研究院",
        "工程质量、施工管理",
        "房屋建筑、市政工程",
        District.YUEXIU,
    ),
    (
        "expert3@demo.manyi.cn",
        "吴研究员",
        "广州市用户委员会",
        "研究员",
        "广东省标准化研究院",
        "标准化、GB/T 19010",
        "食品制造、医疗器械",
        District.HAIZHU,
    ),
    (
        "expert4@demo.manyi.cn",
        "郑经理",
        "广州市天河区质量技术协会",
        "高级经济师",
        "广州卓越管理咨询有限公司",
        "客户关系管理、服务质量",
        "物业服务、住宿餐饮",
        District.TIANHE,
    ),
    (
        "expert5@demo.manyi.cn",
        "冯工",
        "广州市建筑业协会",
        "高级工程师",
        "广州市建设工程质量监督站",
        "工程验收、安全生产",
        "房屋建筑、电力工程",
        District.BAIYUN,
    ),
    (
        "expert6@demo.manyi.cn",
        "何博士",
        "广州市电子信息行业用户委员会",
        "副教授",
        "中山大学",
        "统计方法、满意度测量模型",
        "电子信息、通信服务",
        District.HAIZHU,
    ),
]


def demo_uscc(seed: int) -> str:
    """A valid-looking code: 91 (enterprise) + 440100 (Guangzhou) + a 9-character body."""
    return make_uscc(f"91440100MA{seed:07d}")


def _org(kind, name, **fields) -> Organisation:
    org, _created = Organisation.objects.update_or_create(kind=kind, name=name, defaults=fields)
    return org


def _user(email, name, *, password=DEMO_PASSWORD) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, full_name=name, is_demo=True)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load_people() -> dict:
    """Organisations, accounts and experts. Returns the demo accounts for printing."""
    for kind, name, short in BODIES:
        _org(
            kind,
            name,
            short_name=short,
            address="广州市越秀区沿江中路313号康富来大厦1005房",
            postcode="510110",
            phone="020-83341934",
            fax="020-83325475",
            email="GZZLXH@sina.com",
        )
    agencies = []
    for name, scope, detail, dept, person, district in AGENCIES:
        agencies.append(
            _org(
                OrgKind.AGENCY,
                name,
                agency_scope=scope,
                agency_scope_detail=detail,
                responsible_department=dept,
                responsible_person=person,
                district=district,
                recognised_on=timezone.localdate().replace(month=1, day=15),
            )
        )
    for i, (name, trade, industry, district, agency_idx, ownership, employees, legal) in enumerate(
        ENTERPRISES, start=1
    ):
        confirmed = timezone.now() if i != 4 else None  # one member still waits for its agency
        enterprise = _org(
            OrgKind.ENTERPRISE,
            name,
            uscc=demo_uscc(i),
            trade=trade,
            industry=industry,
            district=district,
            ownership=ownership,
            employees=employees,
            legal_representative=legal,
            address=f"广州市{District(district).label}示范路{i * 8}号",
            postcode=f"5104{i:02d}",
            phone=f"020-8{i:03d}6688",
            contact_department="质量管理部",
            contact_person=f"{legal[0]}经理",
            contact_title="质量部经理",
            contact_mobile=f"1380013{i:04d}",
            email=f"quality{i}@example.cn",
        )
        AgencyMembership.objects.get_or_create(
            enterprise=enterprise,
            agency=agencies[agency_idx],
            defaults={"confirmed_at": confirmed},
        )
    # An enterprise may also belong to industry agencies: the demo applicant is a confirmed
    # member of its district's agency and of an industry user committee, so it chooses per
    # application which of them recommends it.
    for enterprise_name, agency_idx in SECOND_AGENCIES:
        AgencyMembership.objects.get_or_create(
            enterprise=Organisation.objects.get(kind=OrgKind.ENTERPRISE, name=enterprise_name),
            agency=agencies[agency_idx],
            defaults={"confirmed_at": timezone.now()},
        )
    _org(
        OrgKind.SURVEY_FIRM, SURVEY_FIRM, address="广州市天河区体育西路101号", phone="020-38886666"
    )
    orgs = {o.name: o for o in Organisation.objects.all()}
    printed = []
    for email, name, role, org_name, manager in ACCOUNTS:
        user = _user(email, name)
        Membership.objects.get_or_create(
            user=user, organisation=orgs[org_name], role=role, defaults={"is_manager": manager}
        )
        printed.append((Role(role).label, email, org_name))
    for email, name, pool, title, employer, specialties, industries, district in EXPERTS:
        user = _user(email, name)
        Membership.objects.get_or_create(user=user, organisation=orgs[pool], role=Role.EXPERT)
        ExpertProfile.objects.update_or_create(
            user=user,
            defaults={
                "title": title,
                "employer": employer,
                "specialties": specialties,
                "industries": industries,
                "district": district,
            },
        )
    return {"accounts": printed, "password": DEMO_PASSWORD}


# Loaded first: every other demo needs these people and organisations.
DEMO_ORDER = 10


@transaction.atomic
def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo`` (see ``portal``)."""
    people = load_people()
    report.password = people["password"]
    report.accounts.extend(people["accounts"])
