"""The report's story: the trend over earlier runs of the same scope the reader may see, the
industry's benchmarks (aggregates only, never an enterprise's own data), and the summary."""

import pytest
from django.utils import translation

from manyi.accounts.roles import Role
from manyi.surveys import story
from manyi.surveys.models import MeasurementRun
from manyi.surveys.report import build_report
from tests.surveys.test_report import finished_run, printed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    """Reports built here are read in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def set_target(run, value):
    """Give a run a chosen satisfaction index, so that aggregates can be checked exactly."""
    result = dict(run.result)
    result["index"] = {**result["index"], "SAT": value}
    MeasurementRun.objects.filter(pk=run.pk).update(result=result)
    run.refresh_from_db()
    return run


def test_trend_shows_earlier_years_of_the_same_scope_oldest_first(world):
    staff = world.users[Role.COMMITTEE_STAFF]
    old = set_target(finished_run(staff, year=2024, groups=0, n=150, resamples=30), 60.0)
    middle = set_target(finished_run(staff, year=2025, groups=0, n=150, resamples=30), 64.0)
    # Another industry and another model are other scopes.
    finished_run(staff, year=2025, groups=0, n=150, industry="汽车", resamples=0)
    finished_run(staff, year=2025, groups=0, n=150, preset="ecsi", resamples=0)
    current = finished_run(staff, year=2026, groups=0, n=150, resamples=30)
    report = build_report(current, user=staff)
    points = report.trend["points"]
    assert [p["label"] for p in points] == ["2024", "2025", "2026"]
    assert [p["target"] for p in points] == [60.0, 64.0, current.result["index"]["SAT"]]
    assert points[-1]["current"] is True
    assert report.trend["change"] == pytest.approx(current.result["index"]["SAT"] - 64.0)
    assert "与上次（2025）相比" in report.summary[1]
    assert old.pk != middle.pk


def test_trend_leaves_out_what_the_reader_may_not_see(world):
    staff = world.users[Role.COMMITTEE_STAFF]
    firm = world.users[Role.ENTERPRISE_USER]
    finished_run(staff, year=2025, groups=0, n=150, resamples=0)
    own_earlier = set_target(finished_run(firm, year=2025, groups=0, n=150, resamples=0), 91.0)
    own_now = finished_run(firm, year=2026, groups=0, n=150, resamples=0)
    programme_now = finished_run(staff, year=2026, groups=0, n=150, resamples=0)
    # The enterprise's own trend: its own earlier measurement, not the programme's.
    own = build_report(own_now, user=firm).trend
    assert [p["target"] for p in own["points"][:-1]] == [91.0]
    # The programme's trend never shows the enterprise's private measurement.
    programme = build_report(programme_now, user=staff).trend
    assert len(programme["points"]) == 2
    assert 91.0 not in [p["target"] for p in programme["points"]]
    assert own_earlier.dataset.visibility == "private"
    # Without a reader there is no trend at all.
    assert build_report(programme_now).trend is None


def test_benchmarks_average_the_programmes_runs_and_never_an_enterprises_own(world):
    staff = world.users[Role.COMMITTEE_STAFF]
    firm = world.users[Role.ENTERPRISE_USER]
    runs = [
        set_target(finished_run(staff, groups=0, n=150, seed=seed, resamples=0), value)
        for seed, value in ((1, 60.0), (2, 70.0))
    ]
    # Two measurements of the industry are too few: the best would name the other one.
    assert story.benchmarks(runs[0], "SAT") is None
    private = set_target(finished_run(firm, groups=0, n=150, resamples=0), 99.0)
    assert story.benchmarks(runs[0], "SAT") is None
    runs.append(set_target(finished_run(staff, groups=0, n=150, seed=3, resamples=0), 80.0))
    bench = story.benchmarks(runs[0], "SAT")
    assert bench["count"] == 3
    assert bench["mean"] == pytest.approx(70.0)
    assert bench["best"] == 80.0
    # The enterprise's own report compares it with the programme's industry figures.
    assert story.benchmarks(private, "SAT")["best"] == 80.0
    report = build_report(runs[0], user=staff)
    assert any(
        f"平均值为 {printed(70.0, 1)}，最高为 {printed(80.0, 1)}" in line for line in report.summary
    )


def test_summary_names_the_index_and_at_most_three_drivers(world):
    staff = world.users[Role.COMMITTEE_STAFF]
    run = finished_run(staff, groups=0, n=200, resamples=50)
    report = build_report(run, user=staff)
    sat = run.result["index"]["SAT"]
    lo, hi = run.bootstrap_result["index"]["SAT"]["bca"]
    assert report.summary[0] == (
        f"用户满意度为 {printed(sat, 1)} 分（满分 100；95% 置信区间 {printed(lo, 1)}–{printed(hi, 1)}）。"
    )
    drivers = next(line for line in report.summary if line.startswith("优先改进"))
    named = [r["label"] for r in report.ipma["constructs"] if r["label"] in drivers]
    assert 1 <= len(named) < len(report.ipma["constructs"])
    assert "预期质量" not in drivers  # expectations are what customers bring, not a lever
