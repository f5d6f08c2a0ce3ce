"""Dashboard panels of supervision/spotchecks (collected by supervision/dashboard.py): the work
department's checks waiting for a draw or a result, and the rectifications by deadline."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.panels import panel
from manyi.common.punctuation import local_date
from manyi.supervision.access import is_workdept_staff
from manyi.supervision.models import CheckResult, SpotCheck, SpotCheckStatus
from manyi.supervision.spotchecks import selectors

# Lines named on a panel; the rest are on the list page.
SHOWN = 5


def panels(user) -> list[dict]:
    if not is_workdept_staff.test(user):
        return []
    return [_open_checks(), _rectifications()]


def _open_checks() -> dict:
    # Waiting: planned (to draw), or drawn with items whose result is still to record.
    waiting = (
        SpotCheck.objects.filter(status__in=(SpotCheckStatus.PLANNED, SpotCheckStatus.DRAWN))
        .annotate(pending=Count("items", filter=Q(items__result=CheckResult.PENDING)))
        .filter(Q(status=SpotCheckStatus.PLANNED) | Q(pending__gt=0))
        .only("name", "status")
        .order_by("created_at", "pk")
    )
    items = []
    for check in waiting[:SHOWN]:
        if check.status == SpotCheckStatus.PLANNED:
            items.append(_("%(name)s：待抽取") % {"name": check.name})
        else:
            items.append(
                _("%(name)s：%(n)d 个对象待记录结论") % {"name": check.name, "n": check.pending}
            )
    return panel(
        _("抽查待办"),
        count=waiting.count(),
        items=items,
        url=reverse("supervision:spotcheck_list"),
        link_text=_("全部抽查"),
        empty=_("没有待抽取或待记录的抽查"),
    )


def _rectifications() -> dict:
    today = timezone.localdate()
    count = selectors.rectifications_due().count()
    items = []
    for item in selectors.rectifications_due(limit=SHOWN):
        words = {"org": item.organisation.name, "date": local_date(item.rectify_by)}
        if item.rectify_by and item.rectify_by < today:
            items.append(_("%(org)s：已逾期（整改期限 %(date)s）") % words)
        else:
            items.append(_("%(org)s：整改期限 %(date)s") % words)
    return panel(
        _("限期整改"),
        count=count,
        items=items,
        url=reverse("supervision:spotcheck_list") + "?status=drawn",
        link_text=_("查看抽查"),
        empty=_("没有待整改的抽查对象"),
    )
