"""An enterprise's application and everything attached to it (附件2, 附件3, 附件4-x).

- `Confirmation` (活动确认表): one per organisation and campaign, saved by `services.save_confirmation`.
- `Application`: one per organisation, category and campaign; created by `services.start_application`,
  its forms saved by `services.save_form` / `save_materials`, its status moved only by
  `services.move_application` along `states.MOVES`.
- `Attachment`: evidence files, added by `services.add_attachment`.
- `CustomerList` / `Customer` (附件3): uploaded by `customers.services.upload_customer_list`, imported
  whole or not at all by `customers.services.run_import` (worker task `customers.tasks.import_customer_list`).
- `ClientAppraisal` (续表4-4): proposed by the applicant (`appraisals.services.propose_client_contact`),
  sent by the recommending agency (`send_appraisal_link`), filled by the client through a link.
- `Recommendation`: the agency's opinion, written by `agency.services.recommend`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from manyi.applications.states import APPLICANT_WORDING, Status
from manyi.campaigns.categories import Category


class Confirmation(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("申报活动"),
        on_delete=models.PROTECT,
        related_name="confirmations",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="confirmations",
    )
    data = models.JSONField(_("表单内容"), default=dict)
    signer = models.CharField(_("负责人签字"), max_length=60, blank=True)
    signed_on = models.DateField(_("签字日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Set when an application is submitted with this form: it can then change only after
    # staff reopen it (`services.reopen_confirmation`, logged with a reason).
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动确认表")
        verbose_name_plural = _("活动确认表")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="confirmation_once")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.campaign.year}"


class ConfirmationVersion(models.Model):
    """A frozen copy of a 活动确认表 as an application was submitted with it.

    Written by `services.submit_application`; the application's PDF prints this version, not
    the live form.
    """

    confirmation = models.ForeignKey(
        Confirmation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本"))
    data = models.JSONField(_("表单内容"), default=dict)
    signer = models.CharField(_("负责人签字"), max_length=60, blank=True)
    signed_on = models.DateField(_("签字日期"), null=True, blank=True)
    organisation_name = models.CharField(_("企业名称"), max_length=200)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["confirmation", "number"]
        verbose_name = _("活动确认表版本")
        verbose_name_plural = _("活动确认表版本")
        constraints = [
            models.UniqueConstraint(
                fields=["confirmation", "number"], name="confirmation_version_once"
            )
        ]

    def __str__(self):
        return f"{self.confirmation} · v{self.number}"


class Application(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("申报活动"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    category = models.CharField(_("申报类别"), max_length=20, choices=Category.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("申报企业"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # The agency that recommends: chosen by the applicant among its confirmed agencies.
    agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("推荐单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommended_applications",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    number = models.CharField(_("申报编号"), max_length=30, blank=True)
    # The category form (附件4-x), keyed by form_specs field keys; reasons for fields left empty.
    form_data = models.JSONField(_("申请表内容"), default=dict)
    empty_reasons = models.JSONField(_("不填原因"), default=dict)
    chosen_trades = models.JSONField(_("选填栏目"), default=list)
    # 请附以下材料 (企业实施用户满意工程情况介绍).
    profile = models.TextField(_("企业概况"), blank=True)
    products = models.TextField(_("主导产品和主要经营服务项目"), blank=True)
    measures = models.TextField(_("主要目标、措施和经验"), blank=True)
    outlook = models.TextField(_("成就和展望"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("推荐意见时间"), null=True, blank=True)
    # What was submitted, frozen at (each) submission: the 附件2 version and the applicant's
    # details (name, USCC, address …) as they stood, so a later rename changes no export.
    confirmation_version = models.ForeignKey(
        ConfirmationVersion,
        verbose_name=_("活动确认表版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    submitted_details = models.JSONField(_("提交时的单位信息"), default=dict, blank=True)
    # After 退回修改: the date by which the applicant is asked to resubmit.
    resubmit_by = models.DateField(_("重新提交截止日期"), null=True, blank=True)
    resubmit_reminded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        indexes = [
            # The application lists' default order, newest submission first: the first page
            # is read from the index instead of sorting every application (at 10,000: 100 ms
            # to 1.5 ms on PostgreSQL, benchmarks/web_load.py).
            # (PostgreSQL sorts NULL first in a descending index: drafts above, as the list
            # orders; SQLite refuses NULLS FIRST in an index.)
            models.Index(
                F("submitted_at").desc(),
                F("id").desc(),
                name="application_newest_first",
            ),
            # The dashboards' counts by state (a year's, and every submitted one's) read from
            # these alone (an index-only scan) instead of every application row: at 10,000,
            # 14 ms each to under 2 ms on PostgreSQL (the id is there for COUNT("id")).
            models.Index(
                fields=["campaign", "status"], include=["id"], name="application_year_state"
            ),
            models.Index(
                fields=["status"],
                include=["id"],
                condition=Q(submitted_at__isnull=False),
                name="application_submitted_state",
            ),
        ]
        constraints = [
            # One live application per category per organisation per campaign: a withdrawn
            # one does not block starting again.
            models.UniqueConstraint(
                fields=["campaign", "category", "organisation"],
                condition=~Q(status=Status.WITHDRAWN),
                name="application_once",
            ),
            # 申报编号 are unique in a campaign by construction (`ApplicationCounter`).
            models.UniqueConstraint(
                fields=["campaign", "number"],
                condition=~Q(number=""),
                name="application_number_once",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.SUBMITTED) | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_category_display()} · {self.campaign.year}"

    @property
    def applicant_status(self) -> str:
        return str(APPLICANT_WORDING[self.status])


class ApplicationCounter(models.Model):
    """The last 申报编号 given in a campaign and category; taken under a row lock."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=Category.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "category"], name="counter_once")
        ]

    def __str__(self):
        return f"{self.campaign_id} · {self.category} · {self.last}"


