"""An organisation's request to be recognised as a promotion agency (推进机构, Art. 8).

The association's administrator decides (`services.recognise` or `services.refuse`); a
recognised request creates the agency `Organisation` and invites its contact as the agency's
first staff manager. Recognition is suspended and reinstated on the organisation itself
(`Organisation.recognition_suspended_on`, by `services.suspend` / `services.reinstate`).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import phone_validator
from manyi.accounts.roles import AgencyScope, District


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    RECOGNISED = "recognised", _("已认可")
    REFUSED = "refused", _("不予认可")
    WITHDRAWN = "withdrawn", _("已撤回")


class AgencyRequest(models.Model):
    # Who the organisation is: the kind of body Art. 8 names, and the region or trade it covers.
    name = models.CharField(_("机构名称"), max_length=200)
    agency_scope = models.CharField(_("机构类别"), max_length=20, choices=AgencyScope.choices)
    agency_scope_detail = models.CharField(
        _("推进地区或行业"), max_length=100, help_text=_("例如：天河区，或 家电行业")
    )
    district = models.CharField(_("所在区"), max_length=20, choices=District.choices, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("联系地址"), max_length=200)
    # 有主管部门，有专人负责，有计划、有措施 (Art. 8).
    responsible_department = models.CharField(_("主管部门"), max_length=100)
    responsible_person = models.CharField(_("专人负责"), max_length=60)
    plan = models.TextField(_("推进工作计划"))
    measures = models.TextField(_("推进措施"))
    qualifications = models.TextField(_("资质说明"), blank=True)
    # The person the association answers, and who becomes the agency's first staff manager.
    contact_name = models.CharField(_("联系人"), max_length=60)
    contact_title = models.CharField(_("联系人职务"), max_length=60, blank=True)
    contact_mobile = models.CharField(_("手机"), max_length=20, validators=[phone_validator])
    contact_email = models.EmailField(_("电子邮箱"))
    # Optional proof of qualification, stored privately like every upload (common.files).
    evidence_file = models.CharField(max_length=300, blank=True)
    evidence_name = models.CharField(_("资质证明材料"), max_length=200, blank=True)

    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    # The link the applicant follows its request with; only its hash is kept.
    follow_token_hash = models.CharField(max_length=64, unique=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("认可的推进机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agency_requests",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("推进机构认可申请")
        verbose_name_plural = _("推进机构认可申请")

    def __str__(self):
        return self.name

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
