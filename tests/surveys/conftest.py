import csv
import io
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.surveys import services


def survey_csv(n=240, seed=5, groups=3, preset="ecsi", missing_rate=0.0) -> bytes:
    sim = measurement.simulate(preset, n=n, seed=seed, groups=groups, missing_rate=missing_rate)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["企业", *sim.columns] if groups else sim.columns)
    for i in range(n):
        cells = [
            "" if math.isnan(sim.data[c][i]) else str(int(sim.data[c][i])) for c in sim.columns
        ]
        writer.writerow([f"企业{sim.groups[i]}", *cells] if groups else cells)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def csv_bytes():
    return survey_csv()


@pytest.fixture
def dataset(world, csv_bytes):
    return services.upload_dataset(
        by=world.users[Role.COMMITTEE_STAFF],
        upload=SimpleUploadedFile("survey.csv", csv_bytes),
        title="测试行业测评",
        scope="industry",
        industry="家电",
        survey_year=2026,
        group_column="企业",
    )


@pytest.fixture
def run_options():
    return {"scheme": "path", "scaling": "standardized", "missing": "mean", "resamples": 99}


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in Chinese, the default language, whatever an earlier test left
    active (the English crawl activates English in this process)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield
