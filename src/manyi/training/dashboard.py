"""Dashboard panels about training: classes an enterprise may enrol in, classes whose
organiser still has attendance or scores to record."""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.panels import panel
from manyi.common.punctuation import local_date
from manyi.training import access, selectors

PANEL_ORDER = 60


def panels(user) -> list[dict]:
    found = []
    if access.is_enterprise(user):
        classes = (
            selectors.enrollable_for(user).select_related("organiser").order_by("starts_at", "pk")
        )
        found.append(
            panel(
                _("可报名的培训班"),
                count=classes.count(),
                items=[f"{local_date(c.starts_at)} {c.title}" for c in classes[:5]],
                url=reverse("training:index") + "?scope=enrollable",
                link_text=_("培训"),
                empty=_("目前没有可报名的培训班"),
            )
        )
    if access.schedules_anything(user):
        waiting = selectors.awaiting_results(user).order_by("starts_at", "pk")
        count = waiting.count()
        # Agencies run classes routinely; the offices and enterprises only now and then.
        if count or has_role(user, Role.AGENCY_STAFF):
            found.append(
                panel(
                    _("待登记成绩的培训班"),
                    count=count,
                    items=[f"{local_date(c.starts_at)} {c.title}" for c in waiting[:5]],
                    url=reverse("training:index"),
                    link_text=_("培训"),
                    empty=_("没有待登记出勤和成绩的培训班"),
                )
            )
    return found
