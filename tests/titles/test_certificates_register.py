"""The public side of titles: the register (filters, search, pagination, query cost), the
verification page (valid, expired, revoked, unknown, malformed), the read-only REST endpoint
and its place in the OpenAPI schema, the daily expiry, and the home page's link."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manyi.common.models import ActivityLog
from manyi.titles.certificates import tasks
from manyi.titles.certificates.services import expire_titles
from manyi.titles.models import Title, TitleStatus
from tests.factories import OrganisationFactory
from tests.reviews.factories import granted_title
from tests.titles.decision_helpers import past_campaign

pytestmark = pytest.mark.django_db


def numbers_in(html: str, titles) -> list[str]:
    return [t.number for t in titles if f'data-number="{t.number}"' in html]


@pytest.fixture
def titles(world):
    """Four titles: product and brand this year, a service title of an earlier campaign, and a
    revoked product title."""
    old = past_campaign(years_ago=5)
    product = granted_title(
        world, "product", organisation=OrganisationFactory(name="白云电器股份有限公司")
    )
    brand = granted_title(world, "brand", organisation=OrganisationFactory(name="花城食品有限公司"))
    service = granted_title(
        world, "service", campaign=old, organisation=OrganisationFactory(name="羊城物业服务公司")
    )
    revoked = granted_title(
        world, "product", organisation=OrganisationFactory(name="番禺灯具有限公司")
    )
    Title.objects.filter(pk=revoked.pk).update(
        status=TitleStatus.REVOKED, status_since=timezone.localdate()
    )
    revoked.refresh_from_db()
    return {"product": product, "brand": brand, "service": service, "revoked": revoked}


def register(client, **params) -> str:
    response = client.get(reverse("titles:register"), params)
    assert response.status_code == 200
    return response.content.decode()


# ------------------------------------------------------------------------------------------
# The register


def test_the_register_lists_every_title_to_anyone(client, titles):
    html = register(client)
    assert sorted(numbers_in(html, titles.values())) == sorted(t.number for t in titles.values())


def test_the_register_filters_by_year(client, titles):
    old_year = titles["service"].year
    html = register(client, year=old_year)
    assert numbers_in(html, titles.values()) == [titles["service"].number]


def test_the_register_filters_by_category(client, titles):
    html = register(client, category="brand")
    assert numbers_in(html, titles.values()) == [titles["brand"].number]


def test_the_register_filters_by_status(client, titles):
    html = register(client, status="revoked")
    assert numbers_in(html, titles.values()) == [titles["revoked"].number]
    assert "已撤销（自" in html


def test_the_register_searches_organisation_subject_and_number(client, titles):
    assert numbers_in(register(client, q="花城"), titles.values()) == [titles["brand"].number]
    number = titles["service"].number
    assert numbers_in(register(client, q=number.lower()), titles.values()) == [number]


def test_unknown_filter_values_are_ignored(client, titles):
    html = register(client, year="20x6", category="nonsense", status="<b>")
    assert len(numbers_in(html, titles.values())) == 4


def test_the_register_paginates_by_50_and_keeps_the_filters(world, client):
    from manyi.titles.numbering import next_title_number

    template = granted_title(world, "product")
    today = timezone.localdate()
    for i in range(50):
        organisation = OrganisationFactory(name=f"分页{i}有限公司")
        # Titles straight from the model: 50 grants through the door would be slow and prove
        # nothing more here.
        Title.objects.create(
            number=next_title_number(year=template.year, category="product"),
            application=_awarded_application(world, organisation),
            organisation=organisation,
            category="product",
            subject=organisation.name,
            year=template.year,
            valid_from=today,
            valid_until=today + timedelta(days=365),
            status_since=today,
        )
    html = register(client, category="product")
    assert html.count('data-number="') == 50
    assert "category=product&amp;page=2" in html
    second = register(client, category="product", page=2)
    assert second.count('data-number="') == 1


def _awarded_application(world, organisation):
    from manyi.applications.states import Status
    from tests.reviews.factories import after_recommendation

    return after_recommendation(
        world, "product", status=Status.AWARDED, organisation=organisation, customers=0
    )


def test_the_register_costs_the_same_queries_for_one_or_three_titles(world, client):
    granted_title(world, "product")
    with CaptureQueriesContext(connection) as one:
        register(client)
    granted_title(world, "product")
    granted_title(world, "brand")
    with CaptureQueriesContext(connection) as three:
        register(client)
    assert len(three) == len(one)


def test_the_home_page_links_the_register(client):
    html = client.get(reverse("home")).content.decode()
    assert reverse("titles:register") in html


# ------------------------------------------------------------------------------------------
# Verification


def verify(client, number):
    return client.get(reverse("titles:verify", args=[number]))


def test_a_valid_certificate_verifies_with_all_its_facts(client, titles):
    title = titles["product"]
    response = verify(client, title.number)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-verify-result="valid"' in html
    assert title.organisation.name in html
    assert title.subject in html
    assert f"{title.year}年度" in html
    assert "广州市用户满意产品" in html
    assert 'data-title-status="valid"' in html


def test_a_revoked_certificate_says_since_when(client, titles):
    title = titles["revoked"]
    html = verify(client, title.number).content.decode()
    assert 'data-verify-result="revoked"' in html
    today = timezone.localdate()
    assert f"已撤销（自 {today.year}年{today.month}月{today.day}日 起）" in html


def test_an_expired_certificate_says_so(client, titles):
    title = titles["service"]
    Title.objects.filter(pk=title.pk).update(
        status=TitleStatus.EXPIRED, status_since=timezone.localdate()
    )
    html = verify(client, title.number).content.decode()
    assert 'data-verify-result="expired"' in html
    assert "已过期" in html


@pytest.mark.parametrize("number", ["GZYH-2026-CP-9999", "not-a-number", "GZYH-2026-CP-0001x"])
def test_an_unknown_or_malformed_number_is_a_clear_404(client, titles, number):
    response = verify(client, number)
    assert response.status_code == 404
    html = response.content.decode()
    assert "未查到该证书编号" in html
    assert 'data-verify-result="unknown"' in html


def test_verification_reveals_no_application_detail(client, titles):
    title = titles["product"]
    html = verify(client, title.number).content.decode()
    assert reverse("applications:detail", args=[title.application_id]) not in html
    assert reverse("titles:certificate", args=[title.number]) not in html


# ------------------------------------------------------------------------------------------
# REST


def test_the_api_lists_titles_with_public_fields_only(client, titles):
    response = client.get(reverse("titles_api:title-list"))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    row = next(r for r in data["results"] if r["number"] == titles["product"].number)
    assert row["organisation"] == "白云电器股份有限公司"
    assert row["status"] == "valid"
    assert row["verify_url"].endswith(reverse("titles:verify", args=[row["number"]]))
    assert "application" not in row
    assert "id" not in row


def test_the_api_filters_like_the_register(client, titles):
    url = reverse("titles_api:title-list")
    assert [r["number"] for r in client.get(url, {"category": "brand"}).json()["results"]] == [
        titles["brand"].number
    ]
    assert [r["number"] for r in client.get(url, {"status": "revoked"}).json()["results"]] == [
        titles["revoked"].number
    ]
    by_year = client.get(url, {"year": titles["service"].year}).json()["results"]
    assert [r["number"] for r in by_year] == [titles["service"].number]
    assert client.get(url, {"q": "羊城"}).json()["count"] == 1


def test_the_api_gives_one_title_and_a_json_404_for_an_unknown_number(client, titles):
    title = titles["brand"]
    response = client.get(reverse("titles_api:title-detail", args=[title.number]))
    assert response.status_code == 200
    assert response.json()["subject"] == title.subject
    missing = client.get(reverse("titles_api:title-detail", args=["GZYH-1999-CP-0001"]))
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["detail"] == "未查到该证书编号"


def test_the_api_is_read_only(client, titles):
    response = client.post(reverse("titles_api:title-list"), {"number": "X"})
    assert response.status_code == 405
    assert Title.objects.count() == 4


def test_the_api_throttles_anonymous_callers(client, titles, monkeypatch):
    from manyi.titles.certificates.api import RegisterThrottle

    monkeypatch.setattr(RegisterThrottle, "rate", "3/min")
    url = reverse("titles_api:title-list")
    codes = [client.get(url).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_api_is_in_the_openapi_schema(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/titles/" in paths
    assert "/api/titles/{number}/" in paths
    names = {p["name"] for p in paths["/api/titles/"]["get"]["parameters"]}
    assert {"year", "category", "status", "q", "page"} <= names


# ------------------------------------------------------------------------------------------
# Expiry


def test_expiry_marks_titles_past_their_validity_and_logs_each(world):
    today = timezone.localdate()
    due = granted_title(world, "product", on=today - timedelta(days=3 * 366))
    Title.objects.filter(pk=due.pk).update(
        valid_from=today - timedelta(days=3 * 366), valid_until=today - timedelta(days=1)
    )
    last_day = granted_title(world, "brand", on=today - timedelta(days=3 * 366))
    Title.objects.filter(pk=last_day.pk).update(valid_until=today)
    assert tasks.expire_titles() == 1
    due.refresh_from_db()
    last_day.refresh_from_db()
    assert due.status == TitleStatus.EXPIRED
    assert due.status_since == today
    assert last_day.status == TitleStatus.VALID
    entry = ActivityLog.objects.get(action="title.expire")
    assert entry.object_id == str(due.pk)
    assert entry.after["status"] == "expired"


def test_expiry_leaves_a_revoked_title_revoked(world):
    today = timezone.localdate()
    title = granted_title(world, "product", on=today - timedelta(days=3 * 366))
    Title.objects.filter(pk=title.pk).update(
        status=TitleStatus.REVOKED, valid_until=today - timedelta(days=1)
    )
    assert expire_titles() == 0
    title.refresh_from_db()
    assert title.status == TitleStatus.REVOKED


def test_expiry_runs_daily_on_the_timetable():
    from manyi.titles.schedules import SCHEDULES

    entry = next(s for s in SCHEDULES if s["name"] == "titles.expire_titles")
    assert entry["func"] == "manyi.titles.certificates.tasks.expire_titles"
    assert entry["schedule_type"] == "D"
