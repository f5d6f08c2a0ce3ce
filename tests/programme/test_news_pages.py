"""The public news pages, the good practices, the feeds and the English versions: only
published articles are seen; everything else is a 404."""

import pytest
from defusedxml import ElementTree as ET
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from manyi.programme.news import services
from tests.programme.factories import make_article, writer

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_list_shows_published_articles_only(world, client):
    shown = make_article(world, title="已发布的新闻")
    make_article(world, title="还在草稿", published=False)
    gone = make_article(world, title="已撤下的新闻")
    services.withdraw_article(article=gone, by=writer(world))

    html = client.get(reverse("programme:news_list")).content.decode()
    assert "已发布的新闻" in html
    assert f'data-article="{shown.pk}"' in html
    assert "还在草稿" not in html
    assert "已撤下的新闻" not in html


def test_a_draft_or_withdrawn_article_is_a_404_even_for_staff(world, client):
    draft = make_article(world, published=False)
    gone = make_article(world, title="撤下")
    services.withdraw_article(article=gone, by=writer(world))
    client.force_login(writer(world))

    for article in (draft, gone):
        response = client.get(reverse("programme:article_detail", kwargs={"pk": article.pk}))
        assert response.status_code == 404


def test_the_list_filters_by_column_and_searches_titles(world, client):
    make_article(world, title="推进大会通知", kind="notice")
    make_article(world, title="培训班举办", kind="news")
    make_article(world, title="标杆企业经验", kind="practice")

    html = client.get(reverse("programme:news_list"), {"kind": "notice"}).content.decode()
    assert "推进大会通知" in html
    assert "培训班举办" not in html
    html = client.get(reverse("programme:news_list"), {"q": "培训"}).content.decode()
    assert "培训班举办" in html
    assert "推进大会通知" not in html
    # An unknown column is ignored, not an error.
    response = client.get(reverse("programme:news_list"), {"kind": "<script>"})
    assert response.status_code == 200
    assert "标杆企业经验" in response.content.decode()


def test_the_list_is_paginated_by_fifty(world, client):
    for i in range(51):
        make_article(world, title=f"第{i:02d}篇")
    first = client.get(reverse("programme:news_list")).content.decode()
    second = client.get(reverse("programme:news_list"), {"page": 2}).content.decode()
    assert first.count("data-article=") == 50
    assert second.count("data-article=") == 1
    # Newest first: the first one published is alone on page two.
    assert "第00篇" in second


