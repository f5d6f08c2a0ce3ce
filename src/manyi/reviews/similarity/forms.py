from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.reviews.models import FlagStatus
from manyi.reviews.similarity.services import DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD


class RunForm(forms.Form):
    threshold = forms.DecimalField(
        label=_("相似度阈值（相同文字占比）"),
        min_value=MIN_THRESHOLD,
        max_value=MAX_THRESHOLD,
        max_digits=3,
        decimal_places=2,
        initial=DEFAULT_THRESHOLD,
    )


class ReviewFlagForm(forms.Form):
    status = forms.ChoiceField(
        label=_("核实结果"),
        choices=[
            (FlagStatus.CONFIRMED, FlagStatus.CONFIRMED.label),
            (FlagStatus.DISMISSED, FlagStatus.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("核实说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
