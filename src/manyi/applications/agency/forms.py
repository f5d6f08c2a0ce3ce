"""The agency's forms: its recommendation opinion and its seal."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.applications.models import Decision
from manyi.common.forms import BootstrapMixin


class RecommendationForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("意见"), choices=Decision.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("推荐单位意见（含地市、行业用委/质协）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("退回修改或不予推荐时，请写明原因"),
    )
    signer = forms.CharField(label=_("签字"), max_length=60)
    signed_on = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天"))
        return day


class SealForm(BootstrapMixin, forms.Form):
    image = forms.FileField(
        label=_("公章图片（PNG 或 JPEG，不超过 2 MB）"),
        help_text=_("建议使用透明背景的 PNG；推荐意见的 PDF 将加盖此章"),
    )
