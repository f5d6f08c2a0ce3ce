"""The filters of the training lists (common.listing): classes, employees' files, yearly plans,
and the enrol form's picker of employees.

Choices that name organisations are the user's own reach only: the organisers of the classes
the user sees, the organisations whose files the user reads (and no select at all for
programme staff, who read the whole city's: they search by name instead).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import ListFilter, Search, Sort
from manyi.training import access, selectors
from manyi.training.models import ClassStatus, Employee, Topic, TrainingClass, TrainingPlan

SCOPES = (("enrollable", _("可报名")), ("mine", _("本单位已报名")))
STATES = (("active", _("在职")), ("left", _("离职")))


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _class_organisers(request):
    return selectors.class_organisers(request.user)


def _file_organisations(request):
    return selectors.file_organisations(request.user)


class ClassFilter(ListFilter):
    q = Search(fields=("title", "teachers", "place"), label=_("搜索"))
    scope = django_filters.ChoiceFilter(
        choices=SCOPES, label=_("范围"), empty_label=_("全部"), method="by_scope"
    )
    topic = django_filters.ChoiceFilter(
        choices=Topic.choices, label=_("培训内容"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=ClassStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    organiser = django_filters.ModelChoiceFilter(
        queryset=_class_organisers, label=_("主办单位"), empty_label=_("全部")
    )
    # Two fields, not a DateRange: the URLs people bookmarked say date_from and date_to.
    date_from = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("开始日期从"), widget=_date()
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("至"), widget=_date()
    )
    sort = Sort(
        fields=(
            ("title", "title"),
            ("topic", "topic"),
            ("organiser__name", "organiser"),
            ("starts_at", "starts"),
            ("hours", "hours"),
            ("enrolled_count", "enrolled"),
            ("own_count", "own"),
            ("status", "status"),
        )
    )

    class Meta:
        model = TrainingClass
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Classes to enrol in" and "ours" only mean something to an enterprise.
        if not access.is_enterprise(self.request.user):
            self.filters.pop("scope")
            self.form.fields.pop("scope", None)

    def by_scope(self, queryset, name, value):
        if value == "enrollable":
            return selectors.enrollable(queryset)
        return queryset.filter(own_count__gt=0)


class EmployeeFilter(ListFilter):
    q = Search(
        fields=("name", "employee_no", "department", "organisation__name"),
        label=_("姓名、工号、部门或单位"),
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=_file_organisations, label=_("单位"), empty_label=_("全部")
    )
    state = django_filters.ChoiceFilter(
        choices=STATES, label=_("在职状态"), empty_label=_("全部"), method="by_state"
    )
    sort = Sort(
        fields=(
            ("name", "name"),
            ("employee_no", "number"),
            ("organisation__name", "organisation"),
            ("department", "department"),
            ("position", "position"),
            ("record_count", "records"),
            ("passed_hours", "hours"),
            ("is_active", "state"),
        )
    )

    class Meta:
        model = Employee
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A choice of one would be no choice; programme staff read every enterprise's files,
        # a select of the whole city would weigh more than the page.
        readable = selectors.readable_organisation_ids(self.request.user)
        if readable is None or len(readable) <= 1:
            self.filters.pop("organisation")
            self.form.fields.pop("organisation", None)

    def by_state(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")


class PlanFilter(ListFilter):
    q = Search(fields=("organisation__name",), label=_("单位名称"))
    year = django_filters.ChoiceFilter(label=_("年度"), empty_label=_("全部"))
    sort = Sort(
        fields=(
            ("year", "year"),
            ("organisation__name", "organisation"),
            ("item_count", "items"),
            ("updated_at", "updated"),
        )
    )

    class Meta:
        model = TrainingPlan
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = selectors.plan_years(self.request.user)
        self.form.fields["year"].choices = [(year, year) for year in years]


class EmployeePickerFilter(ListFilter):
    """The enrol form's search among the enterprise's employees not yet enrolled: at city
    scale an enterprise has thousands, so the form shows one page of those found."""

    who = Search(fields=("name", "employee_no", "department", "position"), label=_("查找职工"))

    class Meta:
        model = Employee
        fields = ()
