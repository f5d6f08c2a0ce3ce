"""The filters of the expert's own list of assignments (common.listing)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.campaigns.models import Campaign
from manyi.common.listing import ListFilter, Search, Sort, YearChoice
from manyi.reviews.models import Assignment, AssignmentStatus

ALL = _("全部")


class AssignmentFilter(ListFilter):
    q = Search(
        fields=("application__organisation__name", "application__number"),
        label=_("申报单位或申报编号"),
    )
    # The years are public (the campaigns are published); the list itself is the expert's own.
    campaign = YearChoice(
        field_name="application__campaign",
        queryset=Campaign.objects.order_by("-year"),
        label=_("年度"),
        empty_label=ALL,
    )
    category = django_filters.ChoiceFilter(
        field_name="application__category",
        choices=Category.choices,
        label=_("申报类别"),
        empty_label=ALL,
    )
    status = django_filters.ChoiceFilter(
        choices=AssignmentStatus.choices, label=_("状态"), empty_label=ALL
    )
    sort = Sort(
        fields=(
            ("application__organisation__name", "organisation"),
            ("application__category", "category"),
            ("application__campaign__year", "year"),
            ("created_at", "assigned"),
            ("status", "status"),
        )
    )

    class Meta:
        model = Assignment
        fields = ()
