"""The assignment form: which applications, which firm, the field period and the design."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.fieldwork.sampling import design, selectors

FIELD_DAYS = 30


class IdsField(forms.Field):
    """The ticked applications (checkboxes drawn by the page's own table)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("请至少选择一项申报"),
        "invalid": _("选择的申报无效，请刷新页面后重新选择"),
    }

    def to_python(self, value):
        ids = []
        for item in value or ():
            if not str(item).isdigit():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(item))
        return list(dict.fromkeys(ids))


def _confidence_choices():
    return [("0.90", "90%"), ("0.95", "95%"), ("0.99", "99%")]


class AssignForm(BootstrapMixin, forms.Form):
    applications = IdsField(label=_("申报"))
    firm = forms.ModelChoiceField(
        label=_("调查机构"),
        queryset=selectors.survey_firms(),
        empty_label=_("请选择调查机构"),
        error_messages={"required": _("请选择调查机构")},
    )
    field_opens = forms.DateField(
        label=_("调查开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    field_closes = forms.DateField(
        label=_("调查截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    margin = forms.DecimalField(
        label=_("允许误差（指数分）"),
        min_value=Decimal("0.5"),
        max_value=Decimal("20"),
        decimal_places=1,
        initial=design.DEFAULT_MARGIN,
    )
    confidence = forms.TypedChoiceField(
        label=_("置信水平"), choices=_confidence_choices, coerce=Decimal, initial="0.95"
    )
    expected_response_rate = forms.DecimalField(
        label=_("预计应答率"),
        min_value=Decimal("0.05"),
        max_value=Decimal("1"),
        decimal_places=2,
        initial=Decimal("0.5"),
        help_text=_("0.05 至 1，例如 0.5 表示预计一半的样本会完成访问"),
    )
    reserve_share = forms.DecimalField(
        label=_("备用样本比例"),
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        decimal_places=2,
        initial=Decimal("0.2"),
    )
    strata = forms.MultipleChoiceField(
        label=_("分层变量"),
        required=False,
        choices=lambda: list(design.strata_labels().items()),
        widget=forms.CheckboxSelectMultiple,
    )
    max_attempts = forms.IntegerField(
        label=_("每个号码最多拨打次数"), min_value=1, max_value=20, initial=5
    )
    callback_share = forms.DecimalField(
        label=_("复核回访比例"),
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        decimal_places=2,
        initial=Decimal("0.1"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["field_opens"].initial = today
        self.fields["field_closes"].initial = today + datetime.timedelta(days=FIELD_DAYS)

    def commission(self) -> dict:
        """What the firm is commissioned with, as the services take it: the firm, the field
        period and the sampling design (the same for an application and a title holder)."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "firm",
                "field_opens",
                "field_closes",
                "margin",
                "confidence",
                "expected_response_rate",
                "reserve_share",
                "strata",
                "max_attempts",
                "callback_share",
            )
        }
