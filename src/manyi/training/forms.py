"""The forms of the training pages. They parse what was typed; the services check the rest
(and say it in the same words to any other caller)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.common.forms import BootstrapMixin
from manyi.common.punctuation import bracketed
from manyi.training.imports import LIMITS
from manyi.training.models import Topic, TrainingClass
from manyi.training.results import Result
from manyi.training.services import CLASS_FIELDS, training_activities

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class PlannedActivityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.year} · {obj.title}{bracketed(obj.starts_on.isoformat())}"


class ClassForm(BootstrapMixin, forms.ModelForm):
    """A class's details; the organiser is a choice only for someone who organises for more
    than one organisation."""

    organiser = forms.TypedChoiceField(label=_("主办单位"), coerce=int)

    class Meta:
        model = TrainingClass
        fields = list(CLASS_FIELDS)
        field_classes = {"planned_activity": PlannedActivityField}
        widgets = {
            "starts_at": datetime_widget(),
            "ends_at": datetime_widget(),
            "enrol_closes_at": datetime_widget(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "topic": _("第十八条规定的培训内容"),
            "teachers": _("多位老师用顿号分隔"),
            "enrol_closes_at": _("留空则报名到开课为止"),
            "pass_score": _("考核成绩达到此分数为合格，计入职工技术档案和申报所需的培训学时"),
            "planned_activity": _("可选：属于协会年度工作计划中的哪项培训活动"),
        }

    def __init__(self, *args, organisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        organisers = list(organisers)
        if self.instance.pk or len(organisers) <= 1:
            del self.fields["organiser"]
        else:
            self.fields["organiser"].choices = [(o.pk, o.name) for o in organisers]
            self.order_fields(["organiser"])
        activity = self.fields["planned_activity"]
        activity.queryset = training_activities().order_by("-plan__year", "starts_on")
        activity.empty_label = _("（不属于年度计划）")
        # The service checks every field and lists every problem at once; the form only
        # parses (a required field failing here would hide the others' problems).
        for name in CLASS_FIELDS:
            field = self.fields[name]
            field.required_mark = field.required and name != "pass_score"
            field.required = False
        for name in ("hours", "capacity", "pass_score"):
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("min", None)
            self.fields[name].widget.attrs.pop("max", None)

    def _post_clean(self):
        """The services validate (model validation would say it twice, in other words)."""


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("将通过邮件告知已报名的单位"),
    )


def employee_label(employee) -> str:
    """A person as the enrol form names them: 李明（质量管理部 · 质检员）."""
    detail = " · ".join(v for v in (employee.department, employee.position) if v)
    return f"{employee.name}{bracketed(detail) if detail else ''}"


class EmployeeChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return employee_label(obj)


class EnrolForm(forms.Form):
    employees = EmployeeChoices(
        label=_("报名的职工"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, employees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employees"].queryset = employees
        self.fields["employees"].error_messages["required"] = _("请选择要报名的职工")


class EmployeeForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=LIMITS["name"])
    employee_no = forms.CharField(label=_("工号"), max_length=LIMITS["employee_no"], required=False)
    department = forms.CharField(label=_("部门"), max_length=LIMITS["department"], required=False)
    position = forms.CharField(label=_("岗位"), max_length=LIMITS["position"], required=False)
    mobile = forms.CharField(
        label=_("手机"),
        max_length=LIMITS["mobile"],
        required=False,
        help_text=_("只有本单位和培训班主办单位能看到完整号码"),
    )


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("职工名单（Excel .xlsx）"),
        help_text=_("第一行为“姓名、工号、部门、岗位、手机”，姓名必填；有一行出错则整份不导入"),
    )


ATTENDANCE_CHOICES = [("", _("未登记")), ("yes", _("出勤")), ("no", _("缺勤"))]
ATTENDED = {"": None, "yes": True, "no": False}


class ResultsForm(forms.Form):
    """One attendance choice and one score per enrolment (``attended-<id>``, ``score-<id>``)."""

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        for enrolment in self.enrolments:
            name = enrolment.employee.name
            attended = "" if enrolment.attended is None else ("yes" if enrolment.attended else "no")
            self.fields[f"attended-{enrolment.pk}"] = forms.ChoiceField(
                label=_("%(name)s的出勤") % {"name": name},
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=attended,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            score = enrolment.score
            self.fields[f"score-{enrolment.pk}"] = forms.DecimalField(
                label=_("%(name)s的成绩") % {"name": name},
                required=False,
                # 52, not 52.0: as it was typed.
                initial=None if score is None else f"{score.normalize():f}",
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.1",
                        "inputmode": "decimal",
                        "class": "form-control form-control-sm",
                    }
                ),
            )

    def rows_with_fields(self):
        """(enrolment, its attendance field, its score field) for the template."""
        return [(e, self[f"attended-{e.pk}"], self[f"score-{e.pk}"]) for e in self.enrolments]

    def results(self) -> list[Result]:
        return [
            Result(
                enrolment_id=e.pk,
                attended=ATTENDED[self.cleaned_data.get(f"attended-{e.pk}") or ""],
                score=self.cleaned_data.get(f"score-{e.pk}"),
            )
            for e in self.enrolments
        ]


class PlanForm(BootstrapMixin, forms.Form):
    aims = forms.CharField(
        label=_("培训目标"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("第十八条：结合全面质量管理基本知识、GB/T 19010 和本单位实际需要"),
    )


class PlanItemForm(BootstrapMixin, forms.Form):
    topic = forms.ChoiceField(label=_("培训内容"), choices=[("", "—"), *Topic.choices])
    title = forms.CharField(label=_("课程"), max_length=200)
    month = forms.TypedChoiceField(
        label=_("计划月份"), coerce=int, choices=[("", "—")] + [(m, m) for m in range(1, 13)]
    )
    audience = forms.CharField(label=_("培训对象"), max_length=200)
    people = forms.IntegerField(label=_("计划人数"), min_value=1, max_value=100_000)
    hours = forms.DecimalField(
        label=_("学时"), min_value=0.5, max_value=200, max_digits=4, decimal_places=1
    )


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=3, can_delete=True, max_num=100)
