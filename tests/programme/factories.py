"""Plans, articles and images for the programme's tests, made through the services."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from manyi.accounts.roles import Role
from manyi.programme.models import ActivityKind
from manyi.programme.news import services as news
from manyi.programme.news import uploads
from manyi.programme.plans import activities
from manyi.programme.plans import services as plans


def keeper(world):
    return world.users[Role.COMMITTEE_STAFF]


def writer(world):
    return world.users[Role.COMMITTEE_STAFF]


def make_plan(
    world, year=None, *, published=True, activities=1, theme="以用户为中心，推动质量提升", **extra
):
    year = year or timezone.localdate().year
    by = keeper(world)
    plan = plans.create_plan(by=by, year=year, theme=theme, summary="年度工作计划概要。", **extra)
    for i in range(activities):
        add_activity(world, plan, title=f"计划活动{i + 1}", month=1 + i % 12)
    if published:
        plans.publish_plan(plan=plan, by=by)
    return plan


def add_activity(
    world, plan, *, title="经验交流会", month=3, day=10, days=0, kind=ActivityKind.EXCHANGE, **extra
):
    start = dt.date(plan.year, month, day)
    return activities.add_activity(
        plan=plan,
        by=keeper(world),
        kind=kind,
        title=title,
        starts_on=start,
        ends_on=start + dt.timedelta(days=days),
        **{"responsible": "广州市质量协会", **extra},
    )


def make_article(
    world, *, title="新闻标题", body="<p>正文内容</p>", published=True, kind="news", **extra
):
    by = writer(world)
    if kind == "practice":
        extra.setdefault("organisation", world.enterprise)
    article = news.create_article(by=by, kind=kind, title=title, body=body, **extra)
    if published:
        news.publish_article(article=article, by=by)
    return article


def image_bytes(fmt: str = "PNG", size=(40, 30), frames: int = 1) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("RGB", size, (i * 40 % 255, 120, 200)) for i in range(frames)]
    if frames > 1:
        images[0].save(buffer, format=fmt, save_all=True, append_images=images[1:])
    else:
        images[0].save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def make_image(world, *, article=None, fmt="PNG", name="图.png"):
    return uploads.upload_image(
        by=writer(world), upload=upload(name, image_bytes(fmt)), article=article
    )
