"""What the supervision lists share (common.listing): the year filter (its choices come from
``common.listing.WithYears``), and the title picker of the holder-survey launch and the revisit plan."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.campaigns.categories import Category
from manyi.common.listing import Search, Sort, WithYears
from manyi.titles.models import Title

YEAR = _("年度")


def year_filter(field_name: str = "year", label=YEAR) -> django_filters.ChoiceFilter:
    """A year among those the list's ``years()`` gives (a number that is not one is ignored,
    never a date out of range); ``field_name`` may be a date's ``__year``."""
    return django_filters.ChoiceFilter(field_name=field_name, label=label, empty_label=_("全部"))


class TitlePickFilter(WithYears):
    """Titles to tick: by year and category, or the holder, the subject or the number."""

    q = Search(
        fields=("organisation__name", "subject", "number"), label=_("单位名称、称号对象或证书编号")
    )
    year = year_filter(label=_("称号年度"))
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("称号类别"), empty_label=_("全部")
    )
    sort = Sort(
        fields=(
            ("organisation__name", "organisation"),
            ("number", "number"),
            ("category", "category"),
            ("year", "year"),
            ("valid_until", "valid_until"),
        )
    )

    class Meta:
        model = Title
        fields = ()

    def years(self):
        from manyi.supervision.selectors import title_years

        return title_years()
