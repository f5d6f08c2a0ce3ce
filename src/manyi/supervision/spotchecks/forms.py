"""The spot check's forms: the plan, one item's record, the rectification, the revocation.
Shapes only; the services check what matters (and say so with the field's name)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.forms import BootstrapMixin
from manyi.supervision.models import CheckResult, Population
from manyi.supervision.spotchecks import selectors
from manyi.supervision.spotchecks.services import MAX_FILES, MAX_SIZE, TEXT_MAX


class PlanForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("抽查名称"), max_length=200)
    population = forms.ChoiceField(
        label=_("抽查对象"), choices=Population.choices, widget=forms.RadioSelect
    )
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("推进机构和参与活动的组织按申报年度，获得称号的组织按称号年度；不填为全部年度"),
    )
    category = forms.ChoiceField(
        label=_("申报类别"), choices=[("", _("全部类别")), *Category.choices], required=False
    )
    agency = forms.ModelChoiceField(
        label=_("推进机构"),
        queryset=selectors.agencies().none(),
        required=False,
        empty_label=_("全部推进机构"),
        help_text=_("只抽查该机构推荐的组织（抽查推进机构时，只抽查该机构）"),
    )
    size = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=MAX_SIZE)
    weighted = forms.BooleanField(
        label=_("按风险加权（投诉、指数接近门槛、称号年限、违规记录越多，被抽中的机会越大）"),
        required=False,
    )
    purpose = forms.CharField(
        label=_("抽查内容和要求"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.agencies()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); each is checked by the
    service, by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class RecordForm(BootstrapMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("检查结论"),
        choices=[
            (r.value, r.label) for r in (CheckResult.PASS, CheckResult.RECTIFY, CheckResult.FAIL)
        ],
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(
        label=_("检查发现"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    rectify_by = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "结论为限期整改时必填，须晚于今天；到期前三天和逾期时将提醒被抽查组织和用户工作部"
        ),
    )
    evidence = MultipleFileField(label=_("上传证据材料"), required=False)

    def __init__(self, *args, **kwargs):
        from django.utils.translation import gettext

        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = gettext(
            "可多选；PDF、JPEG 或 PNG，每个不超过 10 MB，每次最多 %(n)d 个"
        ) % {"n": MAX_FILES}


class RectifiedForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("整改情况"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevocationForm(BootstrapMixin, forms.Form):
    facts = forms.CharField(
        label=_("事实和依据"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
