"""The filters of the spot-check list (common.listing)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import Search, Sort, WithYears
from manyi.supervision.filters import year_filter
from manyi.supervision.models import Population, SpotCheck, SpotCheckStatus


class SpotCheckFilter(WithYears):
    q = Search(fields=("name",), label=_("抽查名称"))
    status = django_filters.ChoiceFilter(
        choices=SpotCheckStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    population = django_filters.ChoiceFilter(
        choices=Population.choices, label=_("抽查对象"), empty_label=_("全部")
    )
    year = year_filter()
    sort = Sort(
        fields=(
            ("name", "name"),
            ("population", "population"),
            ("year", "year"),
            ("n_items", "items"),
            ("n_pending", "pending"),
            ("n_rectify", "rectify"),
            ("n_fail", "fail"),
            ("status", "status"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = SpotCheck
        fields = ()

    def years(self):
        from manyi.supervision.spotchecks.selectors import year_options

        return year_options()
