"""The organisers' dashboard panel: their published events still to come, each with its
registrations against its places."""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.common.panels import panel
from manyi.common.punctuation import local_datetime
from manyi.events import selectors
from manyi.events.access import may_organise

PANEL_ORDER = 60
SHOWN = 5


def panels(user) -> list[dict]:
    if not may_organise.test(user):
        return []
    upcoming = selectors.upcoming_organised(user)
    items = []
    for event in upcoming[:SHOWN]:
        values = {
            "title": event.title,
            "when": local_datetime(event.starts_at),
            "confirmed": event.confirmed_count,
            "capacity": event.capacity,
            "waiting": event.waitlisted_count,
        }
        if event.waitlisted_count:
            line = _("%(title)s %(when)s（报名 %(confirmed)d/%(capacity)d，候补 %(waiting)d）")
        else:
            line = _("%(title)s %(when)s（报名 %(confirmed)d/%(capacity)d）")
        items.append(line % values)
    return [
        panel(
            _("即将举办的活动"),
            count=upcoming.count(),
            items=items,
            url=reverse("events:manage"),
            link_text=_("活动管理"),
            empty=_("没有即将举办的活动"),
        )
    ]
