"""The demo's plan and public site: this year's published plan with its theme and activities
(some held with their outcome and link, one cancelled), last year's plan, published articles
(one good practice of the demo enterprise in English too, with an image) and a draft.
Loading twice changes nothing."""

import pytest
from django.utils import timezone

from manyi.accounts import demo as accounts_demo
from manyi.common.demo_report import DemoReport
from manyi.common.models import ActivityLog
from manyi.programme import demo
from manyi.programme.models import (
    ActivityStatus,
    AnnualPlan,
    Article,
    ArticleImage,
    ArticleKind,
    ArticleStatus,
    PlannedActivity,
    PlanStatus,
)

pytestmark = pytest.mark.django_db


def test_the_demo_plans_the_year_and_fills_the_public_site(client):
    accounts_demo.load_people()
    report = DemoReport()

    demo.load_demo(report)
    counts = (
        AnnualPlan.objects.count(),
        PlannedActivity.objects.count(),
        Article.objects.count(),
        ArticleImage.objects.count(),
        ActivityLog.objects.count(),
    )
    demo.load_demo(DemoReport())

    year = timezone.localdate().year
    assert counts == (
        AnnualPlan.objects.count(),
        PlannedActivity.objects.count(),
        Article.objects.count(),
        ArticleImage.objects.count(),
        ActivityLog.objects.count(),
    )
    plan = AnnualPlan.objects.get(year=year)
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.theme == "以用户为中心，提升质量满意"
    assert plan.theme_en
    assert 8 <= plan.activities.count() <= 10
    assert len(set(plan.activities.values_list("kind", flat=True))) >= 6
    assert plan.activities.filter(status=ActivityStatus.CANCELLED).count() == 1
    held = plan.activities.filter(status=ActivityStatus.HELD)
    assert all(a.outcome for a in held)
    assert AnnualPlan.objects.get(year=year - 1).status == PlanStatus.PUBLISHED

    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    assert 4 <= published.count() <= 6
    assert Article.objects.filter(status=ArticleStatus.DRAFT).count() == 1
    assert {a.kind for a in published} == set(ArticleKind.values)
    practice = published.get(kind=ArticleKind.PRACTICE)
    assert practice.organisation.name == "广州珠江家电制造有限公司"
    assert practice.title_en
    assert practice.body_en
    assert practice.images.count() == 1
    assert f"/news/images/{practice.images.get().pk}/" in practice.body
    assert all(a.published_at <= timezone.now() for a in published)
    # The benchmark visit links to what happened: the practice article.
    visit = plan.activities.get(kind="benchmark")
    if visit.status == ActivityStatus.HELD:
        assert visit.outcome_url == f"/news/{practice.pk}/"

    html = client.get("/plan/").content.decode()
    assert "以用户为中心，提升质量满意" in html
    assert any("/plan/" in line for line in report.lines)
    image = client.get(f"/news/images/{practice.images.get().pk}/")
    assert image.status_code == 200
