"""Uploads: yes/no columns are found and read as 1/0; the sample description is kept."""

import datetime as dt
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.accounts.roles import Role
from manyi.surveys.datasets import DatasetRejected, check_table, numeric_matrix
from manyi.surveys.models import ResponseDataset, Visibility
from tests.surveys.mapping_helpers import renamed_csv, upload

pytestmark = pytest.mark.django_db


def table(columns: dict[str, list[str]], n=12) -> list[list[str]]:
    return [
        list(columns),
        *[[values[i % len(values)] for values in columns.values()] for i in range(n)],
    ]


def test_yes_no_words_and_zero_one_columns_are_binary_and_read_as_one_zero():
    rows = table(
        {
            "sat1": ["7", "8", "9"],
            "投诉": ["是", "否", "否", ""],
            "revisit": ["Yes", "no", "N", "y"],
            "called": ["1", "0", "1"],
            "已回访": ["有", "没有", "true", "FALSE"],
        }
    )

    check = check_table(rows, scale_min=1, scale_max=10)

    assert check.binary == ["投诉", "revisit", "called", "已回访"]
    assert check.numeric == ["sat1", "投诉", "revisit", "called", "已回访"]
    values = numeric_matrix(check, ["投诉", "revisit", "已回访"])
    assert values["投诉"][:3] == [1.0, 0.0, 0.0]
    assert math.isnan(values["投诉"][3])
    assert values["revisit"][:4] == [1.0, 0.0, 0.0, 1.0]
    assert values["已回访"][:4] == [1.0, 0.0, 1.0, 0.0]


def test_a_zero_one_column_is_not_checked_against_the_scale():
    rows = table({"sat1": ["7", "8"], "complaint": ["0", "1", "0"]})

    check = check_table(rows, scale_min=1, scale_max=10)

    assert check.binary == ["complaint"]


def test_a_column_of_only_ones_is_a_scale_answer_unless_declared_yes_no():
    rows = table({"sat1": ["7", "8"], "complaint": ["1", ""]})

    assert check_table(rows, scale_min=1, scale_max=10).binary == []
    declared = check_table(rows, scale_min=1, scale_max=10, binary_columns=["complaint"])
    assert declared.binary == ["complaint"]


def test_a_declared_yes_no_column_with_other_answers_is_refused():
    rows = table({"sat1": ["7", "8"], "complaint": ["1", "3"]})

    with pytest.raises(DatasetRejected) as exc:
        check_table(rows, scale_min=1, scale_max=10, binary_columns=["complaint"])

    assert exc.value.messages == ["变量“complaint”应为是否题，只能填 1/0 或 是/否"]


def test_a_column_mixing_yes_no_words_and_scale_answers_is_refused_as_not_numbers():
    rows = table({"sat1": ["7", "8"], "mixed": ["是", "5"]})

    with pytest.raises(DatasetRejected) as exc:
        check_table(rows, scale_min=1, scale_max=10)

    assert exc.value.messages[0] == "第2行，变量“mixed”：“是”不是数字"


def test_the_data_set_keeps_its_yes_no_columns(world):
    content = renamed_csv("china", n=60, complaint=["是", "否", "否"] * 20)

    dataset = upload(world, content)

    assert dataset.binary_columns == ["投诉"]
    assert "投诉" in dataset.numeric_columns


def test_the_sample_description_is_kept(world):
    dataset = upload(
        world,
        renamed_csv("china", n=60),
        sample={
            "channel": "电话访问",
            "period_start": dt.date(2026, 3, 1),
            "period_end": dt.date(2026, 4, 15),
            "contacted": 240,
            "strata": "按区域分层",
        },
    )

    dataset.refresh_from_db()
    assert dataset.channel == "电话访问"
    assert dataset.period_start == dt.date(2026, 3, 1)
    assert dataset.period_end == dt.date(2026, 4, 15)
    assert dataset.contacted == 240
    assert dataset.strata == "按区域分层"


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ({"contacted": 59}, "联系（邀请）人数 59 少于样本量 60"),
        (
            {"period_start": dt.date(2026, 4, 1), "period_end": dt.date(2026, 3, 1)},
            "调查结束日期早于开始日期",
        ),
    ],
)
def test_a_sample_description_that_cannot_be_true_is_refused(world, sample, message):
    with pytest.raises(DatasetRejected) as exc:
        upload(world, renamed_csv("china", n=60), sample=sample)

    assert exc.value.messages == [message]
    assert ResponseDataset.objects.count() == 0


def test_an_enterprises_upload_is_its_own_private_data_set(world):
    dataset = upload(world, renamed_csv("china", n=60), role=Role.ENTERPRISE_USER)

    assert dataset.visibility == Visibility.PRIVATE
    assert dataset.organisation == world.enterprise


def test_the_upload_page_lists_what_each_preset_needs(world, client):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    text = client.get("/measurement/datasets/new/").content.decode()

    assert 'id="preset-variables"' in text
    assert "<code>sat1</code>" in text
    assert "总体满意度" in text
    assert "<code>complaint1</code>" in text
    assert "是否投诉过" in text
    assert "调查方式（可选）" in text


def test_the_upload_form_stores_the_sample_description(world, client):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    response = client.post(
        "/measurement/datasets/new/",
        {
            "title": "带样本说明",
            "scope": "industry",
            "survey_year": 2026,
            "scale_min": 1,
            "scale_max": 10,
            "channel": "网上问卷",
            "period_start": "2026-05-01",
            "period_end": "2026-05-31",
            "contacted": 500,
            "strata": "按用户类型分层",
            "data_file": SimpleUploadedFile("d.csv", renamed_csv("china", n=60)),
        },
        follow=True,
    )

    dataset = ResponseDataset.objects.get()
    assert dataset.contacted == 500
    assert dataset.period_end == dt.date(2026, 5, 31)
    text = response.content.decode()
    assert "网上问卷" in text
    assert "按用户类型分层" in text


def test_the_upload_form_refuses_a_period_that_ends_before_it_starts(world, client):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    response = client.post(
        "/measurement/datasets/new/",
        {
            "title": "x",
            "scope": "industry",
            "survey_year": 2026,
            "scale_min": 1,
            "scale_max": 10,
            "period_start": "2026-05-31",
            "period_end": "2026-05-01",
            "data_file": SimpleUploadedFile("d.csv", renamed_csv("china", n=60)),
        },
    )

    assert "调查结束日期早于开始日期" in response.content.decode()
    assert ResponseDataset.objects.count() == 0
