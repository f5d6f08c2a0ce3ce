"""Demo measurements: an industry survey across several enterprises, computed and ready to open."""

import csv
import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from manyi import measurement
from manyi.accounts.models import User
from manyi.surveys import services
from manyi.surveys.models import MeasurementRun, ResponseDataset

INDUSTRY_ENTERPRISES = [
    "广州珠江家电制造有限公司",
    "广州云山电子科技有限公司",
    "广州南粤精密仪器有限公司",
    "广州海珠医疗器械有限公司",
    "广州穗华汽车零部件有限公司",
]

DATASETS = [
    # title, uploader, preset, respondents, seed, industry, group column
    (
        "2026年广州市制造业用户满意度测评",
        "staff@demo.manyi.cn",
        "china",
        900,
        2026,
        "制造业",
        "企业",
    ),
    ("2026年电子信息行业用户满意度测评", "agency3@demo.manyi.cn", "acsi", 400, 7, "电子信息", ""),
]


def _csv_bytes(sim, group_column: str, labels: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ([group_column] if group_column else []) + sim.columns
    writer.writerow(header)
    for i in range(len(sim.data[sim.columns[0]])):
        row = [labels[int(sim.groups[i][1:]) - 1]] if group_column else []
        for name in sim.columns:
            value = sim.data[name][i]
            row.append("" if math.isnan(value) else str(int(value)))
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")


def _dictionary_bytes(preset: str) -> bytes:
    model = measurement.load_preset(preset)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["变量名", "说明"])
    for name in model.indicators:
        writer.writerow([name, model.label(name)])
    return buffer.getvalue().encode("utf-8-sig")


def load_measurement_demo() -> list[MeasurementRun]:
    runs = []
    for title, email, preset, n, seed, industry, group_column in DATASETS:
        dataset = ResponseDataset.objects.filter(title=title).first()
        if dataset is None:
            user = User.objects.get(email=email)
            groups = len(INDUSTRY_ENTERPRISES) if group_column else 0
            sim = measurement.simulate(preset, n=n, seed=seed, groups=groups, missing_rate=0.01)
            dataset = services.upload_dataset(
                by=user,
                upload=SimpleUploadedFile(
                    f"{preset}-{seed}.csv", _csv_bytes(sim, group_column, INDUSTRY_ENTERPRISES)
                ),
                title=title,
                scope="industry",
                industry=industry,
                survey_year=2026,
                group_column=group_column,
                dictionary_upload=SimpleUploadedFile("dictionary.csv", _dictionary_bytes(preset)),
            )
        run = dataset.runs.filter(status="done").first()
        if run is None:
            run = services.request_run(
                by=dataset.uploaded_by,
                dataset=dataset,
                title=f"{title}（{preset.upper()} 模型）",
                model_name=preset,
                model_spec=measurement.load_preset(preset).to_dict(),
                options={
                    "scheme": "path",
                    "scaling": "standardized",
                    "missing": "mean",
                    "resamples": 500,
                },
                seed=seed * 1000 + 1,
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