def test_the_list_asks_the_same_queries_for_one_or_three_articles(world, client):
    make_article(world, title="一", kind="practice")
    url = reverse("programme:news_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    make_article(world, title="二", kind="practice")
    make_article(world, title="三", kind="practice")
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_the_detail_shows_the_cleaned_body_and_its_organisation(world, client):
    article = make_article(
        world,
        kind="practice",
        title="以用户反馈驱动改进",
        body='<p>做法</p><img src="x" onerror="alert(1)"><script>alert(2)</script>',
    )
    html = client.get(
        reverse("programme:article_detail", kwargs={"pk": article.pk})
    ).content.decode()
    assert "以用户反馈驱动改进" in html
    assert world.enterprise.name in html
    assert "<p>做法</p>" in html
    assert "alert(" not in html
    assert "onerror" not in html


def test_the_practices_page_lists_good_practices_only(world, client):
    make_article(world, kind="practice", title="标杆经验")
    make_article(world, kind="news", title="普通新闻")

    html = client.get(reverse("programme:practices")).content.decode()
    assert "标杆经验" in html
    assert world.enterprise.name in html
    assert "普通新闻" not in html


def test_news_pages_point_to_their_feeds(world, client):
    article = make_article(world)
    for url in (
        reverse("programme:news_list"),
        reverse("programme:practices"),
        reverse("programme:article_detail", kwargs={"pk": article.pk}),
        reverse("home"),
    ):
        html = client.get(url).content.decode()
        assert (
            f'<link rel="alternate" type="application/rss+xml" title="新闻动态（RSS）" href="{reverse("programme:feed_rss")}">'
            in html
        ), url
        assert (
            f'type="application/atom+xml" title="新闻动态（Atom）" href="{reverse("programme:feed_atom")}"'
            in html
        )


# ------------------------------------------------------------------------------------------
# Feeds


def _published(world, n):
    return [make_article(world, title=f"订阅第{i}篇", summary=f"摘要{i}") for i in range(n)]


def test_the_rss_feed_holds_the_latest_twenty_published(world, client):
    articles = _published(world, 22)
    make_article(world, title="草稿不订阅", published=False)

    response = client.get(reverse("programme:feed_rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    titles = [item.findtext("title") for item in items]
    assert len(items) == 20
    assert titles[0] == "订阅第21篇"
    assert "订阅第1篇" not in titles
    assert "草稿不订阅" not in titles
    newest = articles[-1]
    assert items[0].findtext("link").endswith(f"/news/{newest.pk}/")
    assert items[0].findtext("description") == "摘要21"
    assert items[0].findtext("category") == "新闻动态"


def test_the_atom_feed_parses_with_the_same_entries(world, client):
    _published(world, 3)
    response = client.get(reverse("programme:feed_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["订阅第2篇", "订阅第1篇", "订阅第0篇"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/")
    assert entries[0].findtext(f"{ATOM}updated")


def test_a_withdrawn_article_leaves_the_feed(world, client):
    article = make_article(world, title="将被撤下")
    services.withdraw_article(article=article, by=writer(world))
    assert "将被撤下" not in client.get(reverse("programme:feed_rss")).content.decode()


# ------------------------------------------------------------------------------------------
# English


def test_english_readers_get_the_english_version_where_written(world, client):
    article = make_article(
        world,
        title="中文标题",
        summary="中文摘要",
        body="<p>中文正文</p>",
        title_en="English title",
        summary_en="English summary",
        body_en="<p>English body</p>",
    )
    html = (
        english(client)
        .get(reverse("programme:article_detail", kwargs={"pk": article.pk}))
        .content.decode()
    )
    assert "English title" in html
    assert "English summary" in html
    assert "<p>English body</p>" in html
    assert "中文正文" not in html
    assert "data-chinese-only" not in html


def test_english_readers_get_the_chinese_with_a_note_where_not(world, client):
    article = make_article(world, title="只有中文", body="<p>中文正文</p>")
    html = (
        english(client)
        .get(reverse("programme:article_detail", kwargs={"pk": article.pk}))
        .content.decode()
    )
    assert "只有中文" in html
    assert "<p>中文正文</p>" in html
    assert "data-chinese-only" in html
    # Chinese readers get no note.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(
        reverse("programme:article_detail", kwargs={"pk": article.pk})
    ).content.decode()
    assert "data-chinese-only" not in html


def test_the_feed_follows_the_readers_language(world, client):
    make_article(world, title="中文", title_en="In English")
    feed = ET.fromstring(english(client).get(reverse("programme:feed_rss")).content)
    assert feed.find("channel").find("item").findtext("title") == "In English"


# ------------------------------------------------------------------------------------------
# Home page


def test_the_home_page_shows_the_latest_three_articles(world, client):
    for i in range(4):
        make_article(world, title=f"首页新闻{i}")
    make_article(world, title="首页草稿", published=False)
    with translation.override("zh-hans"):
        html = client.get(reverse("home")).content.decode()
    for shown in ("首页新闻3", "首页新闻2", "首页新闻1"):
        assert shown in html
    assert "首页新闻0" not in html
    assert "首页草稿" not in html
    assert "data-latest-news" in html
    # The existing links are still there.
    for hook in (
        "data-register-link",
        "data-notices-link",
        "data-discipline-link",
        "data-complaint-link",
    ):
        assert hook in html
    assert reverse("programme:practices") in html
    assert reverse("programme:plan_public") in html
