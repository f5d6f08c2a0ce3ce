"""The filters of the agencies' lists (common.listing): the staff's list of agencies and queue of
requests, the public directory and the agency's search for enterprises to invite."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.accounts.models import Organisation
from manyi.accounts.roles import AgencyScope, District
from manyi.agencies.models import AgencyRequest, RequestStatus
from manyi.agencies.standing import STANDING_FILTERS, Standing
from manyi.common.listing import DateRange, ListFilter, Search, Sort


def _scope():
    return django_filters.ChoiceFilter(
        field_name="agency_scope",
        choices=AgencyScope.choices,
        label=_("机构类别"),
        empty_label=_("全部"),
    )


def _district():
    return django_filters.ChoiceFilter(
        choices=District.choices, label=_("所在区"), empty_label=_("全部")
    )


class AgencyFilter(ListFilter):
    """Programme staff's list of agencies (every agency, so no choice leaks anything)."""

    q = Search(
        fields=("name", "short_name", "agency_scope_detail", "responsible_department"),
        label=_("名称、地区或行业、主管部门"),
    )
    standing = django_filters.ChoiceFilter(
        choices=Standing.choices, label=_("认可状态"), empty_label=_("全部"), method="by_standing"
    )
    scope = _scope()
    district = _district()
    sort = Sort(
        fields=(
            ("name", "name"),
            ("standing", "standing"),
            ("agency_scope", "scope"),
            ("agency_scope_detail", "detail"),
            ("member_count", "members"),
            ("pending_count", "pending"),
        )
    )

    class Meta:
        model = Organisation
        fields = ()

    def by_standing(self, queryset, name, value):
        return queryset.filter(STANDING_FILTERS[Standing(value)]) if value else queryset


class RequestFilter(ListFilter):
    q = Search(
        fields=("name", "agency_scope_detail", "responsible_department", "contact_name"),
        label=_("机构名称、地区或行业、联系人"),
    )
    status = django_filters.ChoiceFilter(
        choices=RequestStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    scope = _scope()
    submitted = DateRange(field_name="submitted_at", label=_("提交日期"))
    sort = Sort(
        fields=(
            ("submitted_at", "submitted"),
            ("name", "name"),
            ("agency_scope", "scope"),
            ("responsible_department", "department"),
            ("status", "status"),
        )
    )

    class Meta:
        model = AgencyRequest
        fields = ()


class DirectoryFilter(ListFilter):
    """The public directory: only what its rows already show (kind, district, name)."""

    q = Search(
        fields=("name", "agency_scope_detail", "responsible_department"),
        label=_("名称、地区或行业"),
    )
    scope = _scope()
    district = _district()
    sort = Sort(
        fields=(
            ("name", "name"),
            ("agency_scope", "scope"),
            ("agency_scope_detail", "detail"),
            ("responsible_department", "department"),
        )
    )

    class Meta:
        model = Organisation
        fields = ()


class InviteFilter(ListFilter):
    """The agency's search for registered enterprises to invite. The search itself is the
    selector's (`invitable_enterprises`): it refuses a search too short, so the page is never
    a directory of the city's enterprises; here it is only drawn in the filter bar."""

    q = django_filters.CharFilter(
        label=_("企业名称或统一社会信用代码"), max_length=100, method="read_by_selector"
    )
    district = _district()
    sort = Sort(fields=(("name", "name"), ("uscc", "uscc"), ("district", "district")))

    class Meta:
        model = Organisation
        fields = ()

    def read_by_selector(self, queryset, name, value):
        return queryset
