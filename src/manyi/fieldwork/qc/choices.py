"""The manager's words for a review decision and a call-back's result (no model field carries
them as choices: `Response.qc_status` and `SampledContact.verify_result` hold the outcome)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from manyi.fieldwork.models import Channel


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("复核通过（计入有效样本）")
    REJECT = "reject", _("剔除（不计入有效样本）")


class VerifyResult(models.TextChoices):
    CONFIRMED = "confirmed", _("确认受访")
    DENIED = "denied", _("否认受访")
    UNREACHABLE = "unreachable", _("无法联系")


# Interviews made by telephone: by an interviewer here, or by the firm's own CATI system
# (the API), whose interviewers are checked the same way. Web answers are not called back.
INTERVIEW_CHANNELS = (Channel.PHONE, Channel.API)
MAX_REASON = 300
