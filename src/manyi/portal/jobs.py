"""The 后台任务 page's rows and filters: every background job, for the auditors.

A module of its own (with ``job_views``), so the page stays next to nothing else it shares.
"""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.listing import ListFilter, Sort
from manyi.common.models import BackgroundJob, JobKind, JobState

# The largest object id the column holds has 19 digits; longer is not an id.
OBJECT_ID_DIGITS = 18


def background_jobs(user) -> QuerySet[BackgroundJob]:
    """Every job for auditors (like the activity log and the outbox); nothing for anyone else."""
    if not has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.defer("params")


class ObjectId(django_filters.CharFilter):
    """The object's number, exactly; anything that is not a plain number is ignored."""

    def filter(self, qs, value):
        value = (value or "").strip()
        if not (value.isascii() and value.isdigit() and len(value) <= OBJECT_ID_DIGITS):
            return qs
        return qs.filter(object_id=int(value))


class JobFilter(ListFilter):
    object_id = ObjectId(label=_("对象编号"), max_length=40)
    state = django_filters.ChoiceFilter(
        choices=JobState.choices, label=_("状态"), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(
        choices=JobKind.choices, label=_("类型"), empty_label=_("全部")
    )
    sort = Sort(
        fields=(
            ("queued_at", "queued"),
            ("heartbeat_at", "heartbeat"),
            ("attempts", "attempts"),
        )
    )

    class Meta:
        model = BackgroundJob
        fields = ()
