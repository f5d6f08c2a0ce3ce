"""The small forms of the plan's pages (the services check the rest and say why)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import Organisation
from manyi.common.forms import BootstrapMixin
from manyi.programme.models import ActivityKind
from manyi.programme.plans.activities import RESPONSIBLE_KINDS
from manyi.programme.plans.services import FIRST_YEAR, LAST_YEAR

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    theme = forms.CharField(label=_("年度推进主题"), max_length=200)
    summary = forms.CharField(
        label=_("工作计划概要"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )
    theme_en = forms.CharField(
        label=_("年度推进主题（英文，可选）"), max_length=300, required=False
    )
    summary_en = forms.CharField(
        label=_("工作计划概要（英文，可选）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=12000,
        required=False,
        help_text=_("未填写英文时，英文页面显示中文内容并注明仅有中文版本。"),
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("year", timezone.localdate().year)
        if editing:
            # The year names the plan (/plan/2026/): it is not changed afterwards.
            del self.fields["year"]


class ResponsibleField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name or obj.name


class ActivityForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    title_en = forms.CharField(label=_("活动名称（英文，可选）"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    responsible_organisation = ResponsibleField(
        label=_("负责单位"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("（不在列表中：在下面填写）"),
    )
    responsible = forms.CharField(
        label=_("负责单位（文字）"),
        max_length=200,
        required=False,
        help_text=_("负责单位不在列表中，或由几个单位共同负责时填写。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = Organisation.objects.filter(
            kind__in=RESPONSIBLE_KINDS, is_active=True
        ).order_by("kind", "name")


class HeldForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("举办日期"), widget=DATE)
    outcome = forms.CharField(
        label=_("举办情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("参加单位和人数、主要内容和成果，将在年度计划页面公开。"),
    )
    outcome_url = forms.CharField(
        label=_("相关链接（可选）"),
        max_length=300,
        required=False,
        help_text=_("本站的新闻页面（如 /news/12/）或 http(s):// 开头的网址。"),
    )


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("将在年度计划页面公开。"),
    )


class UnpublishForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因（可选）"), max_length=500, required=False)
