"""The filters of the application lists (common.listing): what staff, agencies and applicants
narrow a campaign's thousands of applications by."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import has_role
from manyi.accounts.models import Organisation
from manyi.accounts.roles import PROGRAMME_STAFF, District, OrgKind
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.campaigns.categories import Category
from manyi.campaigns.models import Campaign
from manyi.common.listing import DateRange, ListFilter, Search, Sort, YearChoice


class ApplicationFilter(ListFilter):
    q = Search(
        fields=("organisation__name", "number", "organisation__uscc"), label=_("企业名称或申报编号")
    )
    campaign = YearChoice(
        queryset=Campaign.objects.order_by("-year"), label=_("年度"), empty_label=_("全部")
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("申报类别"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=_("状态"), empty_label=_("全部")
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind=OrgKind.AGENCY).order_by("name"),
        label=_("推荐单位"),
        empty_label=_("全部"),
    )
    district = django_filters.ChoiceFilter(
        field_name="organisation__district",
        choices=District.choices,
        label=_("所在区"),
        empty_label=_("全部"),
    )
    submitted = DateRange(field_name="submitted_at", label=_("提交日期"))
    sort = Sort(
        fields=(
            ("number", "number"),
            ("campaign__year", "year"),
            ("category", "category"),
            ("organisation__name", "organisation"),
            ("agency__name", "agency"),
            ("status", "status"),
            ("submitted_at", "submitted"),
            ("updated_at", "updated"),
        )
    )

    class Meta:
        model = Application
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the programme's staff look across agencies; an agency or an applicant sees its
        # own, so the choice would only ever narrow to one.
        if not has_role(self.request.user, *PROGRAMME_STAFF):
            for name in ("agency", "district"):
                self.filters.pop(name)
                self.form.fields.pop(name, None)
