"""The filters of the staff's complaint list (common.listing)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import ListFilter, Search, Sort
from manyi.supervision.models import Complaint, ComplaintStatus


class ComplaintFilter(ListFilter):
    q = Search(
        fields=("about", "title__number", "organisation__name", "title__subject"),
        label=_("被投诉单位、证书编号"),
    )
    status = django_filters.ChoiceFilter(
        choices=ComplaintStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    major = django_filters.ChoiceFilter(
        choices=[("1", _("是")), ("0", _("否"))],
        label=_("重大投诉"),
        empty_label=_("全部"),
        method="by_major",
    )
    sort = Sort(
        fields=(
            ("received_at", "received"),
            ("organisation__name", "organisation"),
            ("investigator__full_name", "investigator"),
            ("status", "status"),
        )
    )

    class Meta:
        model = Complaint
        fields = ()

    def by_major(self, queryset, name, value):
        return queryset.filter(major=value == "1")
