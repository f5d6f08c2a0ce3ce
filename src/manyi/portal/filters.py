"""The filters of the auditors' lists (common.listing): the activity log and the outbox. The
activity log's export reads the same filters, so what is downloaded is what was on screen."""

import django_filters
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import DateRange, ListFilter, Search, Sort
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.common.punctuation import bracketed


def object_types() -> list[tuple[str, str]]:
    """Every model of the project as (``app.model``, its name): the log's object types without
    reading the log (a distinct over a million entries would cost more than the page)."""
    models = [
        m
        for m in apps.get_models()
        # The history tables' rows are logged under the model they keep the history of.
        if m.__module__.startswith("manyi.") and not m.__name__.startswith("Historical")
    ]
    return sorted(
        (
            (m._meta.label_lower, f"{m._meta.verbose_name}{bracketed(m._meta.label_lower)}")
            for m in models
        ),
        key=lambda choice: choice[1],
    )


class ActivityFilter(ListFilter):
    q = Search(fields=("object_repr", "note", "object_id"), label=_("对象或说明"))
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="icontains", label=_("操作人"), max_length=100
    )
    action = django_filters.CharFilter(lookup_expr="icontains", label=_("动作"), max_length=80)
    organisation = django_filters.CharFilter(
        field_name="organisation__name",
        lookup_expr="icontains",
        label=_("相关组织"),
        max_length=100,
    )
    object_type = django_filters.ChoiceFilter(
        choices=object_types, label=_("对象类型"), empty_label=_("全部")
    )
    date = DateRange(field_name="at", label=_("日期"))
    sort = Sort(
        fields=(
            ("at", "at"),
            ("actor_label", "actor"),
            ("action", "action"),
            ("organisation__name", "organisation"),
        )
    )

    class Meta:
        model = ActivityLog
        fields = ()

    def applied(self) -> dict:
        """The filters that narrowed the list, for the export's own log entry."""
        self.qs  # noqa: B018 - validates the form, so cleaned_data is there
        applied = {}
        for name, value in self.form.cleaned_data.items():
            if isinstance(value, slice):  # a date range: its two days, either may be open
                value = "…".join(f"{d:%Y-%m-%d}" if d else "" for d in (value.start, value.stop))
            if value and name != "sort":
                applied[name] = value
        return applied


class OutboxFilter(ListFilter):
    q = Search(fields=("to", "subject"), label=_("收件人或主题"))
    status = django_filters.ChoiceFilter(
        choices=OutboxMessage.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    created = DateRange(field_name="created_at", label=_("创建日期"))
    sort = Sort(
        fields=(
            ("created_at", "created"),
            ("to", "to"),
            ("subject", "subject"),
            ("status", "status"),
            ("attempts", "attempts"),
        )
    )

    class Meta:
        model = OutboxMessage
        fields = ()
