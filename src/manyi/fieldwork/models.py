"""The third-party customer survey of each recommended application (第三方用户评价调查, Art. 22).

- `Item` (题库) and `Questionnaire` (a numbered version per category): edited as drafts,
  frozen when `questionnaires.services.publish_questionnaire` copies the items into
  `Questionnaire.questions`; a published version never changes.
- `Survey`: one per application, created by `services.assign_survey`; its sample drawn by
  `sampling.services.draw_sample`; moved assigned → sampled → in_field → closed → released
  only by `services.move_survey`.
- `SampledContact`: one drawn customer of the list. The phone itself stays in the applicant's
  customer list; fieldwork keeps only a keyed hash of it (one survey per phone per campaign).
- `CallAttempt`: one telephone call by an interviewer (CATI).
- `Response`: one completed questionnaire, stored only by `responses.record_response`
  (web link, telephone or the survey firm's API); checked for quality on arrival.
- `FirmApiToken`: a survey firm's key to the API, kept only as a hash.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category


class ItemKind(models.TextChoices):
    SCORE = "score", _("评分题")
    YES_NO = "yes_no", _("是否题")
    TEXT = "text", _("开放题")


class ItemPurpose(models.TextChoices):
    MODEL = "model", _("模型指标")
    SCREEN = "screen", _("甄别问题")
    COMPLAINT = "complaint", _("投诉")
    OPEN = "open", _("意见建议")


class Item(models.Model):
    """One question of the item bank. Its wording may change only while no published
    questionnaire carries it (published versions keep their own copy anyway)."""

    code = models.SlugField(_("题目代码"), max_length=40, unique=True)
    kind = models.CharField(_("题型"), max_length=10, choices=ItemKind.choices)
    purpose = models.CharField(_("用途"), max_length=10, choices=ItemPurpose.choices)
    text_zh = models.TextField(_("题目（中文）"))
    text_en = models.TextField(_("题目（英文）"), blank=True)
    # The model indicator this item measures (a column name of the china/acsi/ecsi presets).
    indicator = models.CharField(_("测量指标"), max_length=40, blank=True)
    scale_min = models.PositiveSmallIntegerField(_("量表下限"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("量表上限"), default=10)
    allows_unknown = models.BooleanField(_("可选“不清楚/不适用”"), default=True)
    anchor_low_zh = models.CharField(_("最低分含义"), max_length=40, blank=True)
    anchor_high_zh = models.CharField(_("最高分含义"), max_length=40, blank=True)
    anchor_low_en = models.CharField(_("最低分含义（英文）"), max_length=40, blank=True)
    anchor_high_en = models.CharField(_("最高分含义（英文）"), max_length=40, blank=True)
    is_active = models.BooleanField(_("可用"), default=True)

    class Meta:
        ordering = ["purpose", "code"]
        verbose_name = _("题目")
        verbose_name_plural = _("题库")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="item_scale_order"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.text_zh[:30]}"


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class Questionnaire(models.Model):
    category = models.CharField(_("申报类别"), max_length=20, choices=Category.choices)
    version = models.PositiveSmallIntegerField(_("版本"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    model_name = models.CharField(_("测评模型"), max_length=20, default="china")
    title = models.CharField(_("问卷名称"), max_length=200)
    # Shown at the top of the web page and read out by the interviewer: who surveys, why,
    # and how the answers are used.
    intro_zh = models.TextField(_("问卷说明"))
    intro_en = models.TextField(_("问卷说明（英文）"), blank=True)
    # A completed questionnaire faster than this is flagged "too fast" for review.
    min_seconds = models.PositiveIntegerField(_("最短作答时间（秒）"), default=90)
    # The frozen questions, copied from the items when the version is published.
    questions = models.JSONField(_("题目"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["category", "-version"]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        constraints = [
            models.UniqueConstraint(fields=["category", "version"], name="questionnaire_version"),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(status="published"),
                name="one_published_questionnaire",
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status != QuestionnaireStatus.DRAFT


class QuestionnaireItem(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "item"], name="questionnaire_item"),
        ]

    def __str__(self):
        return f"{self.questionnaire} · {self.position}"


class SurveyStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已委托")
    SAMPLED = "sampled", _("已抽样")
    IN_FIELD = "in_field", _("调查中")
    CLOSED = "closed", _("调查结束")
    RELEASED = "released", _("结果已发布")


class SurveyPurpose(models.TextChoices):
    # The survey of an application under evaluation (one per application).
    APPLICATION = "application", _("申报评价")
    # A later survey of a title holder (Art. 22), launched by `supervision`.
    HOLDER = "holder", _("获证后监督")


class Survey(models.Model):
    # The application surveyed; for a holder survey, the application that won the title.
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    purpose = models.CharField(
        _("调查目的"),
        max_length=12,
        choices=SurveyPurpose.choices,
        default=SurveyPurpose.APPLICATION,
        db_index=True,
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="surveys"
    )
    firm = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("调查机构"),
        on_delete=models.PROTECT,
        related_name="survey_assignments",
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="surveys"
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=SurveyStatus.choices,
        default=SurveyStatus.ASSIGNED,
        db_index=True,
    )
    # Design: the completes needed for the margin, and how the sample is sized from it.
    target_completes = models.PositiveIntegerField(_("目标有效样本量"), default=0)
    margin = models.DecimalField(_("允许误差（指数分）"), max_digits=4, decimal_places=1, default=3)
    confidence = models.DecimalField(_("置信水平"), max_digits=3, decimal_places=2, default=0.95)
    expected_response_rate = models.DecimalField(
        _("预计应答率"), max_digits=3, decimal_places=2, default=0.5
    )
    reserve_share = models.DecimalField(
        _("备用样本比例"), max_digits=3, decimal_places=2, default=0.2
    )
    strata = models.JSONField(_("分层变量"), default=list, blank=True)
    field_opens = models.DateField(_("调查开始日期"))
    field_closes = models.DateField(_("调查截止日期"))
    max_attempts = models.PositiveSmallIntegerField(_("每个号码最多拨打次数"), default=5)
    callback_share = models.DecimalField(
        _("复核回访比例"), max_digits=3, decimal_places=2, default=0.1
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("委托时间"), auto_now_add=True)
    # The draw: enough to redo it and get the same rows.
    customer_list = models.ForeignKey(
        "applications.CustomerList",
        verbose_name=_("抽样名单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    list_hash = models.CharField(_("名单指纹"), max_length=64, blank=True)
    seed = models.BigIntegerField(_("随机种子"), null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("抽取样本数"), default=0)
    reserve_size = models.PositiveIntegerField(_("备用样本数"), default=0)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽样时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("结果发布时间"), null=True, blank=True)
    # What closing produced: the data set and the measurement, and a summary for the pages.
    dataset = models.ForeignKey(
        "surveys.ResponseDataset", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        "surveys.MeasurementRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.JSONField(_("调查结果摘要"), null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("第三方调查")
        verbose_name_plural = _("第三方调查")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(purpose="application"),
                name="one_application_survey",
            )
        ]

    def __str__(self):
        return str(self.application)


class ContactStatus(models.TextChoices):
    RESERVE = "reserve", _("备用")
    PENDING = "pending", _("待联系")
    INVITED = "invited", _("已发邀请")
    CALLBACK = "callback", _("预约回拨")
    COMPLETED = "completed", _("已完成")
    REFUSED = "refused", _("拒访")
    NON_CONTACT = "non_contact", _("无法联系")
    WRONG_NUMBER = "wrong_number", _("号码错误")
    INELIGIBLE = "ineligible", _("不符合条件")


class SampledContact(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="contacts")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        "applications.Customer", on_delete=models.PROTECT, related_name="survey_contacts"
    )
    position = models.PositiveIntegerField(_("抽样顺序"))
    is_reserve = models.BooleanField(_("备用样本"), default=False)
    stratum = models.CharField(_("层"), max_length=60, blank=True)
    # HMAC of the normalised phone: one survey per phone per campaign, without keeping it here.
    phone_key = models.CharField(max_length=64)
    # How many other applicants' current lists hold the same phone (shown to staff).
    other_lists = models.PositiveSmallIntegerField(_("出现在其他名单"), default=0)
    email = models.EmailField(_("电子邮箱"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ContactStatus.choices,
        default=ContactStatus.PENDING,
        db_index=True,
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("访问员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_calls",
    )
    attempts = models.PositiveSmallIntegerField(_("拨打次数"), default=0)
    callback_at = models.DateTimeField(_("预约回拨时间"), null=True, blank=True)
    # The web link: only the SHA-256 of the token is kept.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_expires_at = models.DateTimeField(_("链接有效期至"), null=True, blank=True)
    invited_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("提醒次数"), default=0)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    # Answers saved as a web respondent goes, until the questionnaire is submitted.
    draft_answers = models.JSONField(default=dict, blank=True)
    draft_started_at = models.DateTimeField(null=True, blank=True)
    # Call-back confirmation of a completed telephone interview (a drawn share of them).
    verify_selected = models.BooleanField(_("抽中复核"), default=False)
    verify_result = models.CharField(_("复核结果"), max_length=20, blank=True)
    verify_note = models.CharField(_("复核说明"), max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("样本")
        verbose_name_plural = _("样本")
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="contact_position"),
            models.UniqueConstraint(fields=["campaign", "phone_key"], name="one_survey_per_phone"),
        ]
        indexes = [models.Index(fields=["interviewer", "status"], name="contact_queue")]

    def __str__(self):
        return f"{self.survey} #{self.position}"


class CallOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("无人接听")
    BUSY = "busy", _("占线")
    REFUSED = "refused", _("拒访")
    WRONG_NUMBER = "wrong_number", _("号码错误")
    CALLBACK = "callback", _("预约回拨")
    COMPLETED = "completed", _("完成访问")


class CallAttempt(models.Model):
    contact = models.ForeignKey(SampledContact, on_delete=models.CASCADE, related_name="calls")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=15, choices=CallOutcome.choices, blank=True)
    callback_at = models.DateTimeField(_("预约回拨时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("电话访问记录")
        verbose_name_plural = _("电话访问记录")

    def __str__(self):
        return f"{self.contact} · {self.started_at:%Y-%m-%d %H:%M}"


class Channel(models.TextChoices):
    WEB = "web", _("网上问卷")
    PHONE = "phone", _("电话访问")
    API = "api", _("调查机构系统")


class QcStatus(models.TextChoices):
    CLEAN = "clean", _("通过")
    FLAGGED = "flagged", _("待复核")
    APPROVED = "approved", _("复核通过")
    REJECTED = "rejected", _("已剔除")


# Responses in these states go into the data set when fieldwork closes.
USABLE_QC = (QcStatus.CLEAN, QcStatus.APPROVED)


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # One response per sampled contact: two submissions at once cannot both be stored.
    contact = models.OneToOneField(
        SampledContact, on_delete=models.CASCADE, related_name="response"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    answers = models.JSONField(_("回答"))
    screening_passed = models.BooleanField(_("通过甄别"), default=True)
    complaint = models.BooleanField(_("曾经投诉"), null=True, blank=True)
    complaint_text = models.TextField(_("投诉内容"), blank=True)
    suggestion = models.TextField(_("意见建议"), blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    submitted_at = models.DateTimeField(_("提交时间"))
    duration_seconds = models.PositiveIntegerField(_("作答用时（秒）"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("访问员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The survey firm's own id for a response posted through the API (idempotency key).
    external_id = models.CharField(_("调查机构编号"), max_length=64, blank=True)
    # SHA-256 of the scored answers, for the duplicate check without reading earlier answers.
    fingerprint = models.CharField(max_length=64, blank=True)
    qc_flags = models.JSONField(_("质量问题"), default=list, blank=True)
    qc_status = models.CharField(
        _("质量复核"), max_length=10, choices=QcStatus.choices, default=QcStatus.CLEAN
    )
    qc_reason = models.CharField(_("复核意见"), max_length=300, blank=True)
    qc_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    qc_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "submitted_at"]
        verbose_name = _("问卷回答")
        verbose_name_plural = _("问卷回答")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "external_id"],
                condition=~Q(external_id=""),
                name="response_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "qc_status"], name="response_qc"),
            models.Index(fields=["survey", "fingerprint"], name="response_fingerprint"),
        ]

    def __str__(self):
        return f"{self.survey} · {self.contact.position}"


class FirmApiToken(models.Model):
    firm = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("密钥前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")

    def __str__(self):
        return f"{self.firm} · {self.prefix}…"
