"""Objects the review and title tests share: applications after recommendation, experts with
their profiles and declarations, and a review round with the default rubric."""

import itertools

from django.utils import timezone

from manyi.accounts.models import ExpertProfile
from manyi.accounts.roles import Role
from manyi.applications.states import Status
from manyi.reviews.models import Declaration
from tests.applications.helpers import add_customers, make_application
from tests.factories import MembershipFactory, UserFactory

_serial = itertools.count(1)

MATERIALS = {
    "profile": "本公司成立于二〇〇八年，主要从事家用电器的研发、生产和销售，员工一千二百人。",
    "products": "主导产品为空调、冰箱和洗衣机，提供安装、维修和以旧换新服务。",
    "measures": (
        "我们以用户为中心，建立了覆盖售前、售中、售后的用户需求识别机制。"
        "每季度开展用户满意度测量，针对测量结果制定改进计划并跟踪落实。"
    )
    * 20,
    "outlook": "近三年用户满意度持续提升，今后将继续深化用户满意工程。",
}


def after_recommendation(
    world,
    category="brand",
    *,
    status=Status.RECOMMENDED,
    organisation=None,
    campaign=None,
    materials=None,
    customers=30,
):
    """An application of `category` in `status` (recommended by default), with its four
    materials texts, a number, and an accepted customer list of `customers` rows."""
    application = make_application(
        world, category, organisation=organisation, campaign=campaign, status=status
    )
    for field, text in (materials or MATERIALS).items():
        setattr(application, field, text)
    application.number = application.number or f"{application.campaign.year}-T-{next(_serial):04d}"
    application.decided_at = timezone.now()
    application.save()
    if customers:
        add_customers(application, n=customers, phone_base=13800000000 + next(_serial) * 1000)
    return application


def accepted(world, category="brand", **kwargs):
    return after_recommendation(world, category, status=Status.ACCEPTED, **kwargs)


def make_expert(
    world,
    *,
    employer="华南理工大学",
    district="tianhe",
    campaign=None,
    name=None,
    organisation=None,
    specialties="质量管理",
    industries="家电制造",
):
    """An expert of the committee's pool (TOTP given), with a complete profile, and a signed
    declaration for `campaign` when given."""
    from tests.conftest import give_totp

    n = next(_serial)
    user = UserFactory(email=f"expert{n}@example.cn", full_name=name or f"专家{n}")
    MembershipFactory(
        user=user, organisation=organisation or world.committee, role=Role.EXPERT, is_manager=False
    )
    give_totp(user)
    ExpertProfile.objects.create(
        user=user,
        title="高级工程师",
        employer=employer,
        specialties=specialties,
        industries=industries,
        district=district,
    )
    if campaign is not None:
        Declaration.objects.create(
            expert=user, campaign=campaign, text="本人承诺保密、无利益冲突。"
        )
    return user


# Common characters for made-up Chinese texts: every seed gives another text, the same seed the
# same one, so two texts share no passage unless a test plants one.
_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使"
    "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
)


def chinese_text(seed: int, length: int) -> str:
    """A made-up Chinese text of `length` characters with commas and full stops."""
    import random

    rng = random.Random(seed)
    chars = []
    while len(chars) < length:
        chars.extend(rng.choices(_CHARS, k=rng.randint(6, 14)))
        chars.append(rng.choice("，，。"))
    return "".join(chars[:length])


def materials(seed: int) -> dict:
    """Four materials texts of the lengths the seed asks (200, 300, 2,800, 200 characters)."""
    return {
        "profile": chinese_text(seed * 10 + 1, 200),
        "products": chinese_text(seed * 10 + 2, 300),
        "measures": chinese_text(seed * 10 + 3, 2800),
        "outlook": chinese_text(seed * 10 + 4, 200),
    }


def granted_title(world, category="product", *, organisation=None, campaign=None, on=None):
    """A title granted (by committee staff, through `grant_title`) to an application moved to
    公示 (IN_NOTICE) of `organisation` (a new enterprise unless given)."""
    from manyi.titles.services import grant_title
    from tests.factories import OrganisationFactory

    organisation = organisation or OrganisationFactory(
        name=f"称号测试{next(_serial)}有限公司", agency=world.agency
    )
    application = after_recommendation(
        world, category, status=Status.IN_NOTICE, organisation=organisation, campaign=campaign
    )
    return grant_title(application=application, by=world.users[Role.COMMITTEE_STAFF], on=on)


def assign_experts(world, application, n=3, *, experts=None):
    """A draw for `application` with `n` experts (made unless given) assigned in order, built
    directly with the models (the draw service is tested on its own)."""
    from manyi.reviews.models import Assignment, ExpertDraw

    experts = list(experts or [make_expert(world, campaign=application.campaign) for _ in range(n)])
    draw = ExpertDraw.objects.create(
        application=application,
        seed=7,
        needed=len(experts),
        candidates=[e.pk for e in experts],
        drawn_by=world.users[Role.COMMITTEE_STAFF],
    )
    return [
        Assignment.objects.create(draw=draw, application=application, expert=e, position=i)
        for i, e in enumerate(experts)
    ]
