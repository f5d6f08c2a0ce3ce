"""The programme's lists (common.listing): the keepers' plans and a plan's activities, the
writers' articles and images, the public news and practices. Each filters, searches and sorts
through the URL, ignores bad values and costs the same number of queries at two sizes."""

import pytest

from manyi.accounts.roles import Role
from manyi.programme.models import ActivityKind
from tests.programme.factories import add_activity, make_article, make_image, make_plan
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

YEAR = 2026
BAD = "status=x&agency=١٢&page=-1&campaign=99999999999999999999"
MORE_BAD = (
    "kind=<script>&use=nope&sort=password&q=" + "长" * 300,
    "published_after=2026-13-45&published_before=x&sort=-nope&page=99999999999999999999",
)
STAFF_URLS = ("/plan/manage/", "/news/manage/", "/news/images/")
PUBLIC_URLS = ("/news/", "/practices/")


@pytest.fixture
def staff(world, client_for):
    return client_for(Role.COMMITTEE_STAFF)


@pytest.mark.parametrize("query", [BAD, *MORE_BAD])
@pytest.mark.parametrize("url", [*STAFF_URLS, "plan"])
def test_bad_values_are_ignored_on_the_staff_lists(world, staff, url, query):
    if url == "plan":
        url = f"/plan/manage/{make_plan(world, YEAR).pk}/"
    assert staff.get(f"{url}?{query}").status_code == 200


@pytest.mark.parametrize("query", [BAD, *MORE_BAD])
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_bad_values_are_ignored_on_the_public_lists(world, client, url, query):
    make_article(world, kind="practice")
    assert client.get(f"{url}?{query}").status_code == 200


def test_the_plans_filter_by_status_search_and_sort(world, staff):
    make_plan(world, YEAR - 1, theme="质量强市")
    make_plan(world, YEAR, published=False, theme="用户至上")
    drafts = staff.get("/plan/manage/", {"status": "draft"})
    assert [p.year for p in drafts.context["page"]] == [YEAR]
    found = staff.get("/plan/manage/", {"q": "强市"})
    assert [p.year for p in found.context["page"]] == [YEAR - 1]
    oldest = staff.get("/plan/manage/?sort=year").context["page"]
    assert [p.year for p in oldest] == [YEAR - 1, YEAR]
    assert "没有符合筛选条件的年度计划" in staff.get("/plan/manage/?q=无此").content.decode()


def test_a_plans_activities_filter_and_count_every_activity(world, staff):
    plan = make_plan(world, YEAR, published=False, activities=0)
    for i in range(55):
        add_activity(world, plan, title=f"交流会{i:02d}", month=1 + i % 12)
    add_activity(world, plan, title="标杆研修", kind=ActivityKind.BENCHMARK)
    url = f"/plan/manage/{plan.pk}/"
    response = staff.get(url)
    assert len(response.context["page"].object_list) == 50
    assert response.context["counts"].planned == 56
    benchmark = staff.get(url, {"kind": ActivityKind.BENCHMARK})
    assert [a.title for a in benchmark.context["page"]] == ["标杆研修"]
    found = staff.get(url, {"q": "交流会05"})
    assert [a.title for a in found.context["page"]] == ["交流会05"]
    titles = [a.title for a in staff.get(f"{url}?sort=-title").context["page"]]
    assert titles == sorted(titles, reverse=True)


def test_the_writers_articles_filter_search_and_sort(world, staff):
    make_article(world, title="已发布的新闻")
    make_article(world, title="草稿新闻", published=False)
    make_article(world, title="先进经验", kind="practice")
    drafts = staff.get("/news/manage/", {"status": "draft"})
    assert [a.title for a in drafts.context["page"]] == ["草稿新闻"]
    practices = staff.get("/news/manage/", {"kind": "practice"})
    assert [a.title for a in practices.context["page"]] == ["先进经验"]
    found = staff.get("/news/manage/", {"q": "已发布"})
    assert [a.title for a in found.context["page"]] == ["已发布的新闻"]
    titles = [a.title for a in staff.get("/news/manage/?sort=title").context["page"]]
    assert titles == sorted(titles)


def test_the_image_library_filters_by_use(world, staff):
    article = make_article(world, title="有图的文章")
    make_image(world, article=article, name="用了.png")
    make_image(world, name="没用.png")
    unused = staff.get("/news/images/", {"use": "unused"})
    assert [i.original_name for i in unused.context["page"]] == ["没用.png"]
    used = staff.get("/news/images/", {"q": "有图"})
    assert [i.original_name for i in used.context["page"]] == ["用了.png"]


def test_the_public_lists_show_published_articles_only(world, client):
    make_article(world, title="公开新闻")
    make_article(world, title="未发布草稿", published=False)
    make_article(world, title="公开经验", kind="practice")
    news = client.get("/news/", {"q": "草稿"})
    assert news.context["listing"].total == 0
    assert "没有符合筛选条件的文章" in news.content.decode()
    practices = client.get("/practices/")
    assert [a.title for a in practices.context["page"]] == ["公开经验"]
    by_kind = client.get("/news/", {"kind": "practice"})
    assert [a.title for a in by_kind.context["page"]] == ["公开经验"]


def test_the_plans_cost_the_same_at_two_sizes(world, staff):
    make_plan(world, YEAR - 5)

    def grow():
        for i in range(3):
            make_plan(world, YEAR - i, activities=2)

    assert_flat(staff, "/plan/manage/", grow=grow)


def test_a_plans_activities_cost_the_same_at_two_sizes(world, staff):
    plan = make_plan(world, YEAR, published=False, activities=1)

    def grow():
        for i in range(4):
            add_activity(world, plan, title=f"活动{i}")

    assert_flat(staff, f"/plan/manage/{plan.pk}/", grow=grow)


def _articles(world, n, kind="practice"):
    def grow():
        for i in range(n):
            make_article(world, title=f"文{i}", kind=kind)

    return grow


def test_the_writers_articles_cost_the_same_at_two_sizes(world, staff):
    make_article(world, title="一")
    assert_flat(staff, "/news/manage/", grow=_articles(world, 4))


def test_the_image_library_costs_the_same_at_two_sizes(world, staff):
    make_image(world, article=make_article(world))

    def grow():
        article = make_article(world, title="又一篇")
        for i in range(3):
            make_image(world, article=article, name=f"图{i}.png")
        make_image(world, name="空.png")

    assert_flat(staff, "/news/images/", grow=grow)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_the_public_lists_cost_the_same_at_two_sizes(world, client, url):
    make_article(world, kind="practice", title="一")
    assert_flat(client, url, grow=_articles(world, 4))