class AttachmentKind(models.TextChoices):
    SIGNED_CONFIRMATION = "signed_confirmation", _("签字盖章的活动确认表（附件2）扫描件")
    SIGNED_FORM = "signed_form", _("签字盖章的申请表扫描件")
    TRADEMARK = "trademark", _("商标注册批准文件")
    BUSINESS_LICENCE = "business_licence", _("营业执照")
    AWARD = "award", _("优质工程文件、奖状")
    OTHER = "other", _("其他证明材料")


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=AttachmentKind.choices)
    file_path = models.CharField(max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=60)
    size_bytes = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self):
        return self.original_name


class CustomerListStatus(models.TextChoices):
    CHECKING = "checking", _("检查中")
    ACCEPTED = "accepted", _("已接受")
    REJECTED = "rejected", _("未通过")


class CustomerList(models.Model):
    """One uploaded 附件3. The accepted, current one is the sampling frame of the survey."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="customer_lists"
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=CustomerListStatus.choices,
        default=CustomerListStatus.CHECKING,
    )
    is_current = models.BooleanField(_("当前名单"), default=False)
    file_path = models.CharField(max_length=200, blank=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    company_name = models.CharField(_("表头企业名称"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("用户数"), default=0)
    progress = models.PositiveIntegerField(_("进度（%）"), default=0)
    errors = models.JSONField(_("问题"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("用户名单")
        verbose_name_plural = _("用户名单")
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(is_current=True), name="one_current_list"
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.original_name}"


class Customer(models.Model):
    customer_list = models.ForeignKey(
        CustomerList, on_delete=models.CASCADE, related_name="customers"
    )
    row = models.PositiveIntegerField(_("行号"))
    seq = models.CharField(_("序号"), max_length=20, blank=True)
    name = models.CharField(_("用户名称或企业名称"), max_length=200)
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    department = models.CharField(_("联系部门"), max_length=100, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=100)
    phone_normalized = models.CharField(max_length=120, db_index=True)
    # Not a column of the measures' form: an optional seventh column, used only to send a
    # sampled customer the link to the web questionnaire.
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        ordering = ["row"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        # A list's page is read in row order: 50 rows of a 100,000-row list without sorting it.
        indexes = [models.Index(fields=["customer_list", "row"], name="customer_list_row")]

    def __str__(self):
        return self.name


class ClientAppraisal(models.Model):
    """建设单位（用户）满意度评价鉴定意见 (续表4-4), filled by the client through a single-use link."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="client_appraisal"
    )
    client_name = models.CharField(_("建设单位（用户）名称"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=60)
    contact_email = models.EmailField(_("电子邮箱"))
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # The applicant proposes the client's contact; the recommending agency checks it and sends
    # the link (以下栏目由推荐单位填写). No token exists until the agency sends.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提出时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("链接有效期至"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("填写时间"), null=True, blank=True)
    quality = models.TextField(_("工程质量"), blank=True)
    construction_service = models.TextField(_("施工服务"), blank=True)
    design_suggestions = models.TextField(_("工程设计的建设性意见"), blank=True)
    maintenance = models.TextField(_("后续维护"), blank=True)
    overall = models.TextField(_("总体评价"), blank=True)
    improvements = models.TextField(_("改进建议"), blank=True)
    signer = models.CharField(_("建设单位（用户）签字"), max_length=60, blank=True)
    signed_on = models.DateField(_("日期"), null=True, blank=True)
    scan_path = models.CharField(max_length=200, blank=True)
    scan_name = models.CharField(_("盖章页扫描件"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("建设单位满意度评价鉴定意见")
        verbose_name_plural = _("建设单位满意度评价鉴定意见")

    def __str__(self):
        return f"{self.client_name} → {self.application}"


class Decision(models.TextChoices):
    RECOMMEND = "recommend", _("推荐")
    NOT_RECOMMEND = "not_recommend", _("不予推荐")
    RETURN = "return", _("退回修改")


class Recommendation(models.Model):
    """推荐单位意见（含地市、行业用委/质协）: the agency's opinion, signed, sealed and dated."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="recommendations"
    )
    agency = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("意见"), max_length=20, choices=Decision.choices)
    opinion = models.TextField(_("推荐单位意见"))
    signer = models.CharField(_("签字"), max_length=60)
    signed_on = models.DateField(_("日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("推荐意见")
        verbose_name_plural = _("推荐意见")

    def __str__(self):
        return f"{self.get_decision_display()} · {self.application}"


class AgencySeal(models.Model):
    """The agency's seal image, uploaded once and stamped on the PDF of each recommendation."""

    agency = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="seal"
    )
    file_path = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐单位公章")
        verbose_name_plural = _("推荐单位公章")

    def __str__(self):
        return f"{self.agency} · {self.uploaded_at:%Y-%m-%d}"
