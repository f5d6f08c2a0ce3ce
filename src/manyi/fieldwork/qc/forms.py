"""The manager's two small forms: the review of a flagged response, the call-back's result."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.fieldwork.qc.choices import MAX_REASON, ReviewDecision, VerifyResult


class ReviewForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("复核意见"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("原因"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("剔除时必须写明原因，不超过 300 字"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewDecision.REJECT and not data.get("reason", "").strip():
            self.add_error("reason", _("剔除回答时请写明原因"))
        return data


class VerifyForm(BootstrapMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("回访结果"), choices=VerifyResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如受访者否认，请记录其原话；不超过 300 字"),
    )
