"""The filters of the holder-survey list (common.listing)."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.listing import ListFilter, Search, Sort
from manyi.fieldwork.models import SurveyStatus
from manyi.supervision.models import HolderSurvey

# Waiting for the survey or its assessment, or judged against the line.
OUTCOMES = (
    ("pending", _("待判定")),
    ("below", _("低于严重偏低线")),
    ("not_below", _("未低于严重偏低线")),
)


class HolderSurveyFilter(ListFilter):
    q = Search(fields=("title__organisation__name", "title__number"), label=_("单位名称或证书编号"))
    status = django_filters.ChoiceFilter(
        field_name="survey__status",
        choices=SurveyStatus.choices,
        label=_("调查状态"),
        empty_label=_("全部"),
    )
    outcome = django_filters.ChoiceFilter(
        choices=OUTCOMES, label=_("判定结果"), empty_label=_("全部"), method="with_outcome"
    )
    category = django_filters.ChoiceFilter(
        field_name="title__category",
        choices=Category.choices,
        label=_("称号类别"),
        empty_label=_("全部"),
    )
    sort = Sort(
        fields=(
            ("title__organisation__name", "organisation"),
            ("title__number", "number"),
            ("survey__firm__name", "firm"),
            ("survey__field_closes", "closes"),
            ("survey__status", "status"),
            ("index", "index"),
            ("launched_at", "launched"),
        )
    )

    class Meta:
        model = HolderSurvey
        fields = ()

    def with_outcome(self, queryset, name, value):
        if value == "pending":
            return queryset.filter(assessed_at__isnull=True)
        below = Q(index__lt=F("severely_low"))
        return queryset.filter(assessed_at__isnull=False).filter(
            below if value == "below" else ~below
        )
