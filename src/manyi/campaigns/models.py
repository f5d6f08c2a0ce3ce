"""The yearly campaign (申报活动) and what it fixes: categories, quotas, bans and reopenings.

Every change goes through `manyi.campaigns.services`:

- `Campaign` is created by `create_campaign`, edited by `update_campaign` and moves between
  states only through `move_campaign` (the allowed moves are `CAMPAIGN_MOVES`).
- `CampaignCategory` rows are created with the campaign and changed by `set_category`.
- `AgencyQuota` rows are written by `set_quota`.
- `Ban` rows are added by `add_ban` and lifted by `lift_ban`.
- `Reopening` rows are added by `reopen_for_applicant`.
"""

from datetime import date, datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from manyi.accounts.roles import OrgKind
from manyi.accounts.uscc import validate_uscc
from manyi.campaigns.categories import FORMS, Category

# The measures apply from 2016 (Art. 29).
FIRST_YEAR = 2016

DEFAULT_SATISFACTION_THRESHOLD = 80
DEFAULT_MINIMUM_CUSTOMERS = 30
DEFAULT_EXPERTS_PER_APPLICATION = 3
DEFAULT_TITLE_VALIDITY_YEARS = 3
DEFAULT_PUBLIC_NOTICE_DAYS = 7
# Below this index a title holder's later survey opens a revocation case (Art. 22).
DEFAULT_SEVERELY_LOW_INDEX = 60
# Art. 26: 五年内不再受理. Fixed by the measures, not a setting.
BAN_YEARS = 5


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已截止")
    ARCHIVED = "archived", _("已归档")


# States everyone may see; a draft is seen by programme staff only.
PUBLIC_STATUSES = (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED, CampaignStatus.ARCHIVED)
# States in which staff may still let one applicant in after closing time.
REOPENABLE_STATUSES = (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED)

# The one table of allowed moves. Closed → published is allowed only before closes_at (a
# campaign closed early by mistake); `move_campaign` checks that.
CAMPAIGN_MOVES: dict[str, tuple[str, ...]] = {
    CampaignStatus.DRAFT: (CampaignStatus.PUBLISHED,),
    CampaignStatus.PUBLISHED: (CampaignStatus.CLOSED,),
    CampaignStatus.CLOSED: (CampaignStatus.ARCHIVED, CampaignStatus.PUBLISHED),
    CampaignStatus.ARCHIVED: (),
}

# What staff press to make each move (the button and the confirmation say it).
MOVE_LABELS = {
    (CampaignStatus.DRAFT, CampaignStatus.PUBLISHED): _("发布"),
    (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED): _("截止受理"),
    (CampaignStatus.CLOSED, CampaignStatus.ARCHIVED): _("归档"),
    (CampaignStatus.CLOSED, CampaignStatus.PUBLISHED): _("重新开放"),
}


