from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.applications.models import AttachmentKind
from manyi.common.forms import BootstrapMixin


class MaterialsForm(BootstrapMixin, forms.Form):
    """请附以下材料: limits are checked at submission (a draft may be short or long)."""

    profile = forms.CharField(
        label=_("1、企业概况（200字）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-max-chars": 200}),
    )
    products = forms.CharField(
        label=_("2、主导产品（主要工程）和主要经营服务项目（300字）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "data-max-chars": 300}),
    )
    measures = forms.CharField(
        label=_("3、实施用户满意工程的主要目标、措施和经验（2500-3000字）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "data-min-chars": 2500, "data-max-chars": 3000}),
    )
    outlook = forms.CharField(
        label=_("4、成就和展望（200字）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-max-chars": 200}),
    )

    def __init__(self, *args, category: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if category == "brand":
            self.fields["products"].label = _("2、该品牌核定产品和经营服务项目（300字）")


class AttachmentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("文件（PDF、JPEG 或 PNG，不超过 10 MB）"))


class ReopenConfirmationForm(BootstrapMixin, forms.Form):
    """Staff reopen a locked 活动确认表: the reason is logged and mailed to the applicant."""

    reason = forms.CharField(
        label=_("重新开放的原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
