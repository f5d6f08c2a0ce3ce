"""The small forms of the expert pages: the declaration, and a reason (decline, replace)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.reviews.experts.services import REASON_MAX


class DeclarationForm(BootstrapMixin, forms.Form):
    conflicts = forms.ModelMultipleChoiceField(
        label=_("有利益关系的单位"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("在上方按名称查找并勾选；没有请不选"),
    )
    competitors = forms.CharField(
        label=_("曾任职、顾问或竞争关系的单位"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个单位名称；没有请留空"),
    )
    agree = forms.BooleanField(
        label=_("本人已阅读上述声明，承诺遵守，所填利益关系真实完整"),
        error_messages={"required": _("请勾选承诺后再签署")},
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflicts"].queryset = enterprises


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写原因")},
    )
