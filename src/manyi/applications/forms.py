from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.applications.models import AttachmentKind, Decision
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
