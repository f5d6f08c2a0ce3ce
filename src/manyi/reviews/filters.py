"""The filters of the review hub (common.listing): the application list's, with only the states
after the agency's recommendation, which are all the hub holds."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.applications.filters import ApplicationFilter
from manyi.applications.states import AFTER_RECOMMENDATION, Status


class ReviewFilter(ApplicationFilter):
    status = django_filters.ChoiceFilter(
        choices=[(s, Status(s).label) for s in AFTER_RECOMMENDATION],
        label=_("状态"),
        empty_label=_("全部"),
    )
