"""A closed survey's data set carries the complaint question and the sample description, and
its run reports the complaint rate from them."""

import csv
import io

import pytest

from manyi.common.files import private_path
from manyi.fieldwork.models import ContactStatus
from manyi.surveys.sample import wilson_interval
from tests.fieldwork.results_helpers import closed

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    # 40 usable responses, the first 4 of them complained (tests/fieldwork/results_helpers).
    return closed(world, n=40, complaints=4)


def test_the_data_set_has_a_yes_no_complaint_column(survey):
    dataset = survey.dataset

    assert dataset.binary_columns == ["complaint"]
    assert dataset.columns[-2:] == ["complaint", "channel"]
    rows = list(csv.DictReader(io.StringIO(private_path(dataset.file_path).read_text("utf-8"))))
    assert sorted(r["complaint"] for r in rows) == ["0"] * 36 + ["1"] * 4
    assert dataset.dictionary["complaint"] == "是否投诉过：1 是，0 否"


def test_the_data_set_describes_the_sample_from_the_survey(survey):
    dataset = survey.dataset
    contacted = (
        survey.contacts.exclude(status=ContactStatus.RESERVE)
        .exclude(status=ContactStatus.PENDING, attempts=0, invited_at__isnull=True)
        .count()
    )

    # In Chinese, like the data dictionary, whatever language the closing was done in.
    assert dataset.channel == "网上问卷、电话访问"
    assert dataset.period_start == survey.field_opens
    assert dataset.period_end == survey.field_closes
    assert dataset.contacted == contacted
    assert dataset.contacted >= 40
    assert dataset.strata == "不分层"


def test_the_surveys_run_reports_the_complaint_rate_and_the_sample(survey):
    run = survey.run

    assert run.complaint_column == "complaint"
    assert run.result["complaints"] == {
        "source": "column",
        "name": "complaint",
        "answered": 40,
        "yes": 4,
        "rate": pytest.approx(10.0),
        "interval": pytest.approx([100 * v for v in wilson_interval(4, 40)]),
    }
    assert run.result["complaints"]["rate"] == pytest.approx(100 * survey.summary["complaint_rate"])
    sample = run.result["sample"]
    assert sample["n_rows"] == 40
    assert sample["response_rate"] == pytest.approx(40 / survey.dataset.contacted)
    assert sample["groups"] == {"phone": 20, "web": 20}
    assert sample["period"] == [survey.field_opens.isoformat(), survey.field_closes.isoformat()]
