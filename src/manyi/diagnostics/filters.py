"""The filters of the list of diagnoses (common.listing). The agency select offers only the
agencies of the diagnoses the user already reads, and only when there is a choice."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import DateRange, ListFilter, Search, Sort
from manyi.diagnostics import selectors
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus


class DiagnosisFilter(ListFilter):
    q = Search(fields=("enterprise__name", "enterprise__short_name"), label=_("企业名称"))
    status = django_filters.ChoiceFilter(
        choices=DiagnosisStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=lambda request: selectors.agencies_in_list(request.user),
        label=_("推进机构"),
        empty_label=_("全部"),
    )
    requested = DateRange(field_name="requested_at", label=_("申请日期"))
    sort = Sort(
        fields=(
            ("requested_at", "requested"),
            ("enterprise__name", "enterprise"),
            ("agency__name", "agency"),
            ("visit_starts_at", "visit"),
            ("status", "status"),
        )
    )

    class Meta:
        model = Diagnosis
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An enterprise with one agency, an agency's own staff: a choice of one is no choice.
        agencies = self.form.fields["agency"].queryset
        if agencies.count() <= 1:
            self.filters.pop("agency")
            self.form.fields.pop("agency")
