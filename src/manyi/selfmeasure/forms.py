"""The small forms of the enterprise's own measurement pages (the services check the rest)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.common.punctuation import bracketed
from manyi.fieldwork.models import Questionnaire, QuestionnaireStatus
from manyi.selfmeasure import progress
from manyi.selfmeasure.services import MAX_TARGET, MIN_RESPONSES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuestionnaireField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_category_display()} · {obj.title}{bracketed(f'v{obj.version}')}"


def questionnaires_for(organisation):
    """The published questionnaires, those of the categories the enterprise has applied in
    first (its own category's questionnaire fits its customers best)."""
    from manyi.applications.models import Application

    own = list(
        Application.objects.filter(organisation=organisation)
        .order_by("-pk")
        .values_list("category", flat=True)
        .distinct()
    )
    published = list(
        Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).order_by(
            "category", "-version"
        )
    )
    return sorted(published, key=lambda q: (q.category not in own, q.category))


class OwnSurveyForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("调查名称"), max_length=200)
    questionnaire = QuestionnaireField(
        label=_("问卷"),
        queryset=Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED),
        empty_label=None,
        help_text=_("平台已发布的问卷；本企业申报类别的问卷排在最前。"),
    )
    opens_on = forms.DateField(label=_("开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("截止日期"), widget=DATE)
    target_responses = forms.IntegerField(
        label=_("目标样本量"),
        min_value=MIN_RESPONSES,
        max_value=MAX_TARGET,
        initial=200,
        help_text=_("至少 30 份有效回答才能计算指数；200 份以上的区间较窄。"),
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        ordered = questionnaires_for(organisation)
        field = self.fields["questionnaire"]
        # The queryset validates; the choices show the enterprise's own category first.
        field.choices = [(q.pk, field.label_from_instance(q)) for q in ordered]
        today = timezone.localdate()
        self.initial.setdefault("opens_on", today)
        self.initial.setdefault("closes_on", today + dt.timedelta(days=30))


class ReopenForm(BootstrapMixin, forms.Form):
    closes_on = forms.DateField(
        label=_("新的截止日期"),
        widget=DATE,
        required=False,
        help_text=_("原截止日期已过时必须填写。"),
    )


class ActionForm(BootstrapMixin, forms.Form):
    driver = forms.ChoiceField(label=_("改进对象"))
    indicator = forms.ChoiceField(label=_("具体指标（可选）"), required=False)
    description = forms.CharField(
        label=_("改进措施"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    owner = forms.CharField(label=_("负责部门或负责人"), max_length=100)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)

    def __init__(self, *args, run=None, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = labels or {}
        drivers = progress.drivers_of(run)
        self.fields["driver"].choices = [(lv, labels.get(lv, lv)) for lv in drivers]
        self.fields["indicator"].choices = [("", _("（整个改进对象）"))] + [
            (ind, f"{labels.get(lv, lv)} · {labels.get(ind, ind)}")
            for lv in drivers
            for ind in progress.indicators_of(run, lv)
        ]


class DoneForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("完成情况"), max_length=300, required=False)
