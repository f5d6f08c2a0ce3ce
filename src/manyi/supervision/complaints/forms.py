"""The public complaint form and the staff's small forms; the services check what matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleaned to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        cleaned = super().clean(data, initial)
        return [cleaned] if cleaned else []


class ComplaintForm(BootstrapMixin, forms.Form):
    about = forms.CharField(
        label=_("被投诉的称号证书编号或单位名称"),
        max_length=200,
        help_text=_("证书编号形如 GZYH-2026-CP-0001，可在“称号证书查询”中查到"),
    )
    facts = forms.CharField(
        label=_("投诉事实"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明时间、地点、经过、涉及的产品或服务，以及您的诉求"),
    )
    evidence = MultipleFileField(
        label=_("证明材料（可选，最多 3 个，PDF、JPEG 或 PNG，每个不超过 10 MB）"),
        required=False,
    )
    name = forms.CharField(
        label=_("您的姓名"),
        max_length=100,
        help_text=_("仅供调查核实使用，予以保密，不会公开或告知被投诉单位"),
    )
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=100,
        help_text=_("电话或电子邮箱；填写电子邮箱的，答复后会发邮件提醒您"),
    )
    consent = forms.BooleanField(
        label=_("我确认所填情况属实，并同意广州市用户委员会为调查核实使用我的姓名和联系方式"),
        required=True,
    )


class TriageForm(BootstrapMixin, forms.Form):
    title_number = forms.CharField(
        label=_("证书编号"),
        max_length=40,
        required=False,
        help_text=_("被投诉的称号；填写后获证单位自动对应"),
    )
    organisation_name = forms.CharField(
        label=_("获证单位名称"),
        max_length=200,
        required=False,
        help_text=_("不能确定是哪一项称号时，只填写单位全称"),
    )
    major = forms.BooleanField(
        label=_("重大投诉（对有效称号标记为重大投诉的，系统自动立案研究是否撤销，第二十二条）"),
        required=False,
    )
    note = forms.CharField(
        label=_("分类处理意见（内部）"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindingsForm(BootstrapMixin, forms.Form):
    findings = forms.CharField(
        label=_("调查情况（内部）"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    evidence = forms.FileField(
        label=_("调查材料（可选，PDF、JPEG 或 PNG，不超过 10 MB）"), required=False
    )


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label=_("给投诉人的答复（投诉人凭查询链接可见）"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DismissForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label=_("不予受理的理由（投诉人凭查询链接可见）"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
