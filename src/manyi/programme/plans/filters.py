"""The filters of the plan keepers' lists (common.listing): the plans of every year and one
plan's activities."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import ListFilter, Search, Sort
from manyi.programme.models import (
    ActivityKind,
    ActivityStatus,
    AnnualPlan,
    PlannedActivity,
    PlanStatus,
)


class PlanFilter(ListFilter):
    q = Search(fields=("theme", "theme_en", "year"), label=_("年度或主题"))
    status = django_filters.ChoiceFilter(
        choices=PlanStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    sort = Sort(
        fields=(
            ("year", "year"),
            ("theme", "theme"),
            ("activity_count", "activities"),
            ("held_count", "held"),
            ("status", "status"),
        )
    )

    class Meta:
        model = AnnualPlan
        fields = ()


class ActivityFilter(ListFilter):
    q = Search(
        fields=("title", "title_en", "responsible", "responsible_organisation__name"),
        label=_("活动或负责单位"),
    )
    kind = django_filters.ChoiceFilter(
        choices=ActivityKind.choices, label=_("类型"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=ActivityStatus.choices, label=_("进展"), empty_label=_("全部")
    )
    sort = Sort(
        fields=(
            ("starts_on", "starts"),
            ("title", "title"),
            ("kind", "kind"),
            ("responsible_organisation__name", "organisation"),
            ("status", "status"),
        )
    )

    class Meta:
        model = PlannedActivity
        fields = ()
