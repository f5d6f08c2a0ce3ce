"""The grown world's organisations and people: agencies up to the city's number, thousands of
enterprises with one user each, their agency memberships, more experts in the pool.

Every new account is a demo account (`is_demo`) with the demo password, so anyone can log in
as any of them on a development server; the password is hashed once, not once per person.
"""

from datetime import timedelta
from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from manyi.accounts.demo import DEMO_PASSWORD
from manyi.accounts.models import (
    RECOMMENDING_AGENCY,
    AgencyMembership,
    ExpertProfile,
    Membership,
    Organisation,
    User,
)
from manyi.accounts.roles import District, OrgKind, Role
from manyi.applications.models import AgencySeal
from manyi.portal.scale import names
from manyi.portal.scale.bulk import insert

EMAIL_DOMAIN = "scale.manyi.cn"
EXPERT_TITLES = ["教授", "高级工程师", "研究员", "高级经济师", "副教授"]
EXPERT_EMPLOYERS = ["华南理工大学", "中山大学", "广东省标准化研究院", "广州市建筑科学研究院"]
EXPERT_FIELDS = ["质量管理、用户满意度测评", "工程质量、施工管理", "服务质量、客户关系管理"]


@cache
def demo_password() -> str:
    return make_password(DEMO_PASSWORD)


def make_users(people: list[tuple[str, str]], now) -> list[User]:
    """Accounts for (email, full name), with verified addresses, all with the demo password."""
    password = demo_password()
    users = insert(
        User,
        (
            User(email=email, full_name=name, password=password, is_demo=True, date_joined=now)
            for email, name in people
        ),
    )
    insert(
        EmailAddress,
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
    )
    return users


def next_sequence() -> int:
    """A number above every organisation and account so far: codes and addresses made from it
    never meet those of an earlier growth."""
    last_org = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_user = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return max(last_org, last_user) + 1


def grow_agencies(rng, target: int, now, sequence: int):
    """Agencies that may recommend, up to `target`, each with two staff members and the seal
    image the demo's agencies use. Returns them all (the demo agency, agency@demo's, first),
    each one's staff member who acts for it, and the new ones."""
    existing = list(Organisation.objects.filter(RECOMMENDING_AGENCY).order_by("pk"))
    taken = set(Organisation.objects.filter(kind=OrgKind.AGENCY).values_list("name", flat=True))
    wanted = max(0, target - len(existing))
    new = []
    for name, scope, detail, district in names.agency_names(taken):
        if len(new) >= wanted:
            break
        new.append(
            Organisation(
                kind=OrgKind.AGENCY,
                name=name,
                agency_scope=scope,
                agency_scope_detail=detail,
                district=district or rng.choice(list(District)).value,
                responsible_department=f"广州市{rng.choice(names.DEPARTMENTS)}",
                responsible_person=names.person(rng),
                recognised_on=(now - timedelta(days=rng.randrange(60, 2000))).date(),
                agency_plan="每年组织会员企业开展用户满意度测评和经验交流，推荐优秀企业申报。",
                address=f"广州市{detail}{rng.choice(names.STREETS)}{rng.randrange(1, 600)}号",
                phone=f"020-8{rng.randrange(10**6, 10**7)}",
                created_at=now - timedelta(days=rng.randrange(400, 3000)),
            )
        )
    new = insert(Organisation, new, dated=True)
    people = [
        (f"jg{sequence + i}-{k}@{EMAIL_DOMAIN}", names.person(rng))
        for i in range(len(new))
        for k in range(2)
    ]
    users = make_users(people, now)
    insert(
        Membership,
        (
            Membership(
                user=users[2 * i + k],
                organisation=agency,
                role=Role.AGENCY_STAFF,
                is_manager=k == 0,
                created_at=agency.created_at,
            )
            for i, agency in enumerate(new)
            for k in range(2)
        ),
        dated=True,
    )
    seal = AgencySeal.objects.first()
    if seal is not None:
        insert(
            AgencySeal,
            (
                AgencySeal(
                    agency=agency,
                    file_path=seal.file_path,
                    content_type=seal.content_type,
                    sha256=seal.sha256,
                    uploaded_by=users[2 * i],
                )
                for i, agency in enumerate(new)
            ),
        )
    agencies = existing + new
    demo = Membership.objects.filter(user__email="agency@demo.manyi.cn").first()
    if demo is not None:
        agencies.sort(key=lambda a: a.pk != demo.organisation_id)  # stable: the rest keep order
    staff = {}
    for membership in Membership.objects.filter(
        organisation__in=agencies, role=Role.AGENCY_STAFF, is_active=True
    ).select_related("user"):
        staff.setdefault(membership.organisation_id, membership.user)
    return agencies, staff, new


