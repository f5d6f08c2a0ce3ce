"""The campaign panels of the dashboard (collected by `manyi.portal.dashboard`).

The dict shape is the one `common/dashboard.html` renders: title, count, items, url,
link_text, empty.
"""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.campaigns import selectors
from manyi.campaigns.access import can_manage_campaigns
from manyi.common.panels import panel
from manyi.common.punctuation import bracketed, join_words, labelled
from manyi.common.templatetags.manyi import cn_date, cn_datetime

PANEL_ORDER = 10


def panels(user) -> list[dict]:
    panels: list[dict] = []
    current = selectors.current_campaign_state()
    if current is None:
        if can_manage_campaigns(user):
            panels.append(
                panel(
                    _("本年度申报活动"),
                    url=reverse("campaigns:list"),
                    link_text=_("新建或发布申报活动"),
                    empty=_("目前没有已发布的申报活动"),
                )
            )
        return panels
    campaign = current.campaign
    url = reverse("campaigns:detail", args=[campaign.year])
    # First the sentence that says whether it is open, closed or still to open.
    items = [current.headline()]
    if campaign.theme:
        items.append(_("年度推进主题：%(theme)s") % {"theme": campaign.theme})
    items.append(_("截止时间：%(date)s") % {"date": cn_datetime(campaign.closes_at)})
    open_categories = selectors.campaign_categories(campaign, open_only=True)
    items.append(
        _("开放类别：%(names)s")
        % {"names": join_words(c.get_category_display() for c in open_categories)}
    )
    if current.upcoming is not None:
        items.append(
            _("下一次申报活动（%(year)s年度）将于%(date)s开始受理")
            % {"year": current.upcoming.year, "date": cn_datetime(current.upcoming.opens_at)}
        )
    panels.append(panel(campaign.title, items=items, url=url, link_text=_("申报须知")))
    if has_role(user, Role.AGENCY_STAFF):
        quotas = selectors.quotas_for_agency(user, campaign)
        panels.append(
            panel(
                _("本年度推荐名额"),
                count=quotas.aggregate(total=Sum("quota"))["total"] or 0,
                items=[labelled(q.get_category_display(), q.quota) for q in quotas],
                url=url,
                link_text=_("查看"),
                empty=_("尚未分配推荐名额"),
            )
        )
    if has_role(user, Role.ENTERPRISE_USER):
        items = [
            _("%(name)s 在禁止申报期内，自%(date)s起方可再次申报")
            % {"name": org.name, "date": cn_date(ban.ends_on)}
            for org, ban in selectors.my_bans(user)
        ]
        items += [
            _("已为 %(name)s 单独开放“%(category)s”至 %(until)s")
            % {
                "name": r.organisation.name,
                "category": r.get_category_display(),
                "until": cn_datetime(r.until),
            }
            for r in selectors.my_reopenings(user, campaign)
        ]
        if items:
            panels.append(panel(_("申报提醒"), items=items, url=url, link_text=_("查看")))
    if can_manage_campaigns(user):
        bans = selectors.bans(user, in_force_only=True)
        panels.append(
            panel(
                _("生效中的禁止申报记录"),
                count=bans.count(),
                items=[f"{b.organisation_name}{bracketed(b.uscc)}" for b in bans[:5]],
                url=reverse("campaigns:ban_list") + "?state=in_force",
                link_text=_("禁止申报名单"),
                empty=_("没有生效中的禁止申报记录"),
            )
        )
    return panels
