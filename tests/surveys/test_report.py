"""The report's tables show the run's JSON exactly (rounded half up, as printed); indirect and
total effects have their own rows and intervals; an old run without the new keys still opens.

The helpers here build finished runs through the real services; the other report tests import
them.
"""

import copy
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.surveys import exports, services
from manyi.surveys.models import MeasurementRun
from manyi.surveys.report import build_report
from tests.surveys.conftest import survey_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    """Reports built here are read in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


OPTIONS = {"scheme": "path", "scaling": "standardized", "missing": "mean", "resamples": 99}


def finished_run(
    by,
    *,
    preset="china",
    groups=3,
    n=300,
    seed=5,
    year=2026,
    industry="家电",
    scope="industry",
    title=None,
    sample=None,
    resamples=99,
) -> MeasurementRun:
    """A done run of ``preset`` on simulated data, computed by the run service itself."""
    dataset = services.upload_dataset(
        by=by,
        upload=SimpleUploadedFile(
            "survey.csv", survey_csv(n=n, seed=seed, groups=groups, preset=preset)
        ),
        title=title or f"{year}年{industry}行业测评",
        scope=scope,
        industry=industry,
        survey_year=year,
        group_column="企业" if groups else "",
        sample=sample,
    )
    run = services.request_run(
        by=by,
        dataset=dataset,
        title=dataset.title,
        model_name=preset,
        model_spec=measurement.load_preset(preset).to_dict(),
        options={**OPTIONS, "resamples": resamples},
        seed=seed,
    )
    run = services.execute_run(run=run)
    assert run.status == "done", run.error_message
    return run


def as_old_run(run) -> MeasurementRun:
    """The same run as a run computed before issue 13 stored it: none of the new keys."""
    result = copy.deepcopy(run.result)
    for key in (
        "vif",
        "f2",
        "srmr",
        "binary",
        "group_comparison",
        "ipma",
        "impact",
        "predict",
        "sample",
        "complaints",
    ):
        result.pop(key, None)
    boot = copy.deepcopy(run.bootstrap_result)
    for key in ("indirect", "total", "htmt"):
        boot.pop(key, None)
    for section in ("paths", "weights", "loadings", "index", "r2"):
        for entry in boot[section].values():
            entry.pop("t", None)
            entry.pop("p", None)
    MeasurementRun.objects.filter(pk=run.pk).update(result=result, bootstrap_result=boot)
    run.refresh_from_db()
    return run


def printed(value, digits: int) -> str:
    """How a number is printed: rounded half up (Django's floatformat), never "-0.000"."""
    text = str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def p_printed(value) -> str:
    return "< 0.001" if value < 0.001 else printed(value, 3)


class Tables(HTMLParser):
    """Every table of a page: a list of rows, each a list of cell texts, by the table's class."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[list[str]]]] = {}
        self._table = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            classes = (attrs.get("class") or "").split()
            name = next(
                (c for c in classes if c.endswith("-table") and c != "report-table"), "other"
            )
            self._table = []
            self.tables.setdefault(name, []).append(self._table)
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> dict:
    parser = Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


@pytest.fixture
def china_run(staff):
    return finished_run(staff, preset="china")


def report_page(client, user, run) -> str:
    client.force_login(user)
    response = client.get(reverse("surveys:run_detail", kwargs={"pk": run.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_path_table_prints_each_direct_effect_with_its_own_statistics(client, staff, china_run):
    tables = tables_of(report_page(client, staff, china_run))
    rows = tables["path-table"][0][1:]
    boot = china_run.bootstrap_result["paths"]
    assert len(rows) == len(china_run.result["paths"])
    for row, (key, coef) in zip(rows, china_run.result["paths"].items(), strict=True):
        entry = boot[key]
        assert row[1] == printed(coef, 3)
        assert row[2] == printed(entry["se"], 3)
        assert row[3] == printed(entry["t"], 2)
        assert row[4] == p_printed(entry["p"])
        assert row[5] == f"{printed(entry['bca'][0], 3)} – {printed(entry['bca'][1], 3)}"
        assert row[6].split()[0] == printed(china_run.result["f2"][key], 3)


def test_indirect_and_total_effects_have_their_own_rows_and_intervals(client, staff, china_run):
    tables = tables_of(report_page(client, staff, china_run))
    effects = china_run.result["effects"]
    boot = china_run.bootstrap_result
    for kind in ("indirect", "total"):
        rows = tables["effect-table"][0 if kind == "indirect" else 1][1:]
        expected = [(k, e[kind]) for k, e in effects.items() if e[kind] != 0]
        assert len(rows) == len(expected)
        for row, (key, value) in zip(rows, expected, strict=True):
            entry = boot[kind][key]
            assert row[1] == printed(value, 3)
            assert row[5] == f"{printed(entry['bca'][0], 3)} – {printed(entry['bca'][1], 3)}"
    # IMAGE -> SAT: its total effect's interval is the total's, not the direct path's.
    total_row = next(
        r for r in tables["effect-table"][1] if r[0].startswith("品牌形象 → 用户满意度")
    )
    total = boot["total"]["IMAGE->SAT"]["bca"]
    direct = boot["paths"]["IMAGE->SAT"]["bca"]
    assert total_row[5] == f"{printed(total[0], 3)} – {printed(total[1], 3)}"
    assert total_row[5] != f"{printed(direct[0], 3)} – {printed(direct[1], 3)}"


def test_loadings_weights_and_vif_equal_the_json(client, staff, china_run):
    tables = tables_of(report_page(client, staff, china_run))
    result, boot = china_run.result, china_run.bootstrap_result
    loadings = tables["loading-table"][0][1:]
    weights = tables["weight-table"][0][1:]
    items = [i for block in result["model"]["blocks"].values() for i in block]
    for row, item in zip(loadings, items, strict=True):
        assert row[3] == printed(result["loadings"][item], 3)
        assert row[4] == printed(boot["loadings"][item]["t"], 2)
        assert row[5] == p_printed(boot["loadings"][item]["p"])
    for row, item in zip(weights, items, strict=True):
        assert row[1] == printed(result["weights"][item], 3)
        assert row[2] == printed(boot["weights"][item]["t"], 2)
        assert row[5] == printed(result["vif"]["outer"][item], 3)
    inner = tables["vif-table"][0][1:]
    expected = [v for preds in result["vif"]["inner"].values() for v in preds.values()]
    assert [r[1] for r in inner] == [printed(1.0 if v is None else v, 3) for v in expected]


def test_htmt_is_one_lower_triangular_matrix_with_intervals(client, staff, china_run):
    table = tables_of(report_page(client, staff, china_run))["htmt-table"][0]
    lvs = list(china_run.result["model"]["blocks"])
    assert len(table) == len(lvs)  # header + one row per construct after the first
    assert len(table[0]) == len(lvs)  # corner + a column per construct but the last
    boot = china_run.bootstrap_result["htmt"]
    for i, a in enumerate(lvs[1:], start=1):
        row = table[i]
        for j, b in enumerate(lvs[:i]):
            entry = boot[f"{a}|{b}"]
            value = china_run.result["htmt"][a][b]
            assert (
                row[1 + j]
                == f"{printed(value, 3)} [{printed(entry['bca'][0], 3)}, {printed(entry['bca'][1], 3)}]"
            )
        assert all(cell == "" for cell in row[1 + i :])


def test_fornell_larcker_matrix_has_root_ave_on_its_diagonal(client, staff, china_run):
    table = tables_of(report_page(client, staff, china_run))["fornell-table"][0]
    fl = china_run.result["fornell_larcker"]
    lvs = list(china_run.result["model"]["blocks"])
    for i, lv in enumerate(lvs):
        assert table[1 + i][1 + i] == printed(fl[lv][lv], 3)
        assert table[1 + i][1] == printed(fl[lv][lvs[0]], 3)


def test_cross_loadings_bold_the_own_loading(client, staff, china_run):
    html = report_page(client, staff, china_run)
    table = tables_of(html)["cross-table"][0]
    cross = china_run.result["cross_loadings"]
    assert table[1][1:] == [printed(v, 3) for v in cross["image1"].values()]
    own = re.findall(r'<td class="num own">([0-9.]+)</td>', html)
    assert printed(china_run.result["loadings"]["image1"], 3) in own


def test_fit_predict_and_srmr_equal_the_json(client, staff, china_run):
    tables = tables_of(report_page(client, staff, china_run))
    srmr = china_run.result["srmr"]
    assert tables["srmr-table"][0][1][1:] == [
        printed(srmr["saturated"], 3),
        printed(srmr["estimated"], 3),
    ]
    predict = china_run.result["predict"]["indicators"]
    rows = tables["predict-table"][0][1:]
    assert len(rows) == len(predict)
    for row, values in zip(rows, predict.values(), strict=True):
        assert row[1:5] == [printed(values[k], 3) for k in ("q2", "rmse", "lm_rmse", "mae")]


def test_index_groups_ipma_and_impact_equal_the_json(client, staff, china_run):
    tables = tables_of(report_page(client, staff, china_run))
    result = china_run.result
    index_rows = tables["other"][0][1:] if "index-table" not in tables else None
    assert index_rows is None or index_rows  # the index table carries no class of its own
    ipma = tables["ipma-table"]
    constructs = result["ipma"]["constructs"]
    assert [r[1:3] for r in ipma[0][1:]] == [
        [printed(c["importance"], 3), printed(c["performance"], 1)] for c in constructs
    ]
    assert len(ipma[1]) - 1 == len(result["ipma"]["indicators"])
    # Exogenous expectations are never shown as a thing to improve.
    assert all(row[0] != "预期质量" for row in ipma[0][1:])
    impact = tables["impact-table"][0]
    sat = result["impact"]["targets"]["SAT"]
    assert [r[1] for r in impact[1:]] == [printed(v, 2) for v in sat.values()]
    group = tables["group-table"][0]
    first_group, per_lv = next(iter(result["group_comparison"].items()))
    cell = group[2][2]  # first group, first construct
    entry = per_lv["IMAGE"]
    assert cell.startswith(printed(entry["index"], 1))
    assert f"[{printed(entry['interval'][0], 1)}, {printed(entry['interval'][1], 1)}]" in cell


def test_gof_is_gone_and_the_methods_note_says_why(client, staff, china_run):
    html = report_page(client, staff, china_run)
    assert "GoF =" not in html
    assert "Henseler & Sarstedt 2013" in html


def test_a_run_computed_before_the_new_statistics_still_opens(client, staff, china_run):
    old = as_old_run(china_run)
    html = report_page(client, staff, old)
    assert html.count("重新计算后可见") >= 5
    tables = tables_of(html)
    assert "ipma-table" not in tables
    # Groups fall back to the differences from the whole sample, without intervals.
    assert tables["group-table"]
    report = build_report(old)
    assert report.groups_have_intervals is False
    assert report.paths[0]["t"] is None
    pdf = exports.export_report_pdf(run=old, by=staff)
    assert pdf.startswith(b"%PDF")


def test_complaints_are_a_rate_with_an_interval_not_an_index_bar(client, staff):
    run = finished_run(staff, preset="acsi", groups=0)
    html = report_page(client, staff, run)
    complaints = run.result["complaints"]
    table = tables_of(html)["complaints-table"][0]
    assert table[1][0] == f"{printed(complaints['rate'], 1)}%"
    assert (
        table[1][1]
        == f"{printed(complaints['interval'][0], 1)} – {printed(complaints['interval'][1], 1)}%"
    )
    report = build_report(run)
    assert [lv["name"] for lv in report.rate_lvs] == ["COMPLAINT"]
    assert "COMPLAINT" not in [lv["name"] for lv in report.index_lvs]
    from manyi.surveys.report import chart_data

    assert "顾客抱怨" not in chart_data(report)["index"]["labels"]
    assert any("受访者表示投诉过" in line for line in report.summary)


def test_group_differences_are_coloured_by_meaning(staff):
    run = finished_run(staff, preset="acsi", groups=3)
    report = build_report(run)
    tones = {}
    for row in report.groups:
        for cell in row["cells"]:
            lo, hi = cell["interval"]
            if lo > 0 or hi < 0:
                tones[(cell["lv"], cell["diff"] > 0)] = cell["tone"]
            else:
                assert cell["tone"] == ""
    for (lv, rose), tone in tones.items():
        if lv == "COMPLAINT":
            assert tone == ("bad" if rose else "good")
        else:
            assert tone == ("good" if rose else "bad")
    assert tones  # simulated groups differ: at least one difference is significant


def test_sample_sentence_names_channel_period_and_response_rate(staff):
    run = finished_run(
        staff,
        groups=0,
        sample={
            "channel": "电话访问",
            "period_start": dt.date(2026, 3, 1),
            "period_end": dt.date(2026, 4, 30),
            "contacted": 1000,
            "strata": "城市",
        },
    )
    report = build_report(run)
    last = report.summary[-1]
    assert "有效样本 300 份" in last
    assert "电话访问" in last
    assert "2026年3月1日 至 2026年4月30日" in last
    assert "应答率 30.0%" in last
    assert "抽样分层：城市" in last
