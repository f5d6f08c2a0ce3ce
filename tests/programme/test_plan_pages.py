"""The public plan page (theme, activities in date order with progress and links, counts) and
the keepers' pages. Unpublished plans are a 404 for the public."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.events.models import Event, EventStatus
from manyi.programme.models import ActivityStatus, AnnualPlan, PlanStatus
from manyi.programme.plans import activities, services
from manyi.training.models import ClassStatus, TrainingClass
from tests.programme.factories import add_activity, keeper, make_article, make_plan

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def training_class(world, activity, *, title, internal=False, status=ClassStatus.HELD):
    day = activity.starts_on
    return TrainingClass.objects.create(
        organiser=world.agency,
        is_internal=internal,
        planned_activity=activity,
        topic="satisfaction_theory",
        title=title,
        teachers="孙教授",
        starts_at=_at(day),
        ends_at=_at(day),
        hours=6,
        place="天河区",
        capacity=50,
        status=status,
        created_by=world.users[Role.AGENCY_STAFF],
    )


def event(world, activity, *, title, status=EventStatus.HELD):
    day = activity.starts_on
    return Event.objects.create(
        kind="exchange",
        organiser=world.agency,
        planned_activity=activity,
        title=title,
        summary="交流",
        starts_at=_at(day),
        ends_at=_at(day),
        place="天河区",
        capacity=100,
        registration_closes_at=_at(day),
        status=status,
        created_by=world.users[Role.AGENCY_STAFF],
    )


def held(world, activity, **extra):
    activities.record_held(
        activity=activity, by=keeper(world), held_on=activity.ends_on, outcome="顺利举办", **extra
    )


def test_the_plan_page_shows_the_theme_activities_in_order_and_counts(world, client):
    plan = make_plan(world, YEAR, activities=0, published=False, theme="以用户为中心")
    late = add_activity(world, plan, title="推进大会", month=12, day=18, kind="conference")
    early = add_activity(world, plan, title="宣传周", month=1, day=5, kind="publicity")
    cancelled = add_activity(world, plan, title="座谈会", month=1, day=20)
    held(world, early, outcome_url="https://www.example.com/week")
    activities.cancel_activity(activity=cancelled, by=keeper(world), reason="合并举办")
    services.publish_plan(plan=plan, by=keeper(world))

    html = client.get(reverse("programme:plan_public")).content.decode()

    assert "data-theme-text>以用户为中心<" in html
    assert html.index(f'data-activity="{early.pk}"') < html.index(f'data-activity="{cancelled.pk}"')
    assert html.index(f'data-activity="{cancelled.pk}"') < html.index(f'data-activity="{late.pk}"')
    assert 'data-count="planned">2<' in html
    assert 'data-count="held">1<' in html
    assert 'data-count="cancelled">1<' in html
    assert 'href="https://www.example.com/week" rel="noopener noreferrer"' in html
    assert "合并举办" in html
    assert f'data-activity="{early.pk}" data-status="held"' in html
    assert f'data-activity="{late.pk}" data-status="planned"' in html


def test_what_happened_links_to_public_classes_events_and_articles(world, client):
    plan = make_plan(world, YEAR, activities=0, published=False)
    activity = add_activity(world, plan, title="培训与交流")
    training_class(world, activity, title="公开培训班")
    training_class(world, activity, title="企业内部培训", internal=True)
    event(world, activity, title="经验交流会")
    event(world, activity, title="草稿活动", status=EventStatus.DRAFT)
    make_article(world, title="培训班报道", planned_activity=activity)
    make_article(world, title="未发布报道", planned_activity=activity, published=False)
    services.publish_plan(plan=plan, by=keeper(world))

    html = client.get(reverse("programme:plan_year", kwargs={"year": YEAR})).content.decode()

    assert "公开培训班" in html
    assert "经验交流会" in html
    assert "培训班报道" in html
    assert "企业内部培训" not in html
    assert "草稿活动" not in html
    assert "未发布报道" not in html
    assert html.count('data-linked="class"') == 1
    assert html.count('data-linked="event"') == 1
    assert html.count('data-linked="article"') == 1


def test_the_plan_page_asks_the_same_queries_for_one_or_three_activities(world, client):
    plan = make_plan(world, YEAR, activities=1)
    first = plan.activities.get()
    training_class(world, first, title="班一")
    url = reverse("programme:plan_public")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for title in ("二", "三"):
        activity = add_activity(world, plan, title=title)
        training_class(world, activity, title=f"班{title}")
        event(world, activity, title=f"会{title}")
        make_article(world, title=f"文{title}", planned_activity=activity)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_an_unpublished_plan_is_a_404_and_not_current(world, client):
    make_plan(world, YEAR - 1, theme="去年的主题")
    make_plan(world, YEAR, published=False, theme="今年的草稿")

    assert client.get(reverse("programme:plan_year", kwargs={"year": YEAR})).status_code == 404
    client.force_login(keeper(world))
    assert client.get(reverse("programme:plan_year", kwargs={"year": YEAR})).status_code == 404
    client.logout()
    html = client.get(reverse("programme:plan_public")).content.decode()
    assert "去年的主题" in html
    assert "今年的草稿" not in html


def test_without_any_published_plan_the_page_says_so(world, client):
    make_plan(world, YEAR, published=False)
    html = client.get(reverse("programme:plan_public")).content.decode()
    assert "data-no-plan" in html


def test_other_years_are_linked(world, client):
    make_plan(world, YEAR - 1)
    make_plan(world, YEAR)
    html = client.get(reverse("programme:plan_public")).content.decode()
    assert f'href="{reverse("programme:plan_year", kwargs={"year": YEAR - 1})}"' in html


def test_english_readers_get_the_english_theme_or_a_note(world, client):
    plan = make_plan(world, YEAR, theme="以用户为中心", theme_en="Putting users first")
    activity = plan.activities.get()
    activities.update_activity(
        activity=activity,
        by=keeper(world),
        kind=activity.kind,
        title=activity.title,
        title_en="Exchange meeting",
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        responsible=activity.responsible,
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("programme:plan_public")).content.decode()
    assert "Putting users first" in html
    assert "以用户为中心" not in html
    assert "Exchange meeting" in html
    # The summary has no English version: shown in Chinese with the note.
    assert "年度工作计划概要" in html
    assert "data-chinese-only" in html


def test_the_home_page_shows_the_theme_of_the_year(world, client):
    make_plan(world, YEAR, theme="以用户为中心，推动质量提升")
    html = client.get(reverse("home")).content.decode()
    assert "以用户为中心，推动质量提升" in html
    assert reverse("programme:plan_year", kwargs={"year": YEAR}) in html


def test_the_home_page_without_a_plan_or_events(world, client):
    html = client.get(reverse("home")).content.decode()
    assert "data-theme" not in html
    assert "暂无即将举行的活动" in html


# ------------------------------------------------------------------------------------------
# The keepers' pages


@pytest.fixture
def staff(world, client):
    client.force_login(keeper(world))
    return client


def test_a_plan_from_the_form_to_publication(world, staff):
    response = staff.post(
        reverse("programme:plan_create"),
        {"year": 2030, "theme": "质量提升", "summary": "概要"},
    )
    plan = AnnualPlan.objects.get()
    assert response["Location"] == reverse("programme:plan_manage", kwargs={"pk": plan.pk})
    page = staff.get(response["Location"]).content.decode()
    # No activity yet: publishing would be refused, so the button is not offered.
    assert 'data-action="publish-plan"' not in page
    assert "发布前请至少添加一项" in page

    staff.post(
        reverse("programme:activity_add", kwargs={"pk": plan.pk}),
        {
            "kind": "training",
            "title": "培训班",
            "starts_on": "2030-04-01",
            "ends_on": "2030-04-02",
            "responsible_organisation": world.agency.pk,
        },
    )
    activity = plan.activities.get()
    assert activity.responsible_organisation == world.agency

    staff.post(reverse("programme:plan_publish", kwargs={"pk": plan.pk}))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    page = staff.get(reverse("programme:plan_manage", kwargs={"pk": plan.pk})).content.decode()
    assert 'data-action="unpublish-plan"' in page
    assert 'data-action="publish-plan"' not in page


def test_recording_held_through_the_form(world, staff):
    plan = make_plan(world, YEAR - 1, activities=1)
    activity = plan.activities.get()
    url = reverse("programme:activity_held", kwargs={"pk": activity.pk})

    response = staff.post(
        url,
        {"held_on": activity.ends_on.isoformat(), "outcome": "举办", "outcome_url": "javascript:x"},
    )
    assert response.status_code == 400
    assert "链接应为本站路径" in response.content.decode()

    staff.post(
        url, {"held_on": activity.ends_on.isoformat(), "outcome": "举办", "outcome_url": "/news/1/"}
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.HELD


def test_the_buttons_follow_the_activity_state(world, staff):
    plan = make_plan(world, YEAR - 1, activities=0, published=False)
    planned = add_activity(world, plan, title="计划中")
    done = add_activity(world, plan, title="已办")
    held(world, done)
    linked = add_activity(world, plan, title="有关联")
    make_article(world, planned_activity=linked)

    html = staff.get(reverse("programme:plan_manage", kwargs={"pk": plan.pk})).content.decode()

    def row(activity):
        start = html.index(f'data-activity="{activity.pk}"')
        return html[start : html.index("</tr>", start)]

    assert 'data-action="delete"' in row(planned)
    assert 'data-action="cancel"' in row(planned)
    assert 'data-action="delete"' not in row(done)
    assert 'data-action="cancel"' not in row(done)
    assert "更正举办情况" in row(done)
    assert 'data-action="delete"' not in row(linked)


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER])
def test_others_cannot_manage_the_plan(world, client, role):
    plan = make_plan(world, YEAR, published=False)
    client.force_login(world.users[role])
    assert client.get(reverse("programme:plan_manage_list")).status_code == 403
    client.post(reverse("programme:plan_publish", kwargs={"pk": plan.pk}))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
