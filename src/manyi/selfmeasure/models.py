"""An enterprise's own, continuous measurement of its customers' satisfaction (Art. 19).

- `OwnSurvey`: a customer survey the enterprise runs itself with a published questionnaire of
  the platform and one collection link (web page and QR code), without a survey firm. Created,
  closed and turned into a data set and a measurement run only by `services`.
- `OwnResponse`: one questionnaire answered through that link (one per browser).
- `ImprovementPlan` / `ImprovementAction`: what the enterprise decides to do about the drivers
  its importance–performance map shows, who does it by when, and whether it was done; the next
  measurement shows whether the targeted drivers moved.

Everything here belongs to the enterprise: its data sets are `Visibility.PRIVATE` until it
shares them (`surveys.models.Visibility.SHARED`), and plans are never shown to anyone else.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OwnSurveyStatus(models.TextChoices):
    OPEN = "open", _("收集中")
    CLOSED = "closed", _("已结束")


class OwnSurvey(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="own_surveys",
    )
    title = models.CharField(_("名称"), max_length=200)
    questionnaire = models.ForeignKey(
        "fieldwork.Questionnaire",
        verbose_name=_("问卷"),
        on_delete=models.PROTECT,
        related_name="own_surveys",
    )
    # The collection link's key: printed as a QR code on receipts and counters, so it is kept
    # (unguessable, 32 bytes) rather than hashed like a personal link.
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=OwnSurveyStatus.choices,
        default=OwnSurveyStatus.OPEN,
        db_index=True,
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    target_responses = models.PositiveIntegerField(_("目标样本量"), default=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # What closing produced.
    dataset = models.ForeignKey(
        "surveys.ResponseDataset", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        "surveys.MeasurementRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("自主调查")
        verbose_name_plural = _("自主调查")

    def __str__(self):
        return self.title


class OwnResponse(models.Model):
    survey = models.ForeignKey(OwnSurvey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(_("回答"))
    complaint = models.BooleanField(_("曾经投诉"), null=True, blank=True)
    suggestion = models.TextField(_("意见建议"), blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    submitted_at = models.DateTimeField(_("提交时间"))
    duration_seconds = models.PositiveIntegerField(_("作答用时（秒）"))
    # HMAC of the browser's random respondent cookie: one response per browser and survey.
    respondent_key = models.CharField(max_length=64)
    # SHA-256 of the scored answers (the duplicate check), and the quality flags on arrival.
    fingerprint = models.CharField(max_length=64, blank=True)
    flags = models.JSONField(_("质量问题"), default=list, blank=True)
    # Left out of the data set by the enterprise (a flagged response it judged unusable).
    excluded = models.BooleanField(_("已剔除"), default=False)

    class Meta:
        ordering = ["survey", "submitted_at"]
        verbose_name = _("自主调查回答")
        verbose_name_plural = _("自主调查回答")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"], name="own_response_per_browser"
            )
        ]

    def __str__(self):
        return f"{self.survey} · {self.submitted_at:%Y-%m-%d %H:%M}"


class ImprovementPlan(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="improvement_plans",
    )
    # What the plan answers: a measurement's importance–performance map, or a diagnostic
    # group's report (Art. 15). Exactly one of the two.
    run = models.ForeignKey(
        "surveys.MeasurementRun",
        verbose_name=_("依据的测评"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_plans",
    )
    diagnosis = models.OneToOneField(
        "diagnostics.Diagnosis",
        verbose_name=_("依据的诊断"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_plan",
    )
    title = models.CharField(_("名称"), max_length=200)
    target_lv = models.CharField(_("目标变量"), max_length=60, default="SAT")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(run__isnull=False, diagnosis__isnull=True)
                | models.Q(run__isnull=True, diagnosis__isnull=False),
                name="improvement_plan_answers_one",
            )
        ]
        verbose_name = _("改进计划")
        verbose_name_plural = _("改进计划")

    def __str__(self):
        return self.title


class ImprovementAction(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="actions")
    # The driver (latent variable) and optionally the indicator the action targets.
    driver = models.CharField(_("改进对象"), max_length=60)
    indicator = models.CharField(_("具体指标"), max_length=60, blank=True)
    # The driver's (or indicator's) 0–100 performance in the plan's measurement.
    baseline = models.FloatField(_("基线表现"), null=True, blank=True)
    description = models.TextField(_("改进措施"))
    owner = models.CharField(_("负责部门或负责人"), max_length=100)
    due_on = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_note = models.CharField(_("完成情况"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "due_on", "pk"]
        verbose_name = _("改进措施")
        verbose_name_plural = _("改进措施")

    def __str__(self):
        return f"{self.plan} · {self.description[:30]}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
