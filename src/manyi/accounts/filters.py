"""The filters of the people and organisation lists (common.listing): organisations, open
invitations, the expert pool, and an agency's member enterprises."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import organisations_for
from manyi.accounts.models import AgencyMembership, Invitation, Organisation, User
from manyi.accounts.roles import District, OrgKind, Role
from manyi.common.listing import ListFilter, Search, Sort

ALL = _("全部")


class OrganisationFilter(ListFilter):
    """Programme staff only (the view's role), so every agency may be offered."""

    q = Search(fields=("name", "short_name", "uscc"), label=_("名称或统一社会信用代码"))
    kind = django_filters.ChoiceFilter(
        choices=OrgKind.choices, label=_("组织类型"), empty_label=ALL
    )
    district = django_filters.ChoiceFilter(
        choices=District.choices, label=_("所在区"), empty_label=ALL
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind=OrgKind.AGENCY).order_by("name"),
        label=_("所属推进机构"),
        empty_label=ALL,
        method="filter_agency",
    )
    active = django_filters.ChoiceFilter(
        choices=(("yes", _("有效")), ("no", _("已停用"))),
        label=_("状态"),
        empty_label=ALL,
        method="filter_active",
    )
    sort = Sort(
        fields=(
            ("name", "name"),
            ("kind", "kind"),
            ("uscc", "uscc"),
            ("district", "district"),
            ("member_count", "members"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = Organisation
        fields = ()

    def filter_agency(self, queryset, name, value):
        # A subquery, not a join: an enterprise stays one row whatever it belongs to.
        members = AgencyMembership.objects.filter(agency=value).values("enterprise_id")
        return queryset.filter(pk__in=members)

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")


class InvitationFilter(ListFilter):
    q = Search(fields=("email", "full_name", "organisation__name"), label=_("邮箱、姓名或组织名称"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("角色"), empty_label=ALL)
    state = django_filters.ChoiceFilter(
        choices=(("open", _("有效")), ("expired", _("已过期"))),
        label=_("有效期"),
        empty_label=ALL,
        method="filter_state",
    )
    sort = Sort(
        fields=(
            ("email", "email"),
            ("organisation__name", "organisation"),
            ("role", "role"),
            ("expires_at", "expires"),
        )
    )

    class Meta:
        model = Invitation
        fields = ()

    def filter_state(self, queryset, name, value):
        open_ = Q(expires_at__gt=timezone.now())
        return queryset.filter(open_) if value == "open" else queryset.exclude(open_)


class ExpertFilter(ListFilter):
    q = Search(
        fields=(
            "full_name",
            "email",
            "expert_profile__employer",
            "expert_profile__specialties",
            "expert_profile__industries",
        ),
        label=_("姓名、单位或专业"),
    )
    district = django_filters.ChoiceFilter(
        field_name="expert_profile__district",
        choices=District.choices,
        label=_("所在区"),
        empty_label=ALL,
    )
    availability = django_filters.ChoiceFilter(
        choices=(
            ("available", _("可以参加评审")),
            ("unavailable", _("暂不能参加")),
            ("out", _("不在库")),
            ("missing", _("未填写资料")),
        ),
        label=_("可否参加评审"),
        empty_label=ALL,
        method="filter_availability",
    )
    sort = Sort(
        fields=(
            ("full_name", "name"),
            ("expert_profile__employer", "employer"),
            ("expert_profile__district", "district"),
        )
    )

    class Meta:
        model = User
        fields = ()

    def filter_availability(self, queryset, name, value):
        if value == "missing":
            return queryset.filter(expert_profile__isnull=True)
        if value == "out":
            return queryset.filter(expert_profile__in_pool=False)
        return queryset.filter(
            expert_profile__in_pool=True, expert_profile__available=value == "available"
        )


class AgencyMemberFilter(ListFilter):
    """An agency's member enterprises (confirmed, and those asking to join). The agency
    choice is offered only to staff of several agencies, and names only theirs."""

    q = Search(
        fields=("enterprise__name", "enterprise__short_name", "enterprise__uscc"),
        label=_("企业名称或统一社会信用代码"),
    )
    state = django_filters.ChoiceFilter(
        choices=(("waiting", _("待确认")), ("confirmed", _("已确认"))),
        label=_("会员关系"),
        empty_label=ALL,
        method="filter_state",
    )
    district = django_filters.ChoiceFilter(
        field_name="enterprise__district",
        choices=District.choices,
        label=_("所在区"),
        empty_label=ALL,
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=lambda request: Organisation.objects.filter(
            pk__in=[o.pk for o in organisations_for(request.user, Role.AGENCY_STAFF)]
        ).order_by("name"),
        label=_("推进机构"),
        empty_label=ALL,
    )
    sort = Sort(
        fields=(
            ("enterprise__name", "name"),
            ("enterprise__uscc", "uscc"),
            ("enterprise__industry", "industry"),
            ("enterprise__created_at", "registered"),
            ("confirmed_at", "confirmed"),
        )
    )

    class Meta:
        model = AgencyMembership
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agency" in self.filters and len(self.agencies()) < 2:
            self.filters.pop("agency")
            self.form.fields.pop("agency", None)

    def agencies(self) -> list[Organisation]:
        return organisations_for(self.request.user, Role.AGENCY_STAFF)

    def filter_state(self, queryset, name, value):
        return queryset.filter(confirmed_at__isnull=value == "waiting")


class MemberFilter(AgencyMemberFilter):
    """The confirmed members on one agency's dashboard: the page names the agency itself."""

    state = None
    agency = None
