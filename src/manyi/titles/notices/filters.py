"""The filters of the notices (public) and of the staff's objections (common.listing)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.listing import DateRange, ListFilter, Search, Sort
from manyi.titles.models import NoticeKind, Objection, ObjectionStatus, PublicNotice

ALL = _("全部")


def _notice_years() -> list[tuple[int, int]]:
    """The years that have a notice (one query): a year with none would only empty a list."""
    years = (
        PublicNotice.objects.order_by("-campaign__year")
        .values_list("campaign__year", flat=True)
        .distinct()
    )
    return [(y, y) for y in years]


class NoticeFilter(ListFilter):
    """Public: the year, the kind and the category each notice already shows."""

    year = django_filters.ChoiceFilter(
        field_name="campaign__year", choices=(), label=_("年度"), empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(choices=NoticeKind.choices, label=_("类型"), empty_label=ALL)
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("申报类别"), empty_label=ALL
    )

    class Meta:
        model = PublicNotice
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["year"].choices = [("", ALL), *_notice_years()]


class ObjectionFilter(ListFilter):
    """Staff see every objection, an expert those given to them; the choices name no one."""

    q = Search(
        fields=("application__organisation__name", "application__number", "notice__title"),
        label=_("异议对象或公示"),
    )
    year = django_filters.ChoiceFilter(
        field_name="notice__campaign__year", choices=(), label=_("年度"), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        choices=ObjectionStatus.choices, label=_("状态"), empty_label=ALL
    )
    received = DateRange(field_name="received_at", label=_("收到日期"))
    sort = Sort(
        fields=(
            ("received_at", "received"),
            ("application__organisation__name", "organisation"),
            ("status", "status"),
        )
    )

    class Meta:
        model = Objection
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["year"].choices = [("", ALL), *_notice_years()]
