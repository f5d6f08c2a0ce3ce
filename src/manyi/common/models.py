"""Cross-cutting records: the activity log, the email outbox and the background jobs.

ActivityLog rows are written only by `services.log_activity` and never change afterwards.
OutboxMessage rows are created by `services.queue_email` and moved by `services.deliver_message`.
BackgroundJob rows are created by `jobs.enqueue` and moved only by `common.jobs` (the worker's
claim, the heartbeat, the sweeper).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that refuses bulk update and delete: the log is evidence."""

    def update(self, **kwargs):
        raise PermissionDenied(_("操作日志不可修改"))

    def delete(self):
        raise PermissionDenied(_("操作日志不可删除"))

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionDenied(_("操作日志不可修改"))


class ActivityLog(models.Model):
    """Who did what, when, from where, to which object, with the data before and after."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the entry still says who it was if the account goes away.
    actor_label = models.CharField(_("操作人"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("相关组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(_("操作日志不可修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("操作日志不可删除"))


class OutboxMessage(models.Model):
    """One email: queued after the transaction commits, sent by the worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    to = models.EmailField(_("收件人"))
    subject = models.CharField(_("主题"), max_length=300)
    body_text = models.TextField(_("正文"))
    body_html = models.TextField(_("HTML 正文"), blank=True)
    template = models.CharField(_("模板"), max_length=150, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("邮件发件箱")
        verbose_name_plural = _("邮件发件箱")

    def __str__(self):
        return f"{self.to}: {self.subject}"

    @property
    def hides_body(self) -> bool:
        """Messages that carry a credential are not shown to staff: seeing one would be a takeover."""
        return any(
            word in self.template
            for word in (
                "password_reset",
                "login_code",
                "invitation",
                "appraisal_request",
                # allauth's email_confirmation and email_confirmation_signup: the link verifies
                "email_confirmation",
            )
        )


class JobKind(models.TextChoices):
    CUSTOMER_IMPORT = "customer_import", _("用户名单导入")
    MEASUREMENT_RUN = "measurement_run", _("测评计算")
    SIMILARITY_RUN = "similarity_run", _("相似度比对")
    SURVEY_SEND = "survey_send", _("网上问卷邀请和提醒")
    MAIL = "mail", _("发送邮件")


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BackgroundJob(models.Model):
    """One piece of work for the task workers, kept so that a killed worker's job is found.

    The broker's message only says "run job N"; this row says what N is and how far it got:
    the worker claims it (queued → running, a new ``claim``), beats ``heartbeat_at`` while it
    works and marks it done or failed; the sweeper puts a job whose heartbeat stopped back in
    the queue, or fails it with ``message`` for the person waiting. See ``common.jobs``.
    """

    kind = models.CharField(_("类型"), max_length=30, choices=JobKind.choices)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    # What the handler needs besides the object (a survey send: invitations or reminders, who).
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # The token of the attempt under way: every write of a worker names it, so a worker whose
    # job was taken from it (it stalled, the sweeper requeued it) can no longer change anything.
    claim = models.UUIDField(null=True, blank=True)
    queued_at = models.DateTimeField(_("排队时间"), default=timezone.now)
    # When the message was handed to the broker; empty means the process that queued the job
    # stopped between its commit and the hand-over, and the sweeper hands it over again.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    worker = models.CharField(_("任务进程"), max_length=100, blank=True)
    message = models.TextField(_("说明"), blank=True)
    result = models.CharField(_("结果"), max_length=200, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [
            # The sweeper's question: running jobs whose heartbeat is old.
            models.Index(fields=["state", "heartbeat_at"], name="common_job_state_beat"),
            # A page's question: the latest job of this customer list, this run.
            models.Index(fields=["kind", "object_id"], name="common_job_kind_object"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id}"

    @property
    def task_name(self) -> str:
        """The name of its broker message, by which a stale message is found and removed."""
        return f"{self.kind}-{self.object_id}-{self.pk}"
