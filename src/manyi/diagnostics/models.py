"""Diagnostic visits (Art. 15): an enterprise asks its agency for a diagnosis; the agency
forms a diagnostic group from its experts and schedules the visit; the group's leader writes
the report (findings and recommendations); the enterprise reads it and answers with an
improvement plan (`selfmeasure.ImprovementPlan` with `diagnosis` set) whose actions it ticks
off over time.

Every change goes through `diagnostics.services` (the moves between states are listed in
`diagnostics.states`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DiagnosisStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    ACCEPTED = "accepted", _("已受理，组建诊断小组")
    SCHEDULED = "scheduled", _("已安排诊断")
    REPORTED = "reported", _("已出具诊断报告")
    ANSWERED = "answered", _("企业已制定改进计划")
    DECLINED = "declined", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


class Priority(models.TextChoices):
    """A recommendation's priority in the report; the enterprise's improvement plan must answer
    every high one (`services.answer.answer_diagnosis`)."""

    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class Diagnosis(models.Model):
    enterprise = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="diagnoses",
    )
    agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("推进机构"),
        on_delete=models.PROTECT,
        related_name="diagnoses_given",
    )
    # What the enterprise asks about, in its words.
    needs = models.TextField(_("诊断需求"))
    preferred_dates = models.CharField(_("希望的诊断时间"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60)
    contact_mobile = models.CharField(_("联系电话"), max_length=30)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=DiagnosisStatus.choices,
        default=DiagnosisStatus.REQUESTED,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    visit_starts_at = models.DateTimeField(_("诊断时间"), null=True, blank=True)
    visit_place = models.CharField(_("诊断地点"), max_length=200, blank=True)
    # The enterprise's answer to the report, beside its improvement plan.
    reply = models.TextField(_("企业意见"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("诊断")
        verbose_name_plural = _("诊断")

    def __str__(self):
        return f"{self.enterprise} · {self.requested_at:%Y-%m-%d}"


class DiagnosticExpert(models.Model):
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="group")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="diagnostic_groups",
    )
    is_leader = models.BooleanField(_("组长"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["diagnosis", "-is_leader", "pk"]
        verbose_name = _("诊断专家")
        verbose_name_plural = _("诊断专家")
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "expert"], name="diagnostic_expert_once"),
            models.UniqueConstraint(
                fields=["diagnosis"],
                condition=models.Q(is_leader=True),
                name="diagnostic_group_one_leader",
            ),
        ]

    def __str__(self):
        return f"{self.expert} · {self.diagnosis}"


class DiagnosticReport(models.Model):
    diagnosis = models.OneToOneField(Diagnosis, on_delete=models.CASCADE, related_name="report")
    summary = models.TextField(_("总体评价"))
    # [{"key": "F1", "text": "..."}] and [{"key": "R1", "text": "...", "priority": "high"}]:
    # the improvement plan's actions name the recommendation they answer by its key.
    findings = models.JSONField(_("发现的问题"), default=list)
    recommendations = models.JSONField(_("改进建议"), default=list)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Null while the leader drafts; the enterprise sees the report once it is submitted.
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("诊断报告")
        verbose_name_plural = _("诊断报告")

    def __str__(self):
        return str(self.diagnosis)