def grow_enterprises(rng, count: int, now, sequence: int):
    """`count` enterprises, each with its applicant (an enterprise user who manages it)."""
    taken = set(Organisation.objects.filter(kind=OrgKind.ENTERPRISE).values_list("name", flat=True))
    districts = list(District)
    rows = []
    for i, (name, brand, sector, trade) in enumerate(names.enterprise_names(rng, count, taken)):
        district = rng.choice(districts)
        legal = names.person(rng)
        rows.append(
            Organisation(
                kind=OrgKind.ENTERPRISE,
                name=name,
                short_name=brand,
                uscc=names.uscc(district.value, sequence + i),
                trade=trade,
                industry=sector,
                district=district.value,
                ownership=rng.choice(names.OWNERSHIP),
                employees=rng.randrange(30, 5000),
                legal_representative=legal,
                address=f"广州市{district.label}{rng.choice(names.STREETS)}{rng.randrange(1, 999)}号",
                postcode=f"510{rng.randrange(100, 999)}",
                phone=f"020-8{rng.randrange(10**6, 10**7)}",
                email=f"quality{sequence + i}@example.cn",
                contact_department="质量管理部",
                contact_person=names.person(rng),
                contact_title="质量部经理",
                contact_mobile=names.mobile(sequence + i),
                created_at=now - timedelta(days=rng.randrange(30, 3000)),
            )
        )
    enterprises = insert(Organisation, rows, dated=True)
    users = make_users(
        [(f"qy{sequence + i}@{EMAIL_DOMAIN}", e.contact_person) for i, e in enumerate(enterprises)],
        now,
    )
    insert(
        Membership,
        (
            Membership(
                user=user,
                organisation=enterprise,
                role=Role.ENTERPRISE_USER,
                is_manager=True,
                created_at=enterprise.created_at,
            )
            for enterprise, user in zip(enterprises, users, strict=True)
        ),
        dated=True,
    )
    return enterprises, users


def join_agencies(rng, enterprises, agencies, plan, applying: set[int], staff: dict, now) -> int:
    """The agency memberships of `plan` (agency indexes per enterprise). An enterprise that
    applies has its first agency confirmed; of the others a few still wait for the agency
    (asked) or for the enterprise (invited), so the members page has requests to decide."""
    rows = []
    for i, chosen in enumerate(plan):
        enterprise = enterprises[i]
        for k, a in enumerate(chosen):
            agency = agencies[a]
            asked = enterprise.created_at + timedelta(days=rng.randrange(1, 30))
            waiting = (i not in applying or k > 0) and rng.random() < 0.04
            invited = waiting and rng.random() < 0.5
            rows.append(
                AgencyMembership(
                    enterprise=enterprise,
                    agency=agency,
                    requested_at=asked,
                    invited_at=asked if invited else None,
                    invited_by=staff.get(agency.pk) if invited else None,
                    confirmed_at=None if waiting else asked + timedelta(days=rng.randrange(1, 9)),
                    confirmed_by=None if waiting else staff.get(agency.pk),
                )
            )
    return len(insert(AgencyMembership, rows, dated=True))


def grow_experts(rng, count: int, committee, now, sequence: int) -> list[User]:
    """`count` more experts in the committee's pool, with complete profiles; returns the whole
    pool (the demo's experts too)."""
    users = make_users(
        [(f"zj{sequence + i}@{EMAIL_DOMAIN}", names.person(rng)) for i in range(count)], now
    )
    insert(
        Membership,
        (Membership(user=u, organisation=committee, role=Role.EXPERT) for u in users),
    )
    insert(
        ExpertProfile,
        (
            ExpertProfile(
                user=u,
                title=rng.choice(EXPERT_TITLES),
                employer=rng.choice(EXPERT_EMPLOYERS),
                specialties=rng.choice(EXPERT_FIELDS),
                industries="、".join(rng.sample([s for _i, _t, s in names.INDUSTRIES], 2)),
                district=rng.choice(list(District)).value,
            )
            for u in users
        ),
    )
    return list(
        User.objects.filter(
            memberships__organisation=committee, memberships__role=Role.EXPERT
        ).order_by("pk")
    )
