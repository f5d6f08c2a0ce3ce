"""The filters of the sanction pages' lists (common.listing): decisions, violations, and the
applications a disqualified agency left waiting."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import Organisation
from manyi.accounts.uscc import normalise_uscc
from manyi.applications.models import Application
from manyi.campaigns.categories import Category
from manyi.common.listing import SEARCH_MAX, ListFilter, Search, Sort, WithYears
from manyi.supervision.filters import year_filter
from manyi.supervision.models import Sanction, SanctionKind, Violation, ViolationKind


class SanctionFilter(WithYears):
    q = Search(
        fields=("organisation__name", "person__full_name", "person__email", "reason"),
        label=_("单位、人员姓名或邮箱、事由"),
    )
    kind = django_filters.ChoiceFilter(
        choices=SanctionKind.choices, label=_("处理类型"), empty_label=_("全部")
    )
    year = year_filter("decided_on__year")
    sort = Sort(fields=(("decided_on", "decided"), ("kind", "kind")))

    class Meta:
        model = Sanction
        fields = ()

    def years(self):
        from manyi.supervision.sanctions.selectors import sanction_years

        return sanction_years()


class ViolationFilter(WithYears):
    q = django_filters.CharFilter(
        label=_("单位名称、统一社会信用代码或证书编号"), max_length=SEARCH_MAX, method="search"
    )
    kind = django_filters.ChoiceFilter(
        choices=ViolationKind.choices, label=_("违规类型"), empty_label=_("全部")
    )
    year = year_filter("found_on__year", label=_("发现年度"))
    # Given by a link (an organisation's violations, from a spot check or a case): kept in the
    # form as it is, never offered as a select of every organisation.
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(), widget=forms.HiddenInput
    )
    sort = Sort(
        fields=(("found_on", "found"), ("organisation__name", "organisation"), ("kind", "kind"))
    )

    class Meta:
        model = Violation
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from manyi.supervision.sanctions.selectors import VIOLATORS

        self.form.fields["organisation"].queryset = Organisation.objects.filter(kind__in=VIOLATORS)

    def years(self):
        from manyi.supervision.sanctions.selectors import violation_years

        return violation_years()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(organisation__uscc=normalise_uscc(value))
            | Q(title__number__icontains=value)
        )

    def chosen_organisation(self) -> Organisation | None:
        self.qs  # noqa: B018 - validates the form, so cleaned_data is there
        return self.form.cleaned_data.get("organisation")


class ReassignFilter(ListFilter):
    q = Search(
        fields=("organisation__name", "number", "agency__name"),
        label=_("申报单位、申报编号或原推荐单位"),
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("申报类别"), empty_label=_("全部")
    )
    sort = Sort(
        fields=(
            ("organisation__name", "organisation"),
            ("number", "number"),
            ("category", "category"),
            ("agency__name", "agency"),
            ("submitted_at", "submitted"),
        )
    )

    class Meta:
        model = Application
        fields = ()
