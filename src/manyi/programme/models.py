"""The association's yearly work plan and theme (Art. 9), and the public site's articles
(Art. 10, 13, 20).

- `AnnualPlan` and its `PlannedActivity` rows change through `programme.plans.services`; a
  training class or an event names the planned activity it carries out, so a planned
  activity's progress links to what happened.
- `Article` (news, good practice, notice) changes through `programme.news.services`, which
  sanitises the rich text with nh3 on every save; `ArticleImage` is an upload checked like
  every other.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class AnnualPlan(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    theme = models.CharField(_("年度推进主题"), max_length=200)
    theme_en = models.CharField(_("年度推进主题（英文）"), max_length=300, blank=True)
    summary = models.TextField(_("工作计划概要"))
    summary_en = models.TextField(_("工作计划概要（英文）"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度工作计划")
        verbose_name_plural = _("年度工作计划")

    def __str__(self):
        return f"{self.year} · {self.theme}"


class ActivityKind(models.TextChoices):
    """The activities Art. 9 lists around the theme, with Art. 14, 16, 17 and 20's."""

    PUBLICITY = "publicity", _("宣传")
    GUIDANCE = "guidance", _("指导")
    EXCHANGE = "exchange", _("经验交流")
    BENCHMARK = "benchmark", _("标杆学习")
    TRAINING = "training", _("培训")
    SURVEY = "survey", _("满意度测评")
    DIAGNOSIS = "diagnosis", _("诊断")
    CONFERENCE = "conference", _("推进大会")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已举办")
    CANCELLED = "cancelled", _("已取消")


class PlannedActivity(models.Model):
    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("年度计划"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    title_en = models.CharField(_("活动名称（英文）"), max_length=300, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    # The body responsible: an organisation of the programme when it has one, or in words.
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("负责单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planned_activities",
    )
    responsible = models.CharField(_("负责单位（文字）"), max_length=200, blank=True)
    status = models.CharField(
        _("进展"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    held_on = models.DateField(_("举办日期"), null=True, blank=True)
    outcome = models.TextField(_("举办情况"), blank=True)
    # Where to read what happened when it is not a class or an event of the system (a news
    # article's path, or an outside address).
    outcome_url = models.CharField(_("相关链接"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "starts_on", "pk"]
        verbose_name = _("计划活动")
        verbose_name_plural = _("计划活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="planned_activity_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class ArticleKind(models.TextChoices):
    NEWS = "news", _("新闻动态")
    PRACTICE = "practice", _("先进经验与标杆")
    NOTICE = "notice", _("通知公告")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤下")


class Article(models.Model):
    kind = models.CharField(_("栏目"), max_length=20, choices=ArticleKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    title_en = models.CharField(_("标题（英文）"), max_length=300, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    summary_en = models.CharField(_("摘要（英文）"), max_length=800, blank=True)
    # Sanitised HTML (nh3) — never rendered unless it went through `news.services`.
    body = models.TextField(_("正文"))
    body_en = models.TextField(_("正文（英文）"), blank=True)
    # A good practice belongs to an advanced unit or a benchmark enterprise.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("相关单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    planned_activity = models.ForeignKey(
        PlannedActivity,
        verbose_name=_("对应的计划活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("文章")
        verbose_name_plural = _("文章")

    def __str__(self):
        return self.title


class ArticleImage(models.Model):
    """An image for articles, checked by content on upload and kept privately; served by its
    own view, so an article's body may only point to these."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="images"
    )
    file = models.CharField(max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("文章图片")
        verbose_name_plural = _("文章图片")

    def __str__(self):
        return self.original_name
