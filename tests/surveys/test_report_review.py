"""Regressions found in the review of issue 13's report: benchmarks that let an agency work
out another agency's measurement, a run without its target's index, undefined numbers in
the PDF charts, the importance–performance tooltip, and the run page's query count."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import manyi
from manyi.accounts.roles import Role
from manyi.surveys import charts, story
from manyi.surveys.models import MeasurementRun
from manyi.surveys.report import build_report, chart_data
from tests.surveys.test_report import finished_run, tables_of
from tests.surveys.test_story import set_target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def industry_runs(world, values):
    """One programme measurement of the industry per (uploader role, SAT index)."""
    return [
        set_target(finished_run(world.user(role), groups=0, n=150, seed=seed, resamples=0), value)
        for seed, (role, value) in enumerate(values, start=1)
    ]


def test_benchmarks_are_withheld_when_an_agency_could_work_out_the_other_measurement(world):
    agency = world.users[Role.AGENCY_STAFF]
    staff = world.users[Role.COMMITTEE_STAFF]
    own, _best, _other = industry_runs(
        world,
        [(Role.AGENCY_STAFF, 60.0), (Role.COMMITTEE_STAFF, 80.0), (Role.COMMITTEE_STAFF, 70.0)],
    )
    # The agency knows its own 60 and would read the average 70 and the best 80: the third
    # measurement is 3 × 70 − 60 − 80 = 70.
    assert story.benchmarks(own, "SAT", user=agency) is None
    assert build_report(own, user=agency).benchmarks is None
    # Programme staff read all three anyway; a reader who knows none of them learns no one.
    assert story.benchmarks(own, "SAT", user=staff)["mean"] == pytest.approx(70.0)
    assert story.benchmarks(own, "SAT")["count"] == 3


def test_benchmarks_are_shown_to_the_agency_when_two_unknown_measurements_remain(world):
    agency = world.users[Role.AGENCY_STAFF]
    runs = industry_runs(
        world,
        [
            (Role.AGENCY_STAFF, 60.0),
            (Role.COMMITTEE_STAFF, 80.0),
            (Role.COMMITTEE_STAFF, 70.0),
            (Role.COMMITTEE_STAFF, 66.0),
        ],
    )

    bench = story.benchmarks(runs[0], "SAT", user=agency)

    assert bench["count"] == 4
    assert bench["mean"] == pytest.approx(69.0)
    assert bench["best"] == 80.0


def test_the_agency_page_says_why_there_is_no_benchmark(world, client):
    agency = world.users[Role.AGENCY_STAFF]
    own, *_ = industry_runs(
        world,
        [(Role.AGENCY_STAFF, 60.0), (Role.COMMITTEE_STAFF, 80.0), (Role.COMMITTEE_STAFF, 70.0)],
    )
    client.force_login(agency)

    text = client.get(reverse("surveys:run_detail", kwargs={"pk": own.pk})).content.decode()

    assert "benchmark-table" not in text
    assert "不能由平均值和最高值推算出其中任何一项" in text


def test_a_run_without_its_targets_index_opens_without_a_trend(world, client):
    staff = world.users[Role.COMMITTEE_STAFF]
    finished_run(staff, year=2025, groups=0, n=150, resamples=0)
    current = finished_run(staff, year=2026, groups=0, n=150, resamples=0)
    result = dict(current.result)
    result["index"] = {**result["index"], "SAT": None}
    MeasurementRun.objects.filter(pk=current.pk).update(result=result)
    current.refresh_from_db()

    assert build_report(current, user=staff).trend is None
    client.force_login(staff)
    response = client.get(reverse("surveys:run_detail", kwargs={"pk": current.pk}))
    assert response.status_code == 200
    assert "trend-table" not in response.content.decode()


def test_pdf_charts_draw_undefined_numbers_as_a_dash(world):
    run = finished_run(world.users[Role.COMMITTEE_STAFF], groups=0, n=150, resamples=0)
    result = dict(run.result)
    first_path = next(iter(result["paths"]))
    result["paths"] = {**result["paths"], first_path: None}
    result["index"] = {**result["index"], "IMAGE": None}
    MeasurementRun.objects.filter(pk=run.pk).update(result=result)
    run.refresh_from_db()
    report = build_report(run)

    diagram = charts.path_diagram(report)
    bars = charts.index_bars(report)

    assert ">—</text>" in diagram
    assert ">—</text>" in bars
    assert ">0.0</text>" not in bars


def test_the_run_page_reads_trend_and_benchmarks_in_a_bounded_number_of_queries(world, client):
    staff = world.users[Role.COMMITTEE_STAFF]
    client.force_login(staff)

    def queries_for_run_page() -> int:
        current = finished_run(staff, year=2030, groups=0, n=150, resamples=0)
        url = reverse("surveys:run_detail", kwargs={"pk": current.pk})
        client.get(url)  # warm the session and the language
        with CaptureQueriesContext(connection) as captured:
            text = client.get(url).content.decode()
        MeasurementRun.objects.filter(pk=current.pk).delete()
        return len(captured), text

    finished_run(staff, year=2025, groups=0, n=150, resamples=0)
    few, _text = queries_for_run_page()
    for year in (2026, 2027, 2028):
        finished_run(staff, year=year, groups=0, n=150, seed=year, resamples=0)
    many, text = queries_for_run_page()

    assert len(tables_of(text)["trend-table"][0]) == 1 + 5  # header, four earlier, this one
    assert many == few


def test_the_importance_performance_tooltip_reads_the_points_values_and_escapes_names(world):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    run = finished_run(world.users[Role.COMMITTEE_STAFF], groups=0, n=150, resamples=0)
    data = chart_data(build_report(run))
    data["ipa"]["constructs"]["points"][0]["name"] = "<b>质量</b>"
    static = Path(manyi.__file__).parent / "static"
    harness = f"""
