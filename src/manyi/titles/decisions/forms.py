"""The small forms of the decision pages; the services check what matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.titles.models import Proposal


class ProposeForm(BootstrapMixin, forms.Form):
    proposal = forms.ChoiceField(
        label=_("评定意见"), choices=Proposal.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    benchmark = forms.BooleanField(label=_("评为标杆（第十七条）"), required=False)
    override = forms.BooleanField(
        label=_("未达门槛仍拟授予"),
        required=False,
        help_text=_("满意度指数低于门槛或尚无指数时，如仍拟授予称号，须勾选并在理由中说明"),
    )


class ReturnForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("退回原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
