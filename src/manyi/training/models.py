"""Training (Art. 14, 18): classes, the people enrolled, their attendance and scores, each
employee's training file (职工技术档案), and each organisation's yearly training plan.

- A `TrainingClass` is scheduled by an agency (or the programme's staff) for the people of
  participating organisations, or by an enterprise for its own people (`is_internal`).
- An `Employee` belongs to one organisation; their training file is their `Enrolment` rows.
- Every change goes through `training.services` (classes and enrolment), `training.results`
  (attendance and scores), `training.employees` (the employee file and its import) or
  `training.plans` (the organisation's yearly plan). See docs/training.md.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import phone_validator


class Topic(models.TextChoices):
    """The syllabus of Art. 18 (and the theory of Art. 14)."""

    TQM = "tqm", _("全面质量管理基本知识")
    SATISFACTION_THEORY = "satisfaction_theory", _("用户满意理论")
    STANDARD = "standard", _("《质量管理 顾客满意 组织行为规范指南》（GB/T 19010）等国家标准")
    AWARENESS = "awareness", _("用户至上、质量、问题、改进、参与和市场意识")
    POLICY = "policy", _("单位的方针目标管理")
    MEASUREMENT = "measurement", _("用户满意度测量的方法")
    STATISTICS = "statistics", _("常用的数理统计工具和其他科学方法")
    BUSINESS = "business", _("必要的技术业务知识")


class ClassStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名截止")
    HELD = "held", _("已结课")
    CANCELLED = "cancelled", _("已取消")


class TrainingClass(models.Model):
    organiser = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    # An enterprise's own class: only its own employees enrol.
    is_internal = models.BooleanField(_("本单位内部培训"), default=False)
    planned_activity = models.ForeignKey(
        "programme.PlannedActivity",
        verbose_name=_("对应的年度计划活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_classes",
    )
    topic = models.CharField(_("培训内容"), max_length=30, choices=Topic.choices)
    title = models.CharField(_("班名"), max_length=200)
    teachers = models.CharField(_("授课老师"), max_length=200)
    description = models.TextField(_("课程介绍"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(
        _("学时"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(200)],
    )
    place = models.CharField(_("地点"), max_length=200)
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])
    enrol_closes_at = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    pass_score = models.DecimalField(
        _("合格分数"),
        max_digits=5,
        decimal_places=1,
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ClassStatus.choices, default=ClassStatus.OPEN
    )
    # Said to the enrolled organisations in the mail that tells them of the cancellation.
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="class_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class Employee(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="employees_on_file",
    )
    name = models.CharField(_("姓名"), max_length=60)
    employee_no = models.CharField(_("工号"), max_length=40, blank=True)
    department = models.CharField(_("部门"), max_length=100, blank=True)
    position = models.CharField(_("岗位"), max_length=100, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True, validators=[phone_validator])
    # The person's account, when they have one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee_files",
    )
    is_active = models.BooleanField(_("在职"), default=True)
    # The day the person left (the file is kept: its records stay the organisation's).
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "department", "name"]
        verbose_name = _("职工")
        verbose_name_plural = _("职工")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_no"],
                condition=~Q(employee_no=""),
                name="employee_no_unique_per_organisation",
            )
        ]

    def __str__(self):
        return self.name


class Enrolment(models.Model):
    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("培训班"), on_delete=models.CASCADE, related_name="enrolments"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("学员"), on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    # Attendance: None until taken.
    attended = models.BooleanField(_("出勤"), null=True, blank=True)
    score = models.DecimalField(
        _("考核成绩"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(_("登记成绩时间"), null=True, blank=True)

    class Meta:
        ordering = ["training_class", "employee__name"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "employee"], name="enrol_once_per_class"
            ),
            # A score is the assessment of someone who attended, on the 0–100 scale.
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(attended=True),
                name="enrolment_score_needs_attendance",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="enrolment_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.employee} · {self.training_class}"

    @property
    def passed(self) -> bool | None:
        if self.score is None:
            return None
        return bool(self.attended) and self.score >= self.training_class.pass_score


class TrainingPlan(models.Model):
    """An organisation's yearly education and training plan (Art. 18)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="training_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    aims = models.TextField(_("培训目标"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度培训计划")
        verbose_name_plural = _("年度培训计划")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="training_plan_once")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.year}"


class TrainingPlanItem(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="items")
    topic = models.CharField(_("培训内容"), max_length=30, choices=Topic.choices)
    title = models.CharField(_("课程"), max_length=200)
    month = models.PositiveSmallIntegerField(
        _("计划月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    audience = models.CharField(_("培训对象"), max_length=200)
    people = models.PositiveIntegerField(_("计划人数"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["plan", "month", "pk"]
        verbose_name = _("培训计划项目")
        verbose_name_plural = _("培训计划项目")

    def __str__(self):
        return self.title
