"""Articles through their services: drafts, the moves draft → published → withdrawn →
published, each logged; the checks that refuse and store nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.programme.models import Article, ArticleStatus
from manyi.programme.news import services
from tests.programme.factories import add_activity, make_article, make_plan, writer

pytestmark = pytest.mark.django_db


def test_a_new_article_is_a_draft_and_logged(world):
    plan = make_plan(world, published=False, activities=0)
    activity = add_activity(world, plan)
    article = services.create_article(
        by=writer(world),
        kind="news",
        title="  交流会召开  ",
        summary="摘要\n第二行",
        body="<p>正文</p>",
        planned_activity=activity,
    )

    assert article.status == ArticleStatus.DRAFT
    assert article.published_at is None
    assert article.title == "交流会召开"
    assert article.summary == "摘要 第二行"
    assert article.planned_activity == activity
    entry = ActivityLog.objects.get(action="article.create")
    assert entry.object_id == str(article.pk)
    assert entry.after["title"] == "交流会召开"
    assert entry.after["body"]["chars"] == len("<p>正文</p>")


def test_publish_withdraw_and_publish_again_are_each_logged(world):
    by = writer(world)
    article = make_article(world, published=False)

    services.publish_article(article=article, by=by)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    first = article.published_at
    assert first is not None

    services.withdraw_article(article=article, by=by, reason="内容需更新")
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN

    services.publish_article(article=article, by=by)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at >= first

    moves = list(
        ActivityLog.objects.filter(action__in=["article.publish", "article.withdraw"])
        .order_by("pk")
        .values_list("action", "before", "after", "note")
    )
    assert moves == [
        ("article.publish", {"status": "draft"}, {"status": "published"}, ""),
        ("article.withdraw", {"status": "published"}, {"status": "withdrawn"}, "内容需更新"),
        ("article.publish", {"status": "withdrawn"}, {"status": "published"}, ""),
    ]


def test_moves_from_the_wrong_state_are_refused(world):
    by = writer(world)
    draft = make_article(world, published=False)
    with pytest.raises(ValidationError, match="未在发布中"):
        services.withdraw_article(article=draft, by=by)
    published = make_article(world, title="已发布")
    with pytest.raises(ValidationError, match="已经发布"):
        services.publish_article(article=published, by=by)
    assert not ActivityLog.objects.filter(action="article.withdraw").exists()


def test_someone_faster_is_told_politely(world):
    by = writer(world)
    article = make_article(world, published=False)
    stale = Article.objects.get(pk=article.pk)
    services.publish_article(article=article, by=by)

    with pytest.raises(ValidationError, match="刚被其他人修改"):
        services.publish_article(article=stale, by=by)
    assert ActivityLog.objects.filter(action="article.publish").count() == 1


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT])
def test_only_the_programme_offices_write(world, role):
    with pytest.raises(PermissionDenied):
        services.create_article(by=world.users[role], kind="news", title="标题", body="<p>x</p>")
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": " "}, "title", "请填写标题"),
        ({"body": "<script>alert(1)</script>"}, "body", "正文为空"),
        ({"kind": "gossip"}, "kind", "请选择栏目"),
        ({"kind": "practice"}, "organisation", "须注明相关企业"),
        ({"title": "长" * 201}, "title", "不超过 200"),
        ({"body": "<p>" + "字" * 100_000 + "</p>"}, "body", "正文过长"),
    ],
)
def test_bad_articles_are_refused_and_nothing_is_stored(world, fields, field, words):
    values = {"kind": "news", "title": "标题", "body": "<p>正文</p>", **fields}
    with pytest.raises(ValidationError) as refused:
        services.create_article(by=writer(world), **values)

    assert words in " ".join(refused.value.message_dict[field])
    assert Article.objects.count() == 0
    assert not ActivityLog.objects.filter(action="article.create").exists()


def test_a_practice_names_an_enterprise_not_an_agency(world):
    with pytest.raises(ValidationError) as refused:
        services.create_article(
            by=writer(world),
            kind="practice",
            title="经验",
            body="<p>x</p>",
            organisation=world.agency,
        )
    assert "参与活动的企业" in refused.value.message_dict["organisation"][0]


def test_an_update_logs_what_changed_and_sanitises_again(world):
    article = make_article(world, body="<p>旧</p>")
    services.update_article(
        article=article,
        by=writer(world),
        kind="news",
        title=article.title,
        body='<p onclick="x()">新</p><script>1</script>',
        title_en="News",
    )

    article.refresh_from_db()
    assert article.body == "<p>新</p>"
    assert article.title_en == "News"
    entry = ActivityLog.objects.get(action="article.update")
    assert entry.before["title_en"] == ""
    assert entry.after["title_en"] == "News"
    assert entry.before["body"]["chars"] == len("<p>旧</p>")
    assert entry.after["body"]["chars"] == len("<p>新</p>")
    assert "title" not in entry.after


def test_an_update_that_changes_nothing_logs_nothing(world):
    article = make_article(world, body="<p>同</p>")
    services.update_article(
        article=article, by=writer(world), kind="news", title=article.title, body="<p>同</p>"
    )
    assert not ActivityLog.objects.filter(action="article.update").exists()


def test_an_english_body_empty_once_cleaned_is_dropped(world):
    article = make_article(world, body_en="<script>only()</script>")
    assert article.body_en == ""