class Campaign(models.Model):
    """One year's call, e.g. 申报2026年广州市实施用户满意工程先进单位."""

    year = models.PositiveSmallIntegerField(
        _("申报年度"),
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)],
        error_messages={"unique": _("该年度的申报活动已存在")},
    )
    title = models.CharField(_("活动名称"), max_length=200)
    theme = models.CharField(_("年度推进主题"), max_length=200, blank=True)
    work_plan = models.TextField(_("年度工作计划"), blank=True)
    opens_at = models.DateTimeField(_("开始受理时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("申报活动")
        verbose_name_plural = _("申报活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="campaign_closes_after_opens",
                violation_error_message=_("截止时间应晚于开始受理时间"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR), name="campaign_year_valid"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def is_accepting(self, at: datetime | None = None) -> bool:
        """Published and inside its window: applications may be submitted and changed."""
        at = at or timezone.now()
        return self.status == CampaignStatus.PUBLISHED and self.opens_at <= at < self.closes_at

    def next_moves(self) -> list[tuple[str, str]]:
        """(target state, button label) for each move allowed from the current state."""
        return [(to, MOVE_LABELS[(self.status, to)]) for to in CAMPAIGN_MOVES[self.status]]


class CampaignCategory(models.Model):
    """A category in one campaign: open or not, and the settings the measures leave open."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("申报活动"), on_delete=models.CASCADE, related_name="categories"
    )
    category = models.CharField(_("申报类别"), max_length=20, choices=Category.choices)
    is_open = models.BooleanField(_("开放申报"), default=True)
    # The forms say "以2017年度数据为准" but the service form says 2016: one per category.
    data_year = models.PositiveSmallIntegerField(
        _("数据年度"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("申请表“以××年度数据为准”"),
    )
    satisfaction_threshold = models.DecimalField(
        _("满意度指数门槛"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_SATISFACTION_THRESHOLD,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("0–100，按点估计判断"),
    )
    minimum_customers = models.PositiveIntegerField(
        _("用户名单最少行数"),
        default=DEFAULT_MINIMUM_CUSTOMERS,
        validators=[MinValueValidator(1)],
    )
    experts_per_application = models.PositiveSmallIntegerField(
        _("每份申请评审专家数"),
        default=DEFAULT_EXPERTS_PER_APPLICATION,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    title_validity_years = models.PositiveSmallIntegerField(
        _("称号有效期（年）"),
        default=DEFAULT_TITLE_VALIDITY_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    severely_low_index = models.DecimalField(
        _("满意度严重偏低线"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_SEVERELY_LOW_INDEX,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("获证后第三方调查的指数低于此线时，自动立案研究是否撤销称号（第二十二条）"),
    )
    public_notice_days = models.PositiveSmallIntegerField(
        _("公示期（天）"),
        default=DEFAULT_PUBLIC_NOTICE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    resubmission_days = models.PositiveSmallIntegerField(
        _("退回后重新提交期限（天）"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("推荐单位退回修改后，申报单位应在此天数内重新提交；到期前两天提醒"),
    )
    deficiency_days = models.PositiveSmallIntegerField(
        _("补正期限（天）"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("用户委员会一次性告知缺件后，申报单位应在此天数内补正"),
    )
    expert_workload_cap = models.PositiveSmallIntegerField(
        _("每位专家评审上限（份）"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("本年度本类别每位专家最多评审的申报数"),
    )
    # Art. 18: the organisation's people must have been trained before it applies. Zero
    # requires nothing; `training.requirements.training_problems` checks it at submission.
    min_training_hours = models.DecimalField(
        _("申报前最少培训学时"),
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("本单位职工在申报年度及上一年度参加并考核合格的培训学时合计；0 表示不要求"),
    )
    min_trained_employees = models.PositiveSmallIntegerField(
        _("申报前最少培训合格人数"),
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text=_("同期至少有多少名职工参加培训并考核合格；0 表示不要求"),
    )

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("申报类别设置")
        verbose_name_plural = _("申报类别设置")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "category"], name="campaign_category_unique"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="campaign_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction_threshold__gte=0, satisfaction_threshold__lte=100),
                name="campaign_category_threshold_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    minimum_customers__gte=1,
                    experts_per_application__gte=1,
                    title_validity_years__gte=1,
                    public_notice_days__gte=1,
                ),
                name="campaign_category_positive_settings",
            ),
        ]

    def __str__(self):
        return f"{self.campaign.year} · {self.get_category_display()}"

    @property
    def form(self):
        return FORMS[self.category]


class AgencyQuota(models.Model):
    """How many applications an agency may recommend in a category. No row: none at all."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("申报活动"), on_delete=models.CASCADE, related_name="quotas"
    )
    agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("推荐单位"),
        on_delete=models.PROTECT,
        related_name="campaign_quotas",
        limit_choices_to={"kind": OrgKind.AGENCY},
    )
    category = models.CharField(_("申报类别"), max_length=20, choices=Category.choices)
    quota = models.PositiveIntegerField(_("推荐名额"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["agency__name", "category"]
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "agency", "category"], name="agency_quota_unique"
            ),
            models.CheckConstraint(condition=Q(quota__gte=1), name="agency_quota_positive"),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="agency_quota_category_valid"
            ),
        ]

    def __str__(self):
        return f"{self.agency} · {self.get_category_display()} · {self.quota}"


class BanSource(models.TextChoices):
    FRAUD = "fraud", _("提供虚假材料、剽窃等不正当手段骗取称号（第二十六条）")
    REVOCATION = "revocation", _("撤销称号")
    OTHER = "other", _("其他")


class BanQuerySet(models.QuerySet):
    def in_force(self, on: date):
        """Bans not lifted whose period covers the day `on`."""
        return self.filter(lifted_at__isnull=True, decided_on__lte=on, ends_on__gt=on)


class Ban(models.Model):
    """No application is accepted from this USCC from decided_on until the day before ends_on.

    Added by `services.add_ban`, which sets ends_on five years on (Art. 26); lifted only by
    `services.lift_ban`, with a reason.
    """

    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, db_index=True, validators=[validate_uscc]
    )
    organisation_name = models.CharField(_("单位名称（决定时）"), max_length=200)
    reason = models.TextField(_("事由"))
    source = models.CharField(
        _("依据"), max_length=20, choices=BanSource.choices, default=BanSource.FRAUD
    )
    decided_on = models.DateField(_("决定日期"))
    ends_on = models.DateField(_("期满日期"), help_text=_("自该日起恢复受理"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lift_reason = models.TextField(_("解除原因"), blank=True)

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("禁止申报记录")
        verbose_name_plural = _("禁止申报名单")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("decided_on")), name="ban_ends_after_decision"
            ),
            models.CheckConstraint(
                condition=Q(source__in=BanSource.values), name="ban_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lift_reason="")
                | (Q(lifted_at__isnull=False) & ~Q(lift_reason="")),
                name="ban_lift_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_name}（{self.uscc}）"

    def in_force_on(self, day: date) -> bool:
        return self.lifted_at is None and self.decided_on <= day < self.ends_on


class Reopening(models.Model):
    """After closing time, staff let one applicant submit or change one category until `until`."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("申报活动"), on_delete=models.CASCADE, related_name="reopenings"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("申报单位"),
        on_delete=models.CASCADE,
        related_name="campaign_reopenings",
        limit_choices_to={"kind": OrgKind.ENTERPRISE},
    )
    category = models.CharField(_("申报类别"), max_length=20, choices=Category.choices)
    reason = models.TextField(_("原因"))
    until = models.DateTimeField(_("开放至"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("单独开放")
        verbose_name_plural = _("单独开放")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="reopening_category_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="reopening_has_reason"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_category_display()}"
