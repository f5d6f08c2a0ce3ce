"""Dashboard panels of the annual plan and the public site (collected by ``portal.dashboard``).

The plan's keepers see whether this year's plan is published and which activities have ended
without their outcome recorded; the writers see the articles still in draft.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.panels import panel
from manyi.common.punctuation import bracketed
from manyi.programme.access import keeps_the_plan, writes_articles
from manyi.programme.models import ActivityStatus, AnnualPlan, Article, ArticleStatus, PlanStatus

PANEL_ORDER = 58
SHOWN = 5


def _plan_panel() -> dict:
    today = timezone.localdate()
    plan = AnnualPlan.objects.filter(year=today.year).first()
    if plan is None:
        return panel(
            _("%(year)d 年度工作计划") % {"year": today.year},
            items=[_("尚未编制")],
            url=reverse("programme:plan_create"),
            link_text=_("编制年度计划"),
        )
    ended = plan.activities.filter(status=ActivityStatus.PLANNED, ends_on__lt=today)
    count = ended.count()
    items = [f"{a.title}{bracketed(a.ends_on.isoformat())}" for a in ended[:SHOWN]]
    if plan.status == PlanStatus.DRAFT:
        items.insert(0, _("计划尚未发布"))
    return panel(
        _("%(year)d 年度工作计划：待登记举办情况") % {"year": plan.year},
        count=count,
        items=items,
        url=reverse("programme:plan_manage", kwargs={"pk": plan.pk}),
        link_text=_("管理年度计划"),
        empty=_("已结束的活动都已登记"),
    )


def _drafts_panel() -> dict:
    drafts = Article.objects.filter(status=ArticleStatus.DRAFT).order_by("-updated_at")
    count = drafts.count()
    return panel(
        _("文章草稿"),
        count=count,
        items=[a.title for a in drafts[:SHOWN]] if count else (),
        url=reverse("programme:article_manage_list") + "?status=draft",
        link_text=_("文章管理"),
        empty=_("没有待发布的草稿"),
    )


def panels(user) -> list[dict]:
    found = []
    if keeps_the_plan.test(user):
        found.append(_plan_panel())
    if writes_articles.test(user):
        found.append(_drafts_panel())
    return found
