"""What happens to a title, an agency or a person after the decision (Chapters 4–5, Art. 21–27).

- `SpotCheck` / `SpotCheckItem`: the work department's 抽查 (Art. 21): a population, a seeded
  and stored draw (optionally weighted by risk), then findings, evidence and a result per drawn
  organisation; "rectify" carries a deadline and a reminder.
- `HolderSurvey`: a later third-party survey of a title holder (Art. 22), run by `fieldwork`
  like the application survey; a severely low index opens a revocation for a person to decide.
- `Revisit` / `RevisitExpert`: the committee's 回访确认 (Art. 23): notice in advance, experts
  without conflict, the on-site result; a failure becomes a proposal to revoke.
- `Complaint`: a public complaint about a title holder, followed with a private link.
- `Revocation`: 撤销 (Art. 22–24, 26): opened (by a person or by the system), proposed by the
  committee, decided by the association's administrator; the certificate and plaque recalled.
- `Violation`: a recorded breach such as publicity without the year (Art. 25).
- `Sanction`: 通报批评, an agency disqualified, an expert removed, an account disabled (Art. 26–27).
- `DisciplineNotice`: the public notice of a year's revocations and disqualifications (Art. 24)
  and each 通报批评 (Art. 26).
- `Evidence`: a file attached to one of the above, checked like every upload.
- `ExpiryReminder`: the 90- and 30-day reminders sent before a title expires.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.punctuation import local_date

# ------------------------------------------------------------------------------------------
# Spot checks (Art. 21)


class Population(models.TextChoices):
    AGENCIES = "agencies", _("推进机构")
    PARTICIPANTS = "participants", _("参与活动的组织")
    TITLE_HOLDERS = "title_holders", _("获得称号的组织")


class SpotCheckStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    DRAWN = "drawn", _("已抽取")
    CLOSED = "closed", _("已完成")


class SpotCheckManager(models.Manager):
    def get_queryset(self):
        # The stored frame holds the whole population (10,000 members is about 1 MB of JSON):
        # lists, counts and dashboards never need it, and grouping by it made them grow with
        # it. The draw and its check read it when they touch `frame` (one query more).
        return super().get_queryset().defer("frame")


class SpotCheck(models.Model):
    name = models.CharField(_("抽查名称"), max_length=200)
    population = models.CharField(_("抽查对象"), max_length=20, choices=Population.choices)
    # Filters of the population; blank means all.
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    category = models.CharField(_("申报类别"), max_length=20, choices=Category.choices, blank=True)
    agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("推进机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    size = models.PositiveIntegerField(_("抽取数量"))
    weighted = models.BooleanField(_("按风险加权"), default=False)
    purpose = models.TextField(_("抽查内容和要求"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=SpotCheckStatus.choices,
        default=SpotCheckStatus.PLANNED,
        db_index=True,
    )
    # The draw: enough to redo it and get the same list.
    seed = models.BigIntegerField(_("随机种子"), null=True, blank=True)
    population_hash = models.CharField(_("总体指纹"), max_length=64, blank=True)
    population_size = models.PositiveIntegerField(_("总体数量"), default=0)
    # [{"organisation": id, "title": id|None, "weight": float, "risk": {...}}, …] as drawn from.
    frame = models.JSONField(_("抽样框"), default=list, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = SpotCheckManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")
        constraints = [models.CheckConstraint(condition=Q(size__gte=1), name="spot_check_size")]

    def __str__(self):
        return self.name


class CheckResult(models.TextChoices):
    PENDING = "pending", _("待检查")
    PASS = "pass", _("合格")
    RECTIFY = "rectify", _("限期整改")
    FAIL = "fail", _("不合格")


class SpotCheckItem(models.Model):
    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("抽取顺序"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("被抽查组织"),
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    title = models.ForeignKey(
        "titles.Title",
        verbose_name=_("称号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    weight = models.FloatField(_("抽取权重"), default=1.0)
    risk = models.JSONField(_("风险因素"), default=dict, blank=True)
    findings = models.TextField(_("检查发现"), blank=True)
    result = models.CharField(
        _("检查结论"),
        max_length=10,
        choices=CheckResult.choices,
        default=CheckResult.PENDING,
        db_index=True,
    )
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("整改提醒时间"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    rectification_note = models.TextField(_("整改情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        ordering = ["spot_check", "position"]
        verbose_name = _("抽查对象")
        verbose_name_plural = _("抽查对象")
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "position"], name="spot_item_position"),
            models.UniqueConstraint(fields=["spot_check", "organisation"], name="spot_item_once"),
            models.CheckConstraint(
                condition=~Q(result="rectify") | Q(rectify_by__isnull=False),
                name="spot_item_rectify_has_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.spot_check} · {self.organisation}"


# ------------------------------------------------------------------------------------------
# Surveys of title holders (Art. 22)


class HolderSurvey(models.Model):
    """A `fieldwork.Survey` of purpose "holder", tied to the title it checks."""

    title = models.ForeignKey(
        "titles.Title", verbose_name=_("称号"), on_delete=models.PROTECT, related_name="surveys"
    )
    survey = models.OneToOneField(
        "fieldwork.Survey", on_delete=models.PROTECT, related_name="holder"
    )
    # The line in force at launch (CampaignCategory.severely_low_index), kept with the survey.
    severely_low = models.DecimalField(_("严重偏低线"), max_digits=5, decimal_places=2)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    launched_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    # Set when the closed survey's index was compared with the line.
    index = models.DecimalField(
        _("满意度指数"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    assessed_at = models.DateTimeField(_("判定时间"), null=True, blank=True)

    class Meta:
        ordering = ["-launched_at"]
        verbose_name = _("获证组织用户评价调查")
        verbose_name_plural = _("获证组织用户评价调查")

    def __str__(self):
        return f"{self.title} · {self.launched_at:%Y}"


# ------------------------------------------------------------------------------------------
# Revisit confirmation (Art. 23)


class RevisitStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    NOTIFIED = "notified", _("已通知")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    CANCELLED = "cancelled", _("已取消")


class Revisit(models.Model):
    title = models.ForeignKey(
        "titles.Title", verbose_name=_("称号"), on_delete=models.PROTECT, related_name="revisits"
    )
    # Set when the holder was picked by a seeded draw (the draw is kept on the batch).
    batch = models.ForeignKey(
        "supervision.RevisitDraw",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisits",
    )
    visit_on = models.DateField(_("回访日期"))
    prepare = models.TextField(_("需准备的材料和事项"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RevisitStatus.choices,
        default=RevisitStatus.PLANNED,
        db_index=True,
    )
    expert_seed = models.BigIntegerField(_("专家抽取种子"), null=True, blank=True)
    # Who was left out of the expert draw, and why, as at the draw.
    excluded = models.JSONField(_("回避情况"), default=dict, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    findings = models.TextField(_("回访发现"), blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-visit_on", "-pk"]
        verbose_name = _("回访确认")
        verbose_name_plural = _("回访确认")

    def __str__(self):
        return f"{self.title} · {local_date(self.visit_on)}"


class RevisitDraw(models.Model):
    """A seeded draw of title holders for revisits: redoing it gives the same holders."""

    year = models.PositiveSmallIntegerField(_("称号年度"), null=True, blank=True)
    category = models.CharField(_("称号类别"), max_length=20, choices=Category.choices, blank=True)
    size = models.PositiveIntegerField(_("抽取数量"))
    seed = models.BigIntegerField(_("随机种子"))
    population_hash = models.CharField(_("总体指纹"), max_length=64)
    population = models.JSONField(_("总体"), default=list)  # title ids, sorted
    drawn = models.JSONField(_("抽中"), default=list)  # title ids, in draw order
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        ordering = ["-drawn_at"]
        verbose_name = _("回访抽取")
        verbose_name_plural = _("回访抽取")

    def __str__(self):
        return f"{self.drawn_at:%Y-%m-%d} · {self.size}"


class RevisitExpert(models.Model):
    revisit = models.ForeignKey(Revisit, on_delete=models.CASCADE, related_name="experts")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="revisit_assignments",
    )
    position = models.PositiveIntegerField(_("抽取顺序"))
    leader = models.BooleanField(_("组长"), default=False)

    class Meta:
        ordering = ["revisit", "position"]
        verbose_name = _("回访专家")
        verbose_name_plural = _("回访专家")
        constraints = [
            models.UniqueConstraint(fields=["revisit", "expert"], name="revisit_expert_once")
        ]

    def __str__(self):
        return f"{self.revisit} · {self.expert}"


# ------------------------------------------------------------------------------------------
# Complaints


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已收到")
    INVESTIGATING = "investigating", _("调查中")
    ANSWERED = "answered", _("已答复")
    DISMISSED = "dismissed", _("不予受理")


class Complaint(models.Model):
    # What the complainant typed (a title number or a name), and what staff matched it to.
    about = models.CharField(_("被投诉的称号编号或单位名称"), max_length=200)
    title = models.ForeignKey(
        "titles.Title",
        verbose_name=_("称号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("被投诉单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    facts = models.TextField(_("投诉事实"))
    # Private: only staff handling complaints see these.
    name = models.CharField(_("投诉人姓名"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("状态"),
        max_length=15,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        db_index=True,
    )
    major = models.BooleanField(_("重大投诉"), default=False)
    triage_note = models.TextField(_("分类处理意见"), blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(_("分类时间"), null=True, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint_investigations",
    )
    findings = models.TextField(_("调查情况"), blank=True)
    # The answer the complainant reads with the private link.
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")

    def __str__(self):
        return f"{self.about} · {self.get_status_display()}"


# ------------------------------------------------------------------------------------------
# Revocation (Art. 22–24, 26)


class RevocationReason(models.TextChoices):
    LOW_SATISFACTION = "low_satisfaction", _("用户满意度严重偏低（第二十二条）")
    MAJOR_COMPLAINT = "major_complaint", _("出现用户重大投诉（第二十二条）")
    FAILED_REVISIT = "failed_revisit", _("回访确认未通过（第二十三条）")
    FAILED_SPOT_CHECK = "failed_spot_check", _("抽查不合格（第二十一条）")
    FRAUD = "fraud", _("提供虚假材料、剽窃等不正当手段骗取称号（第二十六条）")
    MISLEADING = "misleading", _("未标明年份宣传、误导消费并引起后果（第二十五条）")


class RevocationStatus(models.TextChoices):
    OPENED = "opened", _("待研究")
    PROPOSED = "proposed", _("已建议撤销")
    REVOKED = "revoked", _("已撤销")
    DECLINED = "declined", _("不予撤销")
    DISMISSED = "dismissed", _("不提出建议")


class RecallStatus(models.TextChoices):
    NONE = "none", _("无需收回")
    TO_RECALL = "to_recall", _("待收回")
    RECALLED = "recalled", _("已收回")


class Revocation(models.Model):
    title = models.ForeignKey(
        "titles.Title", verbose_name=_("称号"), on_delete=models.PROTECT, related_name="revocations"
    )
    reason = models.CharField(_("撤销事由"), max_length=20, choices=RevocationReason.choices)
    facts = models.TextField(_("事实和依据"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RevocationStatus.choices,
        default=RevocationStatus.OPENED,
        db_index=True,
    )
    # Where it came from (at most one), so the case can be read back to its origin.
    spot_check_item = models.ForeignKey(
        SpotCheckItem, null=True, blank=True, on_delete=models.PROTECT, related_name="revocations"
    )
    holder_survey = models.ForeignKey(
        HolderSurvey, null=True, blank=True, on_delete=models.PROTECT, related_name="revocations"
    )
    revisit = models.ForeignKey(
        Revisit, null=True, blank=True, on_delete=models.PROTECT, related_name="revocations"
    )
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="revocations"
    )
    violation = models.ForeignKey(
        "supervision.Violation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revocations",
    )
    # Null when the system opened it (a severely low index, a major complaint).
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    proposal = models.TextField(_("用户委员会建议"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("建议时间"), null=True, blank=True)
    decision = models.TextField(_("协会决定"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    effective_on = models.DateField(_("撤销生效日期"), null=True, blank=True)
    certificate = models.CharField(
        _("证书"), max_length=10, choices=RecallStatus.choices, default=RecallStatus.NONE
    )
    certificate_recalled_at = models.DateTimeField(_("证书收回时间"), null=True, blank=True)
    plaque = models.CharField(
        _("牌匾"), max_length=10, choices=RecallStatus.choices, default=RecallStatus.NONE
    )
    plaque_recalled_at = models.DateTimeField(_("牌匾收回时间"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("撤销")
        verbose_name_plural = _("撤销")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | Q(effective_on__isnull=False, decided_at__isnull=False),
                name="revocation_revoked_has_date",
            ),
            # One case in progress per title: a second one waits for the first to be decided.
            models.UniqueConstraint(
                fields=["title"],
                condition=Q(status__in=["opened", "proposed", "revoked"]),
                name="revocation_one_open_per_title",
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.get_reason_display()}"


# ------------------------------------------------------------------------------------------
# Violations and sanctions (Art. 25–27)


class ViolationKind(models.TextChoices):
    NO_YEAR = "no_year", _("对外宣传未标明具体年份（第二十五条）")
    IMPROPER_PUBLICITY = "improper_publicity", _("未按有关规定宣传（第二十五条）")
    MISLEADING = "misleading", _("误导消费并引起后果（第二十五条）")
    RULES = "rules", _("违反本办法及推选细则（第二十七条）")


class Violation(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    title = models.ForeignKey(
        "titles.Title",
        verbose_name=_("称号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    kind = models.CharField(_("违规类型"), max_length=20, choices=ViolationKind.choices)
    description = models.TextField(_("违规情况"))
    found_on = models.DateField(_("发现日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("违规记录")
        verbose_name_plural = _("违规记录")

    def __str__(self):
        return f"{self.organisation} · {self.get_kind_display()}"


class SanctionKind(models.TextChoices):
    CRITICISM = "criticism", _("通报批评")
    AGENCY_DISQUALIFIED = "agency_disqualified", _("取消推进机构资格")
    EXPERT_REMOVED = "expert_removed", _("移出评审专家库")
    ACCOUNT_DISABLED = "account_disabled", _("停用账号")


class Sanction(models.Model):
    kind = models.CharField(_("处理类型"), max_length=20, choices=SanctionKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    revocation = models.ForeignKey(
        Revocation, null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    reason = models.TextField(_("事由"))
    decided_on = models.DateField(_("决定日期"))
    # Listed in the year's public notice (Art. 24): disqualified organisations always are.
    public = models.BooleanField(_("予以公示"), default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("处理决定")
        verbose_name_plural = _("处理决定")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="sanction_has_subject",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.organisation or self.person}"


class DisciplineNoticeKind(models.TextChoices):
    ANNUAL = "annual", _("撤销和取消资格公示")
    CRITICISM = "criticism", _("通报批评")


class DisciplineNotice(models.Model):
    kind = models.CharField(_("类型"), max_length=10, choices=DisciplineNoticeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    # For a 通报批评: the revocation it is about.
    revocation = models.OneToOneField(
        Revocation, null=True, blank=True, on_delete=models.PROTECT, related_name="criticism"
    )
    # The rows as published (names, numbers, reasons, dates), so the notice never changes.
    entries = models.JSONField(_("公示内容"), default=list, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-published_at"]
        verbose_name = _("处理公告")
        verbose_name_plural = _("处理公告")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="criticism") | Q(revocation__isnull=False),
                name="criticism_names_revocation",
            ),
        ]

    def __str__(self):
        return self.title


# ------------------------------------------------------------------------------------------
# Evidence and reminders


EVIDENCE_OWNERS = ("spot_check_item", "revisit", "complaint", "revocation", "violation")


def _exactly_one(fields) -> Q:
    """Exactly one of the nullable foreign keys `fields` is set."""
    alternatives = [
        Q(**{f"{field}__isnull": False}, **{f"{o}__isnull": True for o in fields if o != field})
        for field in fields
    ]
    return reduce(or_, alternatives)


class Evidence(models.Model):
    """A file checked like every upload (PDF, JPEG, PNG), attached to exactly one case."""

    spot_check_item = models.ForeignKey(
        SpotCheckItem, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    revisit = models.ForeignKey(
        Revisit, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    revocation = models.ForeignKey(
        Revocation, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    violation = models.ForeignKey(
        Violation, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    path = models.CharField(max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=60)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    # Null for a complainant's file (no account).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one(EVIDENCE_OWNERS), name="evidence_one_owner"
            )
        ]

    def __str__(self):
        return self.name


class ExpiryReminder(models.Model):
    title = models.ForeignKey("titles.Title", on_delete=models.CASCADE, related_name="reminders")
    days = models.PositiveSmallIntegerField(_("提前天数"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(fields=["title", "days"], name="expiry_reminder_once")
        ]

    def __str__(self):
        return f"{self.title} · {self.days}"
