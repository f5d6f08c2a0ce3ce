"""People, organisations and the roles that link them.

- `User` is created by `services.register_enterprise`, `services.accept_invitation` or the demo loader.
- `Organisation` details change through `services.update_organisation`; an enterprise's agency
  link is confirmed through `services.confirm_agency_membership`.
- `Membership` rows are created by the registration and invitation services only.
"""

import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from manyi.accounts.roles import AgencyScope, District, OrgKind, Role, Trade
from manyi.accounts.uscc import validate_uscc

phone_validator = RegexValidator(
    r"^(?:(?:\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$",
    _("请输入有效的电话号码，例如 13800138000 或 020-83341934"),
)
postcode_validator = RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字"))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("电子邮箱"), unique=True)
    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True, validators=[phone_validator])
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入后台"), default=False)
    # Demo accounts printed by `make run`; they may skip two-factor set-up on a DEBUG server.
    is_demo = models.BooleanField(_("演示账户"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class Organisation(models.Model):
    kind = models.CharField(_("组织类型"), max_length=20, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    uscc = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_uscc],
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=60, blank=True)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    postcode = models.CharField(
        _("邮政编码"), max_length=6, blank=True, validators=[postcode_validator]
    )
    district = models.CharField(_("所在区"), max_length=20, choices=District.choices, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True, validators=[phone_validator])
    fax = models.CharField(_("传真"), max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(_("E-mail"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    # Enterprise details reused by every form (附件2, 附件4-x).
    industry = models.CharField(_("所属行业"), max_length=60, blank=True)
    trade = models.CharField(_("企业类型"), max_length=20, choices=Trade.choices, blank=True)
    ownership = models.CharField(_("所有制形式"), max_length=60, blank=True)
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    contact_department = models.CharField(_("联系部门"), max_length=60, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_title = models.CharField(_("联系人职务"), max_length=60, blank=True)
    contact_mobile = models.CharField(
        _("手机"), max_length=20, blank=True, validators=[phone_validator]
    )
    # Agency recognition (Art. 8): scope, a responsible department and a named person.
    agency_scope = models.CharField(
        _("推进范围"), max_length=20, choices=AgencyScope.choices, blank=True
    )
    agency_scope_detail = models.CharField(_("地区或行业"), max_length=100, blank=True)
    responsible_department = models.CharField(_("主管部门"), max_length=100, blank=True)
    responsible_person = models.CharField(_("专人负责"), max_length=60, blank=True)
    recognised_on = models.DateField(_("认可日期"), null=True, blank=True)
    # The agency's plan and measures (有计划、有措施), from its request for recognition.
    agency_plan = models.TextField(_("推进计划和措施"), blank=True)
    # Recognition suspended by the association (Art. 6, 8): the agency recommends nothing
    # until reinstated. Set and cleared only by `agencies.services`.
    recognition_suspended_on = models.DateField(_("暂停认可日期"), null=True, blank=True)
    recognition_suspension_reason = models.TextField(_("暂停认可原因"), blank=True)
    # An agency disqualified from the work (Art. 27): it recommends nothing more. Set and
    # cleared only by `supervision.sanctions.services`, which keeps the reason and the record.
    disqualified_on = models.DateField(_("取消资格日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        # The dashboards' newest enterprises (and agencies) of a kind, without sorting them all.
        indexes = [
            models.Index(
                "kind", F("created_at").desc(), F("id").desc(), name="org_kind_newest_first"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="org_unique_name_per_kind"),
            models.CheckConstraint(
                condition=~Q(kind=OrgKind.ENTERPRISE) | Q(uscc__isnull=False),
                name="org_enterprise_has_uscc",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_enterprise(self) -> bool:
        return self.kind == OrgKind.ENTERPRISE

    @property
    def is_agency(self) -> bool:
        return self.kind == OrgKind.AGENCY

    @property
    def may_recommend(self) -> bool:
        """A promotion agency in good standing: recognised by the association (Art. 8), its
        recognition not suspended, not disqualified (Art. 27). The same test as
        `RECOMMENDING_AGENCY` in queries."""
        return (
            self.kind == OrgKind.AGENCY
            and self.is_active
            and self.recognised_on is not None
            and self.recognition_suspended_on is None
            and self.disqualified_on is None
        )


# The query form of `Organisation.may_recommend`: every list of agencies that may recommend,
# take a quota or be joined filters with it.
RECOMMENDING_AGENCY = Q(
    kind=OrgKind.AGENCY,
    is_active=True,
    recognised_on__isnull=False,
    recognition_suspended_on__isnull=True,
    disqualified_on__isnull=True,
)


class AgencyMembership(models.Model):
    """An enterprise's membership of a promotion agency (推荐单位): regional or industry.

    An enterprise may belong to its district's agency and to industry agencies at once; each
    application names the one that recommends it. The enterprise asks to join
    (`services.request_agency_membership`, or at registration); the agency's staff confirm or
    decline (`services.confirm_agency_membership`). A declined request is deleted (logged).
    """

    enterprise = models.ForeignKey(
        Organisation,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="agency_memberships",
        limit_choices_to={"kind": OrgKind.ENTERPRISE},
    )
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("推进机构"),
        on_delete=models.PROTECT,
        related_name="member_enterprises",
        limit_choices_to={"kind": OrgKind.AGENCY},
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    # Set when the agency invited the enterprise (`agencies.services.invite_member`); the
    # enterprise's acceptance confirms the membership. Null when the enterprise asked.
    invited_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    invited_by = models.ForeignKey(
        "User",
        verbose_name=_("邀请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "User",
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["agency__name", "enterprise__name"]
        verbose_name = _("推进机构会员")
        verbose_name_plural = _("推进机构会员")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "agency"], name="agency_membership_once"),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.agency}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    # A manager may invite colleagues into the same organisation and role.
    is_manager = models.BooleanField(_("管理员"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("成员身份")
        verbose_name_plural = _("成员身份")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ExpertProfile(models.Model):
    """An expert's details, used when drawing reviewers free of conflicts."""

    user = models.OneToOneField(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="expert_profile"
    )
    title = models.CharField(_("职称"), max_length=60, blank=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    specialties = models.CharField(
        _("专业特长"), max_length=300, blank=True, help_text=_("多个用顿号或逗号分隔")
    )
    industries = models.CharField(
        _("熟悉行业"), max_length=300, blank=True, help_text=_("多个用顿号或逗号分隔")
    )
    district = models.CharField(_("所在区"), max_length=20, choices=District.choices, blank=True)
    in_pool = models.BooleanField(_("在库"), default=True)
    available = models.BooleanField(
        _("可接受评审指派"), default=True, help_text=_("暂时无法参加评审时取消勾选")
    )
    unavailable_note = models.CharField(_("不能参加的时段或原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专家资料")
        verbose_name_plural = _("专家资料")

    def __str__(self):
        return str(self.user)

    @property
    def is_complete(self) -> bool:
        return bool(self.title and self.employer and self.specialties and self.industries)


class Invitation(models.Model):
    """An invitation to join an organisation in a role. Accepted by `services.accept_invitation`."""

    email = models.EmailField(_("电子邮箱"))
    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    # Only the hash of the token is stored: a database leak does not leak working links.
    token_hash = models.CharField(max_length=64, unique=True)
    # The membership it gives may invite colleagues (`Membership.is_manager`).
    is_manager = models.BooleanField(_("管理员"), default=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("邀请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
