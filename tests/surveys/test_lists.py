"""The measurement lists (data sets, runs) with the list toolkit: each its own page, filtered
and searched in the URL, bad values ignored, a page's cost flat in its rows, and an agency sees
only what it saw before (its own data sets), with no other organisation's years."""

import itertools

import pytest

from manyi.accounts.roles import Role
from manyi.surveys.models import MeasurementRun, ResponseDataset
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

BAD = (
    "status=x&agency=١٢&page=-1&campaign=99999999999999999999&year=²&scope=nope&model=x&sort=sha256"
)
_serial = itertools.count(1)


def _datasets(world, n, *, organisation=None, year=2026, scope="industry", title="行业测评"):
    by = world.users[Role.COMMITTEE_STAFF]
    made = []
    for _ in range(n):
        i = next(_serial)
        made.append(
            ResponseDataset.objects.create(
                title=f"{title}{i:03d}",
                scope=scope,
                industry="家电",
                survey_year=year,
                organisation=organisation or world.committee,
                uploaded_by=by,
                file_path=f"datasets/{i}.csv",
                original_name=f"{i}.csv",
                file_format="csv",
                sha256=f"{i:064d}",
                size_bytes=1,
                n_rows=100 + i,
                columns=["a"],
                numeric_columns=["a"],
            )
        )
    return made


def _runs(world, datasets, *, status="done", model="china"):
    return [
        MeasurementRun.objects.create(
            dataset=d,
            title=f"计算{d.title}",
            model_name=model,
            model_spec={},
            data_hash="0" * 64,
            options={},
            seed=1,
            status=status,
            created_by=world.users[Role.COMMITTEE_STAFF],
        )
        for d in datasets
    ]


def test_datasets_page_filter_and_search_in_the_url(world, client_for):
    _datasets(world, 52)
    _datasets(world, 2, year=2024, scope="society", title="社会测评")
    client = client_for(Role.COMMITTEE_STAFF)
    first = client.get("/measurement/")
    assert first.context["listing"].total == 54
    assert len(first.context["page"].object_list) == 50
    assert len(client.get("/measurement/?page=2").context["page"].object_list) == 4
    assert client.get("/measurement/?year=2024").context["listing"].total == 2
    assert client.get("/measurement/?scope=society").context["listing"].total == 2
    found = client.get("/measurement/", {"q": "社会测评"})
    assert {d.title[:4] for d in found.context["page"]} == {"社会测评"}
    by_rows = client.get("/measurement/?sort=-rows").context["page"]
    rows = [d.n_rows for d in by_rows]
    assert rows == sorted(rows, reverse=True)
    empty = client.get("/measurement/", {"q": "没有这个"}).content.decode()
    assert "没有符合筛选条件的调查数据" in empty


def test_runs_page_filter_and_search_in_the_url(world, client_for):
    _runs(world, _datasets(world, 3), status="done", model="ecsi")
    _runs(world, _datasets(world, 1, title="失败的"), status="failed")
    client = client_for(Role.COMMITTEE_STAFF)
    assert client.get("/measurement/runs/").context["listing"].total == 4
    assert client.get("/measurement/runs/?status=failed").context["listing"].total == 1
    assert client.get("/measurement/runs/?model=ecsi").context["listing"].total == 3
    found = client.get("/measurement/runs/", {"q": "失败的"})
    assert found.context["listing"].total == 1
    html = client.get("/measurement/runs/").content.decode()
    assert 'data-table="runs"' in html
    assert "欧洲顾客满意指数模型" in html  # the model in words


def test_an_agency_sees_its_own_data_sets_and_years_only(world, client_for):
    _datasets(world, 2, year=2019)  # the committee's
    mine = _datasets(world, 1, organisation=world.agency, year=2025)
    response = client_for(Role.AGENCY_STAFF).get("/measurement/")
    assert [d.pk for d in response.context["page"]] == [mine[0].pk]
    years = [c[0] for c in response.context["listing"].filters.form.fields["year"].choices]
    assert "2019" not in years
    assert "2025" in years
    assert client_for(Role.AGENCY_STAFF).get("/measurement/runs/").context["listing"].total == 0


@pytest.mark.parametrize("url", ["/measurement/", "/measurement/runs/"])
def test_bad_values_are_ignored(world, client_for, url):
    _runs(world, _datasets(world, 1))
    assert client_for(Role.COMMITTEE_STAFF).get(f"{url}?{BAD}").status_code == 200


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.AGENCY_STAFF])
def test_the_datasets_page_costs_the_same_at_two_sizes(world, client_for, role):
    own = world.agency if role == Role.AGENCY_STAFF else world.committee
    _runs(world, _datasets(world, 1, organisation=own))
    assert_flat(
        client_for(role),
        "/measurement/",
        grow=lambda: _runs(world, _datasets(world, 3, organisation=own, year=2025)),
    )


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.AGENCY_STAFF])
def test_the_runs_page_costs_the_same_at_two_sizes(world, client_for, role):
    own = world.agency if role == Role.AGENCY_STAFF else world.committee
    _runs(world, _datasets(world, 1, organisation=own))
    assert_flat(
        client_for(role),
        "/measurement/runs/",
        grow=lambda: _runs(world, _datasets(world, 3, organisation=own), status="failed"),
    )
