"""The filters of the public register of titles (common.listing). Public: only what the
register's rows already show (year, category, status, name, subject, number)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.listing import ListFilter, Search, Sort
from manyi.titles.certificates.selectors import register_years
from manyi.titles.models import Title, TitleStatus

ALL = _("全部")


class RegisterFilter(ListFilter):
    year = django_filters.ChoiceFilter(choices=(), label=_("年度"), empty_label=ALL)
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("称号类别"), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        choices=TitleStatus.choices, label=_("状态"), empty_label=ALL
    )
    q = Search(
        fields=("organisation__name", "subject", "number"), label=_("单位名称、称号对象或证书编号")
    )
    sort = Sort(
        fields=(
            ("number", "number"),
            ("year", "year"),
            ("category", "category"),
            ("organisation__name", "organisation"),
            ("valid_until", "valid_until"),
        )
    )

    class Meta:
        model = Title
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The years that have titles (one query): a year with none would only empty the list.
        self.form.fields["year"].choices = [("", ALL)] + [(y, y) for y in register_years()]
