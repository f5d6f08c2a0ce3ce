"""Dashboard panel of supervision/validity (collected by supervision/dashboard.py): the
holder's titles ending within 90 days or ended, and where to apply again (复评)."""

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.panels import panel
from manyi.common.punctuation import local_date
from manyi.supervision.validity.selectors import reevaluation_campaign, titles_ending_for
from manyi.titles.models import TitleStatus

# Titles named on the panel; counted by one aggregate whatever their number.
SHOWN = 5


def panels(user) -> list[dict]:
    if not has_role(user, Role.ENTERPRISE_USER):
        return []
    today = timezone.localdate()
    ending = titles_ending_for(user, today=today)
    counts = ending.aggregate(
        total=Count("pk"),
        valid=Count("pk", filter=Q(status=TitleStatus.VALID, valid_until__gte=today)),
        latest_year=Max("year"),
    )
    if not counts["total"]:
        return []
    items = [_line(title, today) for title in ending[:SHOWN]]
    found = reevaluation_campaign(counts["latest_year"])
    if found:
        campaign, is_open = found
        items.append(
            _("%(year)s年度申报活动正在受理，可申请复评") % {"year": campaign.year}
            if is_open
            else _("%(year)s年度申报活动将于%(date)s开始受理，可申请复评")
            % {"year": campaign.year, "date": local_date(campaign.opens_at)}
        )
    return [
        panel(
            _("称号有效期"),
            count=counts["valid"],
            items=items,
            url=reverse("campaigns:list"),
            link_text=_("查看申报活动，申请复评"),
        )
    ]


def _line(title, today) -> str:
    name = f"{title.number} {title.subject}"
    if title.status == TitleStatus.EXPIRED or title.valid_until < today:
        return _("%(title)s：已过期（有效期至%(date)s），可在以后年度申报活动中申请复评") % {
            "title": name,
            "date": local_date(title.valid_until),
        }
    return _("%(title)s：有效期至%(date)s，还有 %(days)d 天") % {
        "title": name,
        "date": local_date(title.valid_until),
        "days": (title.valid_until - today).days,
    }
