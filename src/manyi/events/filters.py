"""The filters of the events' lists (common.listing): the public list (only what its rows
already show), the organisers' events and an event's registrations at the door."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import DateRange, ListFilter, Search, Sort
from manyi.events.access import organising_organisations
from manyi.events.models import Event, EventKind, EventStatus, Registration, RegistrationStatus

CHECKED = (("yes", _("已签到")), ("no", _("未签到")))


def _kind():
    return django_filters.ChoiceFilter(
        choices=EventKind.choices, label=_("活动类型"), empty_label=_("全部")
    )


def _own_organisers(request):
    from manyi.accounts.models import Organisation

    ids = [o.pk for o in organising_organisations(request.user)]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


class PublicEventFilter(ListFilter):
    q = Search(
        fields=("title", "title_en", "place", "organiser__name", "host__name"),
        label=_("名称、地点或单位"),
    )
    kind = _kind()

    class Meta:
        model = Event
        fields = ()


class ManageEventFilter(ListFilter):
    q = Search(
        fields=("title", "title_en", "place", "organiser__name", "host__name"),
        label=_("名称、地点或单位"),
    )
    kind = _kind()
    status = django_filters.ChoiceFilter(
        choices=EventStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    organiser = django_filters.ModelChoiceFilter(
        queryset=_own_organisers, label=_("主办单位"), empty_label=_("全部")
    )
    starts = DateRange(field_name="starts_at", label=_("开始日期"))
    sort = Sort(
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("starts_at", "starts"),
            ("status", "status"),
            ("confirmed_count", "confirmed"),
            ("waitlisted_count", "waitlisted"),
            ("checked_in_count", "checked_in"),
        )
    )

    class Meta:
        model = Event
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Most organisers organise for one organisation: a choice of one is no choice.
        if len(organising_organisations(self.request.user)) <= 1:
            self.filters.pop("organiser")
            self.form.fields.pop("organiser", None)


class RegistrationFilter(ListFilter):
    q = Search(
        fields=("name", "organisation_name", "email", "mobile"),
        label=_("姓名、单位、邮箱或手机"),
    )
    status = django_filters.ChoiceFilter(
        choices=RegistrationStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    checked = django_filters.ChoiceFilter(
        choices=CHECKED, label=_("签到"), empty_label=_("全部"), method="by_check_in"
    )
    sort = Sort(
        fields=(
            ("name", "name"),
            ("organisation_name", "organisation"),
            ("position", "position"),
            ("status", "status"),
            ("created_at", "registered"),
            ("checked_in_at", "checked_in"),
        )
    )

    class Meta:
        model = Registration
        fields = ()

    def by_check_in(self, queryset, name, value):
        return queryset.filter(checked_in_at__isnull=value == "no")
