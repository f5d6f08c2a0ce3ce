"""The demo's annual plans and public site: this year's published plan with its theme and ten
activities (those already over recorded as held, one cancelled), last year's plan, five
published articles (news, a good practice of the demo enterprise with an English version and
an image, a notice) and a draft.

Built through the services staff use (create, add, publish, record, write, upload), so the
activity log reads as it would. Written directly, and only here: the dates of publication and
writing (a demo made in a minute would have everything published today). Idempotent: a plan
or an article that already exists is left as it is.
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from manyi.accounts.models import Organisation, User
from manyi.accounts.roles import OrgKind
from manyi.programme.demo import content
from manyi.programme.models import ActivityStatus, AnnualPlan, Article, ArticleStatus
from manyi.programme.news import services as news
from manyi.programme.news import uploads
from manyi.programme.plans import activities
from manyi.programme.plans import services as plans

DEMO_ORDER = 80

KEEPER = "admin@demo.manyi.cn"
WRITER = "staff@demo.manyi.cn"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _on(year: int, month_day: tuple[int, int]) -> dt.date:
    return dt.date(year, *month_day)


def _responsible(name: str) -> dict:
    found = Organisation.objects.filter(name=name).exclude(kind=OrgKind.ENTERPRISE).first()
    if found is None:
        return {"responsible": name}
    return {"responsible_organisation": found}


def _plan(by, year: int, theme: str, summary: str, rows, *, theme_en="", summary_en=""):
    """The year's plan with its activities, published in February of that year."""
    plan = plans.create_plan(
        by=by, year=year, theme=theme, summary=summary, theme_en=theme_en, summary_en=summary_en
    )
    for kind, title, title_en, starts, ends, responsible, _outcome in rows:
        activities.add_activity(
            plan=plan,
            by=by,
            kind=kind,
            title=title,
            title_en=title_en,
            starts_on=_on(year, starts),
            ends_on=_on(year, ends),
            **_responsible(responsible),
        )
    plans.publish_plan(plan=plan, by=by)
    AnnualPlan.objects.filter(pk=plan.pk).update(published_at=_at(dt.date(year, 2, 18)))
    return plan


def _record_progress(by, plan, rows, *, links: dict[str, str]) -> None:
    """Activities already over are held (with their outcome and link); the cancelled one is
    cancelled. Those already recorded are left as they are."""
    today = timezone.localdate()
    existing = {a.title: a for a in plan.activities.all()}
    for _kind, title, _en, _starts, ends, _resp, outcome in rows:
        activity = existing.get(title)
        if activity is None or activity.status != ActivityStatus.PLANNED:
            continue
        if title in content.CANCELLED:
            activities.cancel_activity(activity=activity, by=by, reason=content.CANCELLED[title])
        elif outcome and _on(plan.year, ends) < today:
            activities.record_held(
                activity=activity,
                by=by,
                held_on=_on(plan.year, ends),
                outcome=outcome,
                outcome_url=links.get(title, ""),
            )


def _demo_png() -> SimpleUploadedFile:
    """A small diagram of the after-sales loop, drawn here (the demo ships no image files)."""
    image = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate(("#9b1b1f", "#c0392b", "#e67e22", "#27ae60")):
        x = 20 + i * 115
        draw.rectangle((x, 50, x + 90, 110), outline=colour, width=4)
        if i < 3:
            draw.line((x + 92, 80, x + 113, 80), fill="#555555", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(content.PRACTICE_IMAGE_NAME, buffer.getvalue(), "image/png")


def _figure(url: str, caption: str) -> str:
    return (
        f'<figure><img src="{url}" alt="{content.PRACTICE_IMAGE_NAME}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _articles(by, year: int) -> dict[str, Article]:
    today = timezone.localdate()
    existing = {a.title: a for a in Article.objects.filter(author=by)}
    planned = {a.title: a for a in AnnualPlan.objects.get(year=year).activities.all()}
    enterprise = Organisation.objects.filter(
        kind=OrgKind.ENTERPRISE, name=content.PRACTICE_ENTERPRISE
    ).first()
    out = {}
    for key, kind, title, summary, body, published, activity, english in content.ARTICLES:
        if title in existing:
            out[key] = existing[title]
            continue
        if key == "practice" and enterprise is None:
            continue
        url = ""
        if "{image}" in body:
            upload = uploads.upload_image(by=by, upload=_demo_png())
            url = reverse("programme:article_image", kwargs={"pk": upload.pk})
        title_en, summary_en, body_en = english or ("", "", "")
        article = news.create_article(
            by=by,
            kind=kind,
            title=title,
            summary=summary,
            body=body.replace("{image}", _figure(url, "售后回访闭环") if url else ""),
            title_en=title_en,
            summary_en=summary_en,
            body_en=body_en.replace("{image}", _figure(url, "The after-sales loop") if url else ""),
            organisation=enterprise if key == "practice" else None,
            planned_activity=planned.get(activity),
        )
        if published is not None:
            news.publish_article(article=article, by=by)
            day = min(_on(year, published), today)
            Article.objects.filter(pk=article.pk).update(
                published_at=_at(day), created_at=_at(day - dt.timedelta(days=1), hour=16)
            )
        out[key] = article
    return out


def load_plans_and_news() -> dict:
    keeper = User.objects.get(email=KEEPER)
    writer = User.objects.get(email=WRITER)
    year = timezone.localdate().year
    if not AnnualPlan.objects.filter(year=year - 1).exists():
        last = _plan(
            keeper, year - 1, content.LAST_THEME, content.LAST_SUMMARY, content.LAST_ACTIVITIES
        )
        _record_progress(keeper, last, content.LAST_ACTIVITIES, links={})
    current = AnnualPlan.objects.filter(year=year).first()
    if current is None:
        current = _plan(
            keeper,
            year,
            content.THEME,
            content.SUMMARY,
            content.ACTIVITIES,
            theme_en=content.THEME_EN,
            summary_en=content.SUMMARY_EN,
        )
    articles = _articles(writer, year)
    links = {
        title: reverse("programme:article_detail", kwargs={"pk": articles[key].pk})
        for title, key in content.OUTCOME_ARTICLES.items()
        if key in articles and articles[key].status == ArticleStatus.PUBLISHED
    }
    _record_progress(keeper, current, content.ACTIVITIES, links=links)
    return {"plan": current, "articles": articles}


def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo``: the plan and the public site."""
    loaded = load_plans_and_news()
    plan = loaded["plan"]
    report.lines.append(
        _("  年度工作计划：%(year)d 年度“%(theme)s”  /plan/")
        % {"year": plan.year, "theme": plan.theme}
    )
    report.lines.append(
        _("  新闻动态：/news/ · 先进经验与标杆：/practices/ · 订阅：/news/feed/rss/")
    )
