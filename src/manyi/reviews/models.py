"""The committee's review of a recommended application (DOMAIN.md steps 7–10; Art. 7, 14, 24, 26).

- `FormalReview`: the committee's checklist record and its opinion (审核意见), written once and
  printed in the 审核意见 box of the application's PDF.
- `DeficiencyNotice`: everything missing, told once (一次性告知), with a deadline; completed once.
- `SimilarityRun`, `MaterialSignature`, `SimilarityFlag`: the check of the materials texts
  against every other application's, this year and earlier (Art. 26 剽窃), and of the client
  appraisal's signer against the applicant's own people.
- `Declaration`: an expert's yearly confidentiality and no-conflict declaration.
- `ExpertDraw` and `Assignment`: the seeded, conflict-free draw of experts for one application;
  redoing it from the stored seed and candidates gives the same experts.
- `ReviewRound`, `RubricCriterion`: the weighted criteria of a campaign's category, fixed when
  review opens. `ScoreSheet`, `Score`: one expert's scores of one application.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# --------------------------------------------------------------------------------------------
# Formal review


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("受理")
    REJECTED = "rejected", _("不予受理")


class FormalReview(models.Model):
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="formal_review",
    )
    # checklist item code -> {"ok": bool, "note": str}: what staff recorded for each item.
    checks = models.JSONField(_("审查记录"), default=dict, blank=True)
    opinion = models.TextField(_("审核意见"), blank=True)
    outcome = models.CharField(
        _("审查结论"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("形式审查")
        verbose_name_plural = _("形式审查")
        constraints = [
            # The opinion is written once, with its outcome.
            models.CheckConstraint(
                condition=Q(opinion_at__isnull=True) | ~Q(outcome=""),
                name="formal_review_opinion_has_outcome",
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.get_outcome_display() or '—'}"


class DeficiencyNotice(models.Model):
    """一次性告知: one per application, ever."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="deficiency_notice",
    )
    # [{"code": checklist code or "other", "text": what is missing, in the staff's words}]
    items = models.JSONField(_("需补正事项"), default=list)
    note = models.TextField(_("说明"), blank=True)
    deadline = models.DateField(_("补正截止日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("告知时间"), auto_now_add=True)
    reply = models.TextField(_("补正说明"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("补正提交时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("补正通知（一次性告知）")
        verbose_name_plural = _("补正通知（一次性告知）")

    def __str__(self):
        return f"{self.application} · {self.deadline}"


# --------------------------------------------------------------------------------------------
# Similarity (Art. 26)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("比对中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class SimilarityRun(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("申报活动"),
        on_delete=models.CASCADE,
        related_name="similarity_runs",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    threshold = models.DecimalField(_("相似度阈值"), max_digits=3, decimal_places=2, default=0.3)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    compared = models.PositiveIntegerField(_("比对申报数"), default=0)
    flagged = models.PositiveIntegerField(_("发现疑似"), default=0)
    seconds = models.FloatField(_("用时（秒）"), default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("相似度比对")
        verbose_name_plural = _("相似度比对")

    def __str__(self):
        return f"{self.campaign} · {self.requested_at:%Y-%m-%d %H:%M}"


class MaterialSignature(models.Model):
    """The MinHash signature of one materials text, kept so earlier years need no recompute."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="material_signatures"
    )
    section = models.CharField(max_length=20)  # profile, products, measures, outlook
    text_sha256 = models.CharField(max_length=64)
    shingles = models.PositiveIntegerField(default=0)
    signature = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "section"], name="material_signature_unique"
            )
        ]

    def __str__(self):
        return f"{self.application_id} · {self.section}"


class FlagKind(models.TextChoices):
    TEXT = "text", _("材料文字雷同")
    APPRAISAL = "appraisal", _("评价意见签字人与申报单位关联")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    CONFIRMED = "confirmed", _("确认雷同")
    DISMISSED = "dismissed", _("排除")


class SimilarityFlag(models.Model):
    run = models.ForeignKey(SimilarityRun, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("类型"), max_length=10, choices=FlagKind.choices)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="similarity_flags",
    )
    other = models.ForeignKey(
        "applications.Application",
        verbose_name=_("相似申报"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    section = models.CharField(_("材料"), max_length=20, blank=True)
    other_section = models.CharField(max_length=20, blank=True)
    share = models.DecimalField(_("相同文字占比"), max_digits=4, decimal_places=3, default=0)
    # [{"a": passage of the application, "b": the other's, "length": chars}] or, for an
    # appraisal, {"field": "phone", "value": masked, "matches": "..."}.
    detail = models.JSONField(_("详情"), default=dict)
    status = models.CharField(
        _("核实结果"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    review_note = models.TextField(_("核实说明"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-share", "pk"]
        verbose_name = _("疑似雷同")
        verbose_name_plural = _("疑似雷同")

    def __str__(self):
        return f"{self.application} ~ {self.other or '—'} ({self.share})"


# --------------------------------------------------------------------------------------------
# Experts


class Declaration(models.Model):
    """保密和无利益冲突声明: signed by the expert in the system, once a campaign."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("申报活动"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    text = models.TextField(_("声明内容"))  # as signed, so a later wording changes nothing
    conflicts = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("有利益关系的单位"),
        blank=True,
        related_name="declared_conflicts",
    )
    competitors = models.TextField(
        _("曾任职、顾问或竞争关系的单位"), blank=True, help_text=_("每行一个单位名称")
    )
    signed_at = models.DateTimeField(_("签署时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家声明")
        verbose_name_plural = _("专家声明")
        constraints = [
            models.UniqueConstraint(fields=["expert", "campaign"], name="declaration_once")
        ]

    def __str__(self):
        return f"{self.expert} · {self.campaign.year}"


class ExpertDraw(models.Model):
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="expert_draw",
    )
    seed = models.BigIntegerField(_("随机种子"))
    needed = models.PositiveSmallIntegerField(_("抽取人数"))
    # The eligible experts' user ids, in the stable order the draw shuffled.
    candidates = models.JSONField(_("候选专家"), default=list)
    # user id (as text) -> the reason the expert was left out.
    excluded = models.JSONField(_("回避专家"), default=dict)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家抽取")
        verbose_name_plural = _("专家抽取")

    def __str__(self):
        return f"{self.application} · {self.seed}"


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("已指派")
    DECLINED = "declined", _("已谢绝")
    REPLACED = "replaced", _("已替换")


class Assignment(models.Model):
    draw = models.ForeignKey(ExpertDraw, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="expert_assignments",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    # Index in draw.candidates: replacements continue down the same list.
    position = models.PositiveSmallIntegerField(_("序号"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ACTIVE,
        db_index=True,
    )
    reason = models.TextField(_("谢绝或替换原因"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("指派时间"), auto_now_add=True)

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("专家指派")
        verbose_name_plural = _("专家指派")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_once")
        ]

    def __str__(self):
        return f"{self.application} · {self.expert}"


# --------------------------------------------------------------------------------------------
# Scoring


class ReviewRound(models.Model):
    """A campaign category's expert review: weights are fixed once it opens."""

    campaign_category = models.OneToOneField(
        "campaigns.CampaignCategory", on_delete=models.CASCADE, related_name="review_round"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("评审开始时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审轮次")
        verbose_name_plural = _("专家评审轮次")

    def __str__(self):
        return str(self.campaign_category)


class CriterionSource(models.TextChoices):
    EXPERT = "expert", _("专家评分")
    INDEX = "index", _("用户满意度指数（调查结果）")
    FORM = "form", _("申请表质量指标")


class RubricCriterion(models.Model):
    campaign_category = models.ForeignKey(
        "campaigns.CampaignCategory", on_delete=models.CASCADE, related_name="rubric"
    )
    code = models.SlugField(_("代码"), max_length=40)
    name_zh = models.CharField(_("评分项"), max_length=100)
    name_en = models.CharField(_("评分项（英文）"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=CriterionSource.choices)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign_category", "order", "pk"]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分细则")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign_category", "code"], name="rubric_criterion_unique"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="rubric_weight_positive"),
        ]

    def __str__(self):
        return self.name_zh


class Recommendation(models.TextChoices):
    AWARD = "award", _("建议授予")
    NOT_AWARD = "not_award", _("不建议授予")


class ScoreSheet(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="sheet")
    recommendation = models.CharField(
        _("总体意见"), max_length=10, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("评审意见"), blank=True)
    visited_on = models.DateField(_("现场核查日期"), null=True, blank=True)
    visit_findings = models.TextField(_("现场核查情况"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家评分表")
        verbose_name_plural = _("专家评分表")
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(recommendation=""),
                name="score_sheet_submitted_has_recommendation",
            )
        ]

    def __str__(self):
        return str(self.assignment)


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"
