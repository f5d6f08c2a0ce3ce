"""The writers' pages: writing through the form, the preview, publishing and withdrawing from
the article's page, the list of every state. Others are refused."""

import pytest
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.programme.models import Article, ArticleStatus
from tests.programme.factories import make_article, writer

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world, client):
    client.force_login(world.users[Role.WORKDEPT_STAFF])
    return client


def test_writing_an_article_through_the_form(world, staff):
    page = staff.get(reverse("programme:article_create")).content.decode()
    assert "data-rich-toolbar" in page
    assert "data-rich-text" in page
    assert "js/rich_text.js" in page

    response = staff.post(
        reverse("programme:article_create"),
        {
            "kind": "practice",
            "title": "标杆经验",
            "body": "<p>做法</p><script>alert(1)</script>",
            "organisation": world.enterprise.pk,
        },
    )

    article = Article.objects.get()
    assert response["Location"] == reverse("programme:article_manage", kwargs={"pk": article.pk})
    assert article.body == "<p>做法</p>"
    assert article.author == world.users[Role.WORKDEPT_STAFF]
    assert article.status == ArticleStatus.DRAFT


def test_a_bad_form_is_shown_again_with_the_reason(world, staff):
    response = staff.post(
        reverse("programme:article_create"),
        {"kind": "practice", "title": "无企业的标杆经验", "body": "<p>x</p>"},
    )
    assert response.status_code == 400
    assert "先进经验与标杆文章须注明相关企业" in response.content.decode()
    assert Article.objects.count() == 0


def test_the_preview_answers_the_sanitised_text_and_stores_nothing(world, staff):
    response = staff.post(
        reverse("programme:article_preview"),
        {"field": "body", "body": '<h3>标题</h3><p onclick="x()">段</p><script>alert(1)</script>'},
    )
    assert response.status_code == 200
    assert response.content.decode() == "<h3>标题</h3>\n<p>段</p>"
    assert Article.objects.count() == 0
    assert not ActivityLog.objects.exists()


def test_publishing_and_withdrawing_from_the_article_page(world, staff):
    article = make_article(world, published=False)
    url = reverse("programme:article_manage", kwargs={"pk": article.pk})
    page = staff.get(url).content.decode()
    assert 'data-action="publish"' in page
    assert 'data-action="withdraw"' not in page

    staff.post(reverse("programme:article_publish", kwargs={"pk": article.pk}))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    page = staff.get(url).content.decode()
    assert 'data-action="publish"' not in page
    assert 'data-action="withdraw"' in page

    staff.post(reverse("programme:article_withdraw", kwargs={"pk": article.pk}), {"reason": "过时"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN
    assert ActivityLog.objects.get(action="article.withdraw").note == "过时"


def test_a_refused_move_says_why(world, staff):
    article = make_article(world, published=False)
    response = staff.post(
        reverse("programme:article_withdraw", kwargs={"pk": article.pk}), follow=True
    )
    assert "该文章未在发布中" in response.content.decode()


def test_editing_keeps_the_fields_and_logs(world, staff):
    article = make_article(world, title="原标题")
    page = staff.get(reverse("programme:article_edit", kwargs={"pk": article.pk})).content.decode()
    assert "原标题" in page
    staff.post(
        reverse("programme:article_edit", kwargs={"pk": article.pk}),
        {"kind": "news", "title": "新标题", "body": "<p>正文内容</p>"},
    )
    article.refresh_from_db()
    assert article.title == "新标题"
    assert ActivityLog.objects.get(action="article.update").after == {"title": "新标题"}


def test_the_list_shows_every_state_and_filters_by_state(world, staff):
    make_article(world, title="草稿一", published=False)
    make_article(world, title="已发布一")
    html = staff.get(reverse("programme:article_manage_list")).content.decode()
    assert "草稿一" in html
    assert "已发布一" in html
    html = staff.get(reverse("programme:article_manage_list"), {"status": "draft"}).content.decode()
    assert "草稿一" in html
    assert "已发布一" not in html


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT])
def test_others_are_refused(world, client, role):
    article = make_article(world, published=False)
    client.force_login(world.users[role])
    for url in (
        reverse("programme:article_manage_list"),
        reverse("programme:article_create"),
        reverse("programme:article_manage", kwargs={"pk": article.pk}),
    ):
        assert client.get(url).status_code == 403
    client.post(reverse("programme:article_publish", kwargs={"pk": article.pk}))
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_the_public_page_offers_management_to_writers_only(world, client):
    article = make_article(world)
    url = reverse("programme:article_detail", kwargs={"pk": article.pk})
    assert "data-manage-link" not in client.get(url).content.decode()
    client.force_login(writer(world))
    assert "data-manage-link" in client.get(url).content.decode()


def test_the_image_library_lists_and_searches(world, staff):
    from tests.programme.factories import make_image

    make_image(world, name="回访流程.png")
    make_image(world, name="大会现场.png")
    html = staff.get(reverse("programme:image_library"), {"q": "回访"}).content.decode()
    assert "回访流程.png" in html
    assert "大会现场.png" not in html


def test_the_dashboard_tells_writers_of_drafts_and_keepers_of_the_plan(world, client):
    from django.utils import timezone, translation

    from manyi.programme.dashboard import panels
    from tests.programme.factories import add_activity, make_plan

    make_article(world, title="待发布的草稿", published=False)
    plan = make_plan(world, timezone.localdate().year, published=False, activities=0)
    add_activity(world, plan, title="已结束未登记", month=1, day=1)

    with translation.override("zh-hans"):
        found = {p["title"]: p for p in panels(world.users[Role.COMMITTEE_STAFF])}
        workdept = [p["title"] for p in panels(world.users[Role.WORKDEPT_STAFF])]
    assert found["文章草稿"]["count"] == 1
    assert found["文章草稿"]["items"] == ["待发布的草稿"]
    plan_panel = next(p for title, p in found.items() if "年度工作计划" in title)
    assert plan_panel["items"][0] == "计划尚未发布"
    # Only today or later would not be "ended"; 1 January is over unless today is 1 January.
    if timezone.localdate() > plan.activities.get().ends_on:
        assert plan_panel["count"] == 1
    # The work department writes but does not keep the plan; an enterprise sees neither.
    assert workdept == ["文章草稿"]
    assert panels(world.users[Role.ENTERPRISE_USER]) == []
