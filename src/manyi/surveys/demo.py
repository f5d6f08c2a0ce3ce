"""Demo measurements: an industry survey across several enterprises, computed and ready to open."""

import csv
import datetime as dt
import io
import math
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from manyi import measurement
from manyi.accounts.models import User
from manyi.surveys import services
from manyi.surveys.mapping import auto_match
from manyi.surveys.models import MeasurementRun, ResponseDataset

INDUSTRY_ENTERPRISES = [
    "广州珠江家电制造有限公司",
    "广州云山电子科技有限公司",
    "广州南粤精密仪器有限公司",
    "广州海珠医疗器械有限公司",
    "广州穗华汽车零部件有限公司",
]

# Answers of the earlier year are this much lower now and then, so the trend over the years
# has a rise to show.
EARLIER_YEAR_DROP = 0.3
COMPLAINT_COLUMN = "是否投诉"
# Demo runs: enough resamples for intervals worth reading, few enough that `make run` is quick.
DEMO_RESAMPLES = 200


@dataclass(frozen=True)
class DemoDataset:
    title: str
    uploader: str
    preset: str
    respondents: int
    seed: int
    industry: str
    year: int
    group_column: str
    sample: dict
    complaint_column: str = COMPLAINT_COLUMN


DATASETS = [
    # The earlier year of the manufacturing measurement first: the same scope, industry and
    # model, so the 2026 report has a trend to draw.
    DemoDataset(
        title="2025年广州市制造业用户满意度测评",
        uploader="staff@demo.manyi.cn",
        preset="china",
        respondents=800,
        seed=25,
        industry="制造业",
        year=2025,
        group_column="企业",
        sample={
            "channel": "电话访问",
            "period_start": dt.date(2025, 9, 1),
            "period_end": dt.date(2025, 10, 31),
            "contacted": 2600,
            "strata": "按企业、区域分层",
        },
    ),
    DemoDataset(
        title="2026年广州市制造业用户满意度测评",
        uploader="staff@demo.manyi.cn",
        preset="china",
        respondents=900,
        seed=2026,
        industry="制造业",
        year=2026,
        group_column="企业",
        sample={
            "channel": "电话访问、网上问卷",
            "period_start": dt.date(2026, 9, 1),
            "period_end": dt.date(2026, 10, 31),
            "contacted": 2800,
            "strata": "按企业、区域分层",
        },
    ),
    # Two more measurements of the same industry, year and model (a district agency's): with
    # three, the manufacturing report has the industry's average and best to compare with.
    DemoDataset(
        title="2026年天河区家电制造企业用户满意度调查",
        uploader="agency@demo.manyi.cn",
        preset="china",
        respondents=300,
        seed=31,
        industry="制造业",
        year=2026,
        group_column="",
        sample={
            "channel": "网上问卷",
            "period_start": dt.date(2026, 5, 1),
            "period_end": dt.date(2026, 5, 31),
            "contacted": 1200,
            "strata": "不分层",
        },
    ),
    DemoDataset(
        title="2026年天河区精密制造企业用户满意度调查",
        uploader="agency@demo.manyi.cn",
        preset="china",
        respondents=300,
        seed=47,
        industry="制造业",
        year=2026,
        group_column="",
        sample={
            "channel": "电话访问",
            "period_start": dt.date(2026, 7, 1),
            "period_end": dt.date(2026, 7, 31),
            "contacted": 900,
            "strata": "不分层",
        },
    ),
    # ACSI asks the complaint question itself (complaint1, yes/no): its rate comes from there.
    DemoDataset(
        title="2026年电子信息行业用户满意度测评",
        uploader="agency3@demo.manyi.cn",
        preset="acsi",
        respondents=400,
        seed=7,
        industry="电子信息",
        year=2026,
        group_column="",
        sample={
            "channel": "网上问卷",
            "period_start": dt.date(2026, 6, 1),
            "period_end": dt.date(2026, 6, 30),
            "contacted": 1500,
            "strata": "不分层",
        },
        complaint_column="",
    ),
]


