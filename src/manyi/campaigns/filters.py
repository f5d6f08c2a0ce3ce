"""The filters of the campaign app's lists (common.listing): the ban registry (Art. 26) and a
campaign's reopenings for one applicant."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.accounts.uscc import normalise_uscc
from manyi.campaigns.categories import Category
from manyi.campaigns.models import Ban, BanSource, Reopening
from manyi.common.listing import SEARCH_MAX, ListFilter, Search, Sort

ALL = _("全部")


class BanSearch(Search):
    """The name as written, the USCC however it was typed (spaces, lower case)."""

    def filter(self, qs, value):
        value = (value or "").strip()[:SEARCH_MAX]
        if not value:
            return qs
        return qs.filter(
            Q(organisation_name__icontains=value) | Q(uscc__icontains=normalise_uscc(value))
        )


class BanFilter(ListFilter):
    q = BanSearch(fields=(), label=_("单位名称或统一社会信用代码"))
    state = django_filters.ChoiceFilter(
        choices=(
            ("in_force", _("生效中")),
            ("lifted", _("已解除")),
            ("ended", _("已期满或未生效")),
        ),
        label=_("状态"),
        empty_label=ALL,
        method="filter_state",
    )
    source = django_filters.ChoiceFilter(
        choices=BanSource.choices, label=_("依据"), empty_label=ALL
    )
    sort = Sort(
        fields=(
            ("organisation_name", "name"),
            ("uscc", "uscc"),
            ("decided_on", "decided"),
            ("ends_on", "ends"),
        )
    )

    class Meta:
        model = Ban
        fields = ()

    def filter_state(self, queryset, name, value):
        if value == "lifted":
            return queryset.filter(lifted_at__isnull=False)
        in_force = queryset.in_force(timezone.localdate())
        if value == "in_force":
            return in_force
        return queryset.filter(lifted_at__isnull=True).exclude(pk__in=in_force.values("pk"))


class ReopeningFilter(ListFilter):
    q = Search(fields=("organisation__name", "organisation__uscc"), label=_("申报单位"))
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("申报类别"), empty_label=ALL
    )
    sort = Sort(
        fields=(
            ("organisation__name", "organisation"),
            ("category", "category"),
            ("until", "until"),
        )
    )

    class Meta:
        model = Reopening
        fields = ()
