"""The filters of an own survey's responses with a quality flag (common.listing): which flag,
whether the enterprise left the response out, and the order."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import ListFilter, Sort
from manyi.fieldwork.quality import FLAG_LABELS
from manyi.selfmeasure.models import OwnResponse

# The flags an own survey's responses carry on arrival (collection.py).
OWN_FLAGS = ("too_fast", "straightlining", "duplicate", "screening_failed")
JUDGED = (("no", _("已计入")), ("yes", _("已剔除")))


class FlaggedResponseFilter(ListFilter):
    flag = django_filters.ChoiceFilter(
        choices=[(flag, FLAG_LABELS[flag]) for flag in OWN_FLAGS],
        label=_("质量问题"),
        empty_label=_("全部"),
        method="by_flag",
    )
    excluded = django_filters.ChoiceFilter(
        choices=JUDGED, label=_("处理"), empty_label=_("全部"), method="by_judgement"
    )
    sort = Sort(fields=(("submitted_at", "submitted"), ("duration_seconds", "duration")))

    class Meta:
        model = OwnResponse
        fields = ()

    def by_flag(self, queryset, name, value):
        # The flags are a JSON list: its text holds the flag in quotes on SQLite and
        # PostgreSQL alike (JSON containment is PostgreSQL's only).
        return queryset.filter(flags__icontains=f'"{value}"')

    def by_judgement(self, queryset, name, value):
        return queryset.filter(excluded=value == "yes")
