"""The small forms of the formal review: staff's notes, the notice, accept, reject; the
applicant's completion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.common.forms import BootstrapMixin


class NoticeForm(BootstrapMixin, forms.Form):
    extra = forms.CharField(
        label=_("其他需补正的内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一项；与上面勾选的项目一并告知"),
        max_length=3000,
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AcceptForm(BootstrapMixin, forms.Form):
    opinion = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    firm = forms.ModelChoiceField(
        label=_("委托第三方调查机构（可稍后委托）"),
        queryset=Organisation.objects.filter(kind=OrgKind.SURVEY_FIRM, is_active=True),
        required=False,
    )
    field_opens = forms.DateField(
        label=_("调查开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    field_closes = forms.DateField(
        label=_("调查截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RejectForm(BootstrapMixin, forms.Form):
    opinion = forms.CharField(
        label=_("不予受理的理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CompleteForm(BootstrapMixin, forms.Form):
    reply = forms.CharField(
        label=_("补正说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("说明按通知补正了哪些内容；提交后不能再修改"),
    )
