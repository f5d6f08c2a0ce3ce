"""The filters of a campaign's similarity flags (common.listing)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.listing import ListFilter, Search, Sort
from manyi.reviews.models import FlagKind, FlagStatus, SimilarityFlag

ALL = _("全部")


class FlagFilter(ListFilter):
    # Either side of the pair: a flag names the application and the one it resembles.
    q = Search(
        fields=(
            "application__organisation__name",
            "application__number",
            "other__organisation__name",
            "other__number",
        ),
        label=_("企业名称或申报编号"),
    )
    status = django_filters.ChoiceFilter(
        choices=FlagStatus.choices, label=_("核实结果"), empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(choices=FlagKind.choices, label=_("类型"), empty_label=ALL)
    category = django_filters.ChoiceFilter(
        field_name="application__category",
        choices=Category.choices,
        label=_("申报类别"),
        empty_label=ALL,
    )
    sort = Sort(
        fields=(
            ("application__organisation__name", "organisation"),
            ("kind", "kind"),
            ("share", "share"),
            ("status", "status"),
        )
    )

    class Meta:
        model = SimilarityFlag
        fields = ()
