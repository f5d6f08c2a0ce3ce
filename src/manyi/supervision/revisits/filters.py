"""The filters of the staff's revisit list (common.listing)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.listing import Search, Sort, WithYears
from manyi.supervision.filters import year_filter
from manyi.supervision.models import Revisit, RevisitStatus


class RevisitFilter(WithYears):
    q = Search(
        fields=("title__organisation__name", "title__subject", "title__number"),
        label=_("单位名称或证书编号"),
    )
    status = django_filters.ChoiceFilter(
        choices=RevisitStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    year = year_filter("visit_on__year", label=_("回访年度"))
    category = django_filters.ChoiceFilter(
        field_name="title__category",
        choices=Category.choices,
        label=_("称号类别"),
        empty_label=_("全部"),
    )
    sort = Sort(
        fields=(
            ("visit_on", "visit_on"),
            ("title__organisation__name", "organisation"),
            ("title__number", "number"),
            ("title__category", "category"),
            ("status", "status"),
        )
    )

    class Meta:
        model = Revisit
        fields = ()

    def years(self):
        return sorted({d.year for d in Revisit.objects.dates("visit_on", "year")}, reverse=True)