def _answer(value: float, *, rng: random.Random, drop: float) -> str:
    if math.isnan(value):
        return ""
    if drop and value > 1 and rng.random() < drop:
        value -= 1
    return str(int(value))


def _complained(sim, i: int, rng: random.Random) -> str:
    """是 more often among the less satisfied: a complaint question that fits the answers."""
    scores = [sim.data[c][i] for c in sim.columns if c.startswith("sat")]
    answered = [v for v in scores if not math.isnan(v)]
    mean = sum(answered) / len(answered) if answered else 7.0
    chance = 0.35 if mean < 5 else 0.15 if mean < 7 else 0.04
    return "是" if rng.random() < chance else "否"


def _csv_bytes(sim, demo: DemoDataset, labels: list[str]) -> bytes:
    rng = random.Random(demo.seed)
    drop = EARLIER_YEAR_DROP if demo.year < 2026 else 0.0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    complaint = [demo.complaint_column] if demo.complaint_column else []
    group = [demo.group_column] if demo.group_column else []
    writer.writerow([*group, *sim.columns, *complaint])
    for i in range(len(sim.data[sim.columns[0]])):
        row = [labels[int(sim.groups[i][1:]) - 1]] if demo.group_column else []
        row += [_answer(sim.data[name][i], rng=rng, drop=drop) for name in sim.columns]
        if demo.complaint_column:
            row.append(_complained(sim, i, rng))
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")


def _dictionary_bytes(demo: DemoDataset) -> bytes:
    model = measurement.load_preset(demo.preset)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["变量名", "说明"])
    for name in model.indicators:
        writer.writerow([name, model.label(name)])
    if demo.complaint_column:
        writer.writerow([demo.complaint_column, "过去一年是否向该企业投诉过"])
    return buffer.getvalue().encode("utf-8-sig")


def _dataset(demo: DemoDataset) -> ResponseDataset:
    dataset = ResponseDataset.objects.filter(title=demo.title).first()
    if dataset is not None:
        return dataset
    groups = len(INDUSTRY_ENTERPRISES) if demo.group_column else 0
    sim = measurement.simulate(
        demo.preset, n=demo.respondents, seed=demo.seed, groups=groups, missing_rate=0.01
    )
    return services.upload_dataset(
        by=User.objects.get(email=demo.uploader),
        upload=SimpleUploadedFile(
            f"{demo.preset}-{demo.seed}.csv", _csv_bytes(sim, demo, INDUSTRY_ENTERPRISES)
        ),
        title=demo.title,
        scope="industry",
        industry=demo.industry,
        survey_year=demo.year,
        group_column=demo.group_column,
        dictionary_upload=SimpleUploadedFile("dictionary.csv", _dictionary_bytes(demo)),
        sample=demo.sample,
    )


def load_measurement_demo() -> list[MeasurementRun]:
    runs = []
    for demo in DATASETS:
        dataset = _dataset(demo)
        run = dataset.runs.filter(status="done").first()
        if run is None:
            spec = measurement.load_preset(demo.preset).to_dict()
            run = services.request_run(
                by=dataset.uploaded_by,
                dataset=dataset,
                title=f"{demo.title}（{demo.preset.upper()} 模型）",
                model_name=demo.preset,
                model_spec=spec,
                options={
                    "scheme": "path",
                    "scaling": "standardized",
                    "missing": "mean",
                    "resamples": DEMO_RESAMPLES,
                },
                seed=demo.seed * 1000 + 1,
                column_map=auto_match(spec, dataset),
                complaint_column=demo.complaint_column,
            )
            # Computed now, so the report opens at once; the queued task then finds it done.
            run = services.execute_run(run=run)
        runs.append(run)
    return runs


DEMO_ORDER = 30


def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo``: the runs' report pages are printed."""
    for run in load_measurement_demo():
        report.lines.append(
            _("  测评报告：%(title)s  /measurement/runs/%(pk)d/")
            % {"title": run.title, "pk": run.pk}
        )
