"""From the committee's decision to a title (DOMAIN.md steps 10–12; Art. 7, 17, 24, 25).

- `Decision`: the committee's proposal for one evaluated application (award or not, reasons,
  benchmark), confirmed by the association's administrator, and released with its category's
  other decisions at once (`DecisionRelease`): before release, the applicant sees nothing.
- `PublicNotice`: the 公示 of a category's proposed titles (its period from
  `public_notice_days`), and the final 公告 of the titles granted.
- `Objection`: anyone's objection to a proposed title during the 公示; the objector's name and
  contact stay private. An upheld objection withdraws the proposal.
- `Title`: the granted title, with its unique number (never reused), validity and status;
  `TitleCounter` hands out the numbers under a row lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category


class Proposal(models.TextChoices):
    AWARD = "award", _("拟授予称号")
    NOT_AWARD = "not_award", _("不予授予")


class DecisionRelease(models.Model):
    """A category's decisions, released together by the association's administrator."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="decision_releases"
    )
    category = models.CharField(_("申报类别"), max_length=20, choices=Category.choices)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评定结果发布")
        verbose_name_plural = _("评定结果发布")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "category"], name="decision_release_once")
        ]

    def __str__(self):
        return f"{self.campaign.year} · {self.get_category_display()}"


class Decision(models.Model):
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    proposal = models.CharField(_("评定意见"), max_length=10, choices=Proposal.choices)
    reasons = models.TextField(_("理由"))
    benchmark = models.BooleanField(_("标杆"), default=False)
    # What the committee saw when it proposed: index, interval, expert result, flags.
    basis = models.JSONField(_("评定依据"), default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    release = models.ForeignKey(
        DecisionRelease,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    notice = models.ForeignKey(
        "titles.PublicNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    # Set when an upheld objection withdraws an award proposal.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评定意见")
        verbose_name_plural = _("评定意见")
        constraints = [
            models.CheckConstraint(
                condition=Q(benchmark=False) | Q(proposal="award"),
                name="decision_benchmark_is_award",
            ),
            models.CheckConstraint(
                condition=Q(release__isnull=True) | Q(confirmed_at__isnull=False),
                name="decision_released_is_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.get_proposal_display()}"


class NoticeKind(models.TextChoices):
    PUBLICITY = "publicity", _("公示")
    ANNOUNCEMENT = "announcement", _("公告")


class PublicNotice(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="public_notices"
    )
    category = models.CharField(_("申报类别"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    # Set when the period has ended and its titles were granted (or withdrawn).
    closed_at = models.DateTimeField(_("公示结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("公示公告")
        verbose_name_plural = _("公示公告")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "category", "kind"], name="public_notice_once"
            ),
            models.CheckConstraint(
                condition=~Q(kind="publicity") | Q(ends_on__isnull=False),
                name="publicity_has_end",
            ),
        ]

    def __str__(self):
        return self.title


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("已收到")
    INVESTIGATING = "investigating", _("调查中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("异议对象"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    # Private: shown only to the staff handling it.
    name = models.CharField(_("异议人姓名或单位"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    reasons = models.TextField(_("异议事实和理由"))
    evidence_path = models.CharField(max_length=200, blank=True)
    evidence_name = models.CharField(_("证明材料"), max_length=200, blank=True)
    evidence_type = models.CharField(max_length=60, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    # Only a hash of the objector's private follow-up link is kept.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("状态"),
        max_length=15,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.RECEIVED,
        db_index=True,
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objection_investigations",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(_("调查结论和理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self):
        return f"{self.application} · {self.get_status_display()}"


class TitleStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")


class Title(models.Model):
    number = models.CharField(_("证书编号"), max_length=30, unique=True)
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="title",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("获得单位"),
        on_delete=models.PROTECT,
        related_name="titles",
    )
    category = models.CharField(_("称号类别"), max_length=20, choices=Category.choices)
    # The product, brand, service or project the title names (the organisation for 企业).
    subject = models.CharField(_("称号对象"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    benchmark = models.BooleanField(_("标杆"), default=False)
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=TitleStatus.choices,
        default=TitleStatus.VALID,
        db_index=True,
    )
    status_since = models.DateField(_("状态日期"))
    announcement = models.ForeignKey(
        PublicNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="titles"
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "category", "number"]
        verbose_name = _("称号")
        verbose_name_plural = _("称号")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")), name="title_validity_order"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"


class TitleCounter(models.Model):
    """The last number given per year and category; locked while the next one is taken."""

    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=20, choices=Category.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "category"], name="title_counter_unique")
        ]

    def __str__(self):
        return f"{self.year} {self.category} {self.last}"
