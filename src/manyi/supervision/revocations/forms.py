"""The staff's forms of a revocation case and of the year's notice; the services check what
matters (states, dates, files)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.supervision.models import RevocationReason

EVIDENCE_LABEL = _("证据材料（可选，PDF、JPEG 或 PNG，不超过 10 MB）")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OpenForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("撤销事由"), choices=[("", _("请选择")), *RevocationReason.choices]
    )
    facts = forms.CharField(
        label=_("事实和依据"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence = forms.FileField(label=EVIDENCE_LABEL, required=False)
    description = forms.CharField(label=_("材料说明"), max_length=200, required=False)
    proposed = forms.BooleanField(
        label=_("同时提出撤销建议，报协会决定"),
        required=False,
        help_text=_("用户委员会已研究并建议撤销时勾选；否则案件待研究"),
    )
    proposal = forms.CharField(
        label=_("用户委员会的撤销建议"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("proposed") and not (data.get("proposal") or "").strip():
            self.add_error("proposal", _("请填写用户委员会的撤销建议"))
        return data


class ProposeForm(BootstrapMixin, forms.Form):
    proposal = forms.CharField(
        label=_("撤销建议"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DismissForm(BootstrapMixin, forms.Form):
    reasons = forms.CharField(
        label=_("不提出撤销建议的理由"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecideForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("决定"),
        choices=[("revoke", _("撤销称号")), ("decline", _("不予撤销"))],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("决定内容或不予撤销的理由"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    effective_on = forms.DateField(
        label=_("撤销生效日期"),
        required=False,
        widget=DateInput(),
        help_text=_("撤销时填写，不早于今天；当天生效的，核验页面即时显示已撤销"),
    )
    criticism = forms.CharField(
        label=_("通报批评正文"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("仅因提供虚假材料等撤销时发布；留空则使用标准文本"),
    )


class RecallForm(BootstrapMixin, forms.Form):
    certificate = forms.BooleanField(label=_("证书已收回"), required=False)
    plaque = forms.BooleanField(label=_("牌匾已收回"), required=False)
    on = forms.DateField(label=_("收回日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("文件（PDF、JPEG 或 PNG，不超过 10 MB）"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class PublishForm(BootstrapMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
