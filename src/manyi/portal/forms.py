from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin


class ActivityFilterForm(BootstrapMixin, forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False)
    action = forms.CharField(label=_("动作"), required=False)
    organisation = forms.CharField(label=_("相关组织"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v}
