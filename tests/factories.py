"""Factories for the standing cast of every test: an organisation of each kind and its people."""

import datetime
import itertools

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from manyi.accounts.models import AgencyMembership, ExpertProfile, Membership, Organisation, User
from manyi.accounts.roles import OrgKind, Role, Trade
from manyi.accounts.uscc import make_uscc

PASSWORD = "correct-horse-battery-9"
_uscc_seq = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrgKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"测试组织{n}有限公司")
    uscc = factory.LazyAttribute(
        lambda o: (
            make_uscc(f"91440100MB{next(_uscc_seq):07d}") if o.kind == OrgKind.ENTERPRISE else None
        )
    )
    trade = factory.LazyAttribute(
        lambda o: Trade.INDUSTRIAL if o.kind == OrgKind.ENTERPRISE else ""
    )
    # An agency made by staff is recognised (Art. 8); pass recognised_on=None for one that is not.
    recognised_on = factory.LazyAttribute(
        lambda o: datetime.date(2020, 1, 15) if o.kind == OrgKind.AGENCY else None
    )

    @factory.post_generation
    def agency(self, create, extracted, **kwargs):
        """``agency=<Organisation>``: the enterprise asked to join it, as registration does
        (``agency__confirmed=True`` for a confirmed member)."""
        if create and extracted is not None:
            AgencyMembership.objects.create(
                enterprise=self,
                agency=extracted,
                confirmed_at=timezone.now() if kwargs.get("confirmed") else None,
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ENTERPRISE_USER


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory)
    title = "高级工程师"
    employer = "某研究院"
    specialties = "质量管理"
    industries = "电子信息"
