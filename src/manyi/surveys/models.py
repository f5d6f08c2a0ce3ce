"""Response data sets and the measurement runs computed from them (Art. 16, 22).

- `ResponseDataset` rows are created by `services.upload_dataset` only.
- `MeasurementRun` rows are created by `services.request_run` and moved through
  queued → running → done / failed by `services.execute_run` (the worker).
A run keeps the data's hash, the model, the settings, the seed and the engine version, so
`services.rerun` can show that the same inputs give the same numbers.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from manyi.common.fields import OrderedJSONField


class Scope(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDUSTRY = "industry", _("行业")
    SOCIETY = "society", _("社会")


class Visibility(models.TextChoices):
    # The programme's own data (an industry survey, an application's survey): read by programme
    # staff and the uploading agency, as before.
    PROGRAMME = "programme", _("测评项目")
    # An enterprise's own measurement (Art. 19): only the enterprise sees it ...
    PRIVATE = "private", _("仅本企业")
    # ... until it shares it with the programme and the agencies it is a confirmed member of.
    SHARED = "shared", _("已共享")


class ResponseDataset(models.Model):
    title = models.CharField(_("名称"), max_length=200)
    scope = models.CharField(
        _("测评范围"), max_length=20, choices=Scope.choices, default=Scope.INDUSTRY
    )
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    survey_year = models.PositiveSmallIntegerField(_("调查年度"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file_path = models.CharField(max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    file_format = models.CharField(_("格式"), max_length=10)
    sha256 = models.CharField(_("数据指纹（SHA-256）"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("文件大小"))
    n_rows = models.PositiveIntegerField(_("样本量"))
    columns = models.JSONField(_("变量"))
    numeric_columns = models.JSONField(_("数值变量"))
    group_column = models.CharField(_("分组变量"), max_length=100, blank=True)
    group_labels = models.JSONField(_("分组"), default=list)
    dictionary = models.JSONField(_("数据字典"), default=dict)
    scale_min = models.FloatField(_("量表下限"), default=1)
    scale_max = models.FloatField(_("量表上限"), default=10)
    # Columns holding only yes/no answers (1/0, 是/否): a complaint question is one of these and
    # is reported as a share of respondents, never on the score scale.
    binary_columns = models.JSONField(_("是否题变量"), default=list, blank=True)
    # The sample description a published report opens with (entered at upload, or filled in
    # from the survey that produced the data).
    channel = models.CharField(_("调查方式"), max_length=100, blank=True)
    period_start = models.DateField(_("调查开始日期"), null=True, blank=True)
    period_end = models.DateField(_("调查结束日期"), null=True, blank=True)
    contacted = models.PositiveIntegerField(_("联系（邀请）人数"), null=True, blank=True)
    strata = models.CharField(_("抽样分层"), max_length=200, blank=True)
    visibility = models.CharField(
        _("可见范围"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PROGRAMME,
        db_index=True,
    )
    shared_at = models.DateTimeField(_("共享时间"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("调查数据")
        verbose_name_plural = _("调查数据")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="dataset_scale_order"
            )
        ]

    def __str__(self):
        return self.title


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class MeasurementRun(models.Model):
    dataset = models.ForeignKey(
        ResponseDataset, verbose_name=_("调查数据"), on_delete=models.PROTECT, related_name="runs"
    )
    title = models.CharField(_("名称"), max_length=200)
    model_name = models.CharField(_("模型"), max_length=60)
    model_spec = OrderedJSONField(_("模型定义"))
    model_hash = models.CharField(max_length=64, blank=True)
    data_hash = models.CharField(max_length=64)
    options = OrderedJSONField(_("计算设置"))
    # Model indicator -> the data set's column that measures it (the mapping screen); an
    # indicator not named here is read from the column of the same name.
    column_map = OrderedJSONField(_("变量对应"), default=dict, blank=True)
    # The yes/no column "did you complain?" (reported as a rate), when the data has one.
    complaint_column = models.CharField(_("投诉变量"), max_length=100, blank=True)
    seed = models.BigIntegerField(_("随机种子"))
    engine_version = models.CharField(_("引擎版本"), max_length=40, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    result = OrderedJSONField(_("结果"), null=True, blank=True)
    bootstrap_result = OrderedJSONField(_("自助法结果"), null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(_("错误"), blank=True)
    rerun_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("测评计算")
        verbose_name_plural = _("测评计算")
        # The runs list and the dashboards' latest runs read the newest first from here.
        indexes = [models.Index(F("created_at").desc(), F("id").desc(), name="run_newest_first")]

    def __str__(self):
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
