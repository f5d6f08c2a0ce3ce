"""Experience-exchange meetings, benchmark-learning visits and the yearly promotion
conference (Art. 13, 14, 17, 20).

- An `Event` is organised by the association, the committee or an agency; a benchmark visit
  is hosted by a benchmark enterprise. Published events have a public page.
- A `Registration` is confirmed while places remain, else it waits (`WAITLISTED`) in order of
  arrival and is moved up by `events.services.registration` when a place frees. Its token
  opens the registrant's own page; a check-in code derived from it is the QR code scanned at
  the door; only hashes of both are kept.
- After the event: `EventMaterial` (slides, minutes) and `PracticeShare` (who shared which
  practice). Every change goes through `events.services` (organising, registration,
  after_event).
"""

import hashlib

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import phone_validator


class EventKind(models.TextChoices):
    EXCHANGE = "exchange", _("经验交流会")
    BENCHMARK = "benchmark", _("标杆学习现场研修")
    CONFERENCE = "conference", _("用户满意工程推进大会")


class EventFormat(models.TextChoices):
    """The ways of Art. 17's benchmark learning."""

    TALK = "talk", _("主题培训")
    METHOD = "method", _("方法解读")
    SITE_VISIT = "site_visit", _("企业现场参观交流")
    GROUP = "group", _("分组讨论")
    QA = "qa", _("答疑研讨")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")
    HELD = "held", _("已举办")


class Event(models.Model):
    kind = models.CharField(_("活动类型"), max_length=20, choices=EventKind.choices)
    organiser = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="organised_events",
    )
    host = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("承办（标杆）企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_events",
    )
    planned_activity = models.ForeignKey(
        "programme.PlannedActivity",
        verbose_name=_("对应的年度计划活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    title = models.CharField(_("活动名称"), max_length=200)
    title_en = models.CharField(_("活动名称（英文）"), max_length=300, blank=True)
    summary = models.TextField(_("活动介绍"))
    summary_en = models.TextField(_("活动介绍（英文）"), blank=True)
    formats = models.JSONField(_("活动形式"), default=list, blank=True)
    agenda = models.TextField(_("日程安排"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])
    registration_closes_at = models.DateTimeField(_("报名截止时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("交流活动")
        verbose_name_plural = _("交流活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("报名成功")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


class Registration(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("姓名"), max_length=60)
    organisation_name = models.CharField(_("单位"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    position = models.CharField(_("职务"), max_length=60, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, validators=[phone_validator])
    email = models.EmailField(_("电子邮箱"))
    status = models.CharField(
        _("状态"), max_length=20, choices=RegistrationStatus.choices, db_index=True
    )
    # Order on the waiting list: arrival time, ties broken by id.
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    # The hash of the check-in code in the QR code: derived one way from the token
    # (`events.tokens.checkin_code`), so whoever scans the code at the door cannot open the
    # registrant's own page (and cancel) with it.
    checkin_hash = models.CharField(max_length=64, db_index=True, default="", editable=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            # One live registration per address and event (a cancelled one may be made again).
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_email",
            )
        ]

    def __str__(self):
        return f"{self.name} · {self.event}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class EventMaterial(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("资料名称"), max_length=200)
    file = models.CharField(max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["event", "uploaded_at"]
        verbose_name = _("活动资料")
        verbose_name_plural = _("活动资料")

    def __str__(self):
        return self.title


class PracticeShare(models.Model):
    """Who shared which practice at the event (the record Art. 13 and 20 ask for)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("分享单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_shares",
    )
    organisation_name = models.CharField(_("分享单位"), max_length=200)
    speaker = models.CharField(_("分享人"), max_length=60)
    title = models.CharField(_("经验题目"), max_length=200)
    summary = models.TextField(_("内容摘要"), blank=True)
    # The good practice's article on the public site, when staff wrote one.
    article = models.ForeignKey(
        "programme.Article",
        verbose_name=_("经验文章"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_shares",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("经验分享")
        verbose_name_plural = _("经验分享")

    def __str__(self):
        return self.title