const echarts = require({json.dumps(str(static / "vendor/echarts/echarts.min.js"))});
const options = [];
echarts.init = function () {{ return {{ setOption: function (o) {{ options.push(o); }}, resize: function () {{}} }}; }};
global.window = {{ echarts: echarts, addEventListener: function () {{}} }};
global.echarts = echarts;
const data = {json.dumps(data)};
global.document = {{
  getElementById: function (id) {{
    if (id === "chart-data") return {{ textContent: JSON.stringify(data) }};
    if (id === "chart-ipa") return {{ clientWidth: 600, clientHeight: 400 }};
    return null;
  }},
  querySelectorAll: function () {{ return []; }}
}};
require({json.dumps(str(static / "js/measurement_report.js"))});
const ipa = options.find(function (o) {{ return o.series && o.series[0].type === "scatter"; }});
// The mean lines are a series of their own, under the named points.
const points = ipa.series.find(function (s) {{ return s.data.length; }});
console.log(JSON.stringify([ipa.series[0].markLine ? ipa.series[0].z : null, points.z]));
const point = points.data[0];
console.log(ipa.tooltip.formatter({{ data: point, value: point.value }}));
"""
    out = subprocess.run(
        [node, "-e", harness], capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip()
    layers, out = out.split("\n", 1)
    lines_z, points_z = json.loads(layers)
    assert lines_z < points_z

    first = data["ipa"]["constructs"]["points"][0]
    assert out == (
        f"&lt;b&gt;质量&lt;/b&gt;<br>{first['importance']:.3f} / {first['performance']:.1f}"
    )


def test_only_the_enterprise_computes_on_its_own_data_even_when_shared(world, client, csv_bytes):
    """Sharing lets the programme read an enterprise's measurement, not compute in its name;
    the re-run button is shown exactly to those who may press it."""
    from django.core.exceptions import PermissionDenied
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi.accounts.roles import Role
    from manyi.selfmeasure.services import share_measurement
    from manyi.surveys import services
    from manyi.surveys.access import may_compute

    owner = world.users[Role.ENTERPRISE_USER]
    dataset = services.upload_dataset(
        by=owner,
        upload=SimpleUploadedFile("own.csv", csv_bytes),
        title="自有数据",
        scope="enterprise",
        industry="",
        survey_year=2026,
    )
    share_measurement(dataset=dataset, by=owner)
    staff = world.users[Role.COMMITTEE_STAFF]
    assert may_compute(owner, dataset)
    assert not may_compute(staff, dataset)
    spec = {"blocks": {"S": ["sat1", "sat2"], "L": ["loyal1", "loyal2"]}, "paths": [["S", "L"]]}
    with pytest.raises(PermissionDenied):
        services.request_run(
            by=staff,
            dataset=dataset,
            title="x",
            model_name="custom",
            model_spec=spec,
            options={},
            seed=1,
        )
    client.force_login(staff)
    assert (
        client.get(f"/measurement/datasets/{dataset.pk}/mapping/?model_choice=china").status_code
        == 403
    )
    page = client.get(f"/measurement/datasets/{dataset.pk}/").content.decode()
    assert "下一步：对应变量" not in page


def test_a_model_without_drivers_says_so_rather_than_asking_to_recompute(world, client):
    """A new run of a model whose target has no driver has no importance–performance map:
    recomputing would not help, so the page says why instead."""
    staff = world.users[Role.COMMITTEE_STAFF]
    run = finished_run(staff, groups=0, n=150, resamples=0)
    result = {k: v for k, v in run.result.items() if k not in ("ipma", "impact")}
    MeasurementRun.objects.filter(pk=run.pk).update(result=result)
    client.force_login(staff)
    page = client.get(reverse("surveys:run_detail", kwargs={"pk": run.pk})).content.decode()
    assert page.count("该模型的目标变量没有可改进的驱动因素") == 2  # the map and the impact
    assert "重新计算后可见" not in page.split('id="h-sample"')[0].split("改进重点")[-1]
