"""The small forms of the revisit pages; the services check what matters."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.forms import BootstrapMixin
from manyi.supervision.revisits.services import (
    FINDINGS_MAX,
    PREPARE_MAX,
    REASON_MAX,
    SEED_LIMIT,
    default_prepare,
)

# A revisit is planned this many days ahead by default: time for the holder to prepare.
NOTICE_DAYS = 14


class IdsField(forms.Field):
    """The ticked titles (checkboxes drawn by the page's own table)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("请至少选择一个称号"),
        "invalid": _("选择的称号无效，请刷新页面后重新选择"),
    }

    def to_python(self, value):
        ids = []
        for item in value or ():
            if not str(item).isdecimal():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(item))
        return list(dict.fromkeys(ids))


class _VisitFields(BootstrapMixin, forms.Form):
    visit_on = forms.DateField(
        label=_("回访日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("应提前通知获证单位，留出准备时间"),
    )
    prepare = forms.CharField(
        label=_("需准备的材料和事项"),
        max_length=PREPARE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("随回访通知发送给获证单位"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_on"].initial = timezone.localdate() + datetime.timedelta(
            days=NOTICE_DAYS
        )
        self.fields["prepare"].initial = default_prepare()


class PlanForm(_VisitFields):
    titles = IdsField(label=_("称号"))


class DrawForm(_VisitFields):
    year = forms.TypedChoiceField(
        label=_("称号年度"), required=False, coerce=int, empty_value=None, choices=()
    )
    category = forms.ChoiceField(
        label=_("称号类别"), required=False, choices=[("", _("全部")), *Category.choices]
    )
    size = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=500, initial=5)
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        max_value=SEED_LIMIT - 1,
        help_text=_("留空则由系统随机产生；填写以前的种子可以复核抽取结果"),
    )

    field_order = ["year", "category", "size", "seed", "visit_on", "prepare"]

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部")), *((y, str(y)) for y in years)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class RecordForm(BootstrapMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("回访结论"),
        choices=[("yes", _("通过")), ("no", _("未通过"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择回访结论")},
    )
    findings = forms.CharField(
        label=_("回访发现"),
        max_length=FINDINGS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("未通过的，回访发现将作为撤销建议的事实和依据报送广州市质量协会"),
        error_messages={"required": _("请填写回访发现")},
    )
    evidence = MultipleFileField(
        label=_("证据材料（可选，PDF、JPEG 或 PNG，每个不超过 10 MB）"), required=False
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写原因")},
    )
