"""Exports of a survey's responses: CSV, Excel and SPSS, read back; no personal data; logged."""

import codecs
import csv
import io

import openpyxl
import pyreadstat
import pytest
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.applications.models import Customer
from manyi.common.models import ActivityLog
from manyi.fieldwork.models import Response
from manyi.fieldwork.results.exports import hide_contact_details
from tests.fieldwork.results_helpers import answered_survey

pytestmark = pytest.mark.django_db

FIXED = [
    "response_id",
    "position",
    "channel",
    "stratum",
    "submitted_at",
    "duration_seconds",
    "qc_status",
    "qc_flags",
    "screening",
    "complaint",
]
TYPED = "请致电 139 1234 5678 或写信 someone@example.cn"


@pytest.fixture
def survey(world):
    """In the field, so the contacts still hold e-mail addresses that could leak; one open
    answer holds a phone number and an e-mail address the respondent typed."""
    survey = answered_survey(world, n=12)
    response = survey.responses.order_by("pk").first()
    Response.objects.filter(pk=response.pk).update(
        answers={**response.answers, "suggestion": TYPED}, suggestion=TYPED
    )
    assert survey.contacts.exclude(email="").exists()
    return survey


def export(client_for, survey, file_format, role=Role.COMMITTEE_STAFF):
    url = reverse("fieldwork:export_responses", args=[survey.pk])
    return client_for(role).get(url, {"format": file_format})


def personal_data(world, survey) -> list[str]:
    customers = Customer.objects.filter(survey_contacts__survey=survey)
    interviewer = world.users[Role.SURVEYOR]
    return [
        *customers.values_list("phone", flat=True),
        *customers.values_list("name", flat=True),
        *customers.values_list("contact", flat=True),
        *survey.contacts.exclude(email="").values_list("email", flat=True),
        interviewer.email,
        interviewer.display_name,
        "someone@example.cn",
        "5678",
    ]


def assert_no_personal_data(world, survey, text: str):
    leaked = [value for value in personal_data(world, survey) if value and value in text]
    assert leaked == []


def test_csv_opens_in_excel_and_holds_every_answer(world, client_for, survey):
    response = export(client_for, survey, "csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="survey-{survey.pk}-responses.csv"'
    )
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:10] == FIXED
    assert "q_sat1" in rows[0]
    assert len(rows) == 12
    assert {row["q_value2"] for row in rows} >= {"99"}  # 不清楚/不适用
    assert {row["screening"] for row in rows} == {"1"}
    assert "***" in text
    assert_no_personal_data(world, survey, text)


def test_excel_export_reads_back(world, client_for, survey):
    response = export(client_for, survey, "xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.values)
    assert list(rows[0][:10]) == FIXED
    assert len(rows) == 13
    assert_no_personal_data(world, survey, "\n".join(str(c) for row in rows for c in row))


def test_spss_export_has_variable_and_value_labels(world, client_for, survey, tmp_path):
    response = export(client_for, survey, "sav")

    path = tmp_path / "responses.sav"
    path.write_bytes(response.content)
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert list(frame.columns[:10]) == FIXED
    assert len(frame) == 12
    assert meta.column_names_to_labels["q_sat1"] == "总体满意度"
    assert meta.variable_value_labels["q_sat1"][99] == "不清楚/不适用"
    assert meta.variable_value_labels["q_sat1"][10] == "非常满意"
    assert meta.variable_value_labels["complaint"] == {0: "否", 1: "是"}
    assert meta.missing_ranges["q_sat1"] == [{"lo": 99, "hi": 99}]
    assert 99 in set(frame["q_value2"])
    text = "\n".join(str(v) for v in frame.astype(str).to_numpy().ravel())
    assert_no_personal_data(world, survey, text)


def test_every_export_is_logged_with_format_and_rows(client_for, survey):
    for file_format in ("csv", "xlsx", "sav"):
        export(client_for, survey, file_format)

    entries = ActivityLog.objects.filter(action="survey.export_responses", object_id=survey.pk)
    assert sorted(e.after["format"] for e in entries) == ["csv", "sav", "xlsx"]
    assert {e.after["rows"] for e in entries} == {12}


def test_an_unknown_format_is_a_message_and_nothing_is_logged(client_for, survey):
    response = export(client_for, survey, "pdf")

    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        "不支持该导出格式，请选择 CSV、Excel 或 SPSS"
    ]
    assert not ActivityLog.objects.filter(action="survey.export_responses").exists()


def test_the_firms_manager_exports_and_its_interviewer_and_the_applicant_do_not(client_for, survey):
    assert export(client_for, survey, "csv", Role.SURVEY_MANAGER).status_code == 200
    assert export(client_for, survey, "csv", Role.SURVEYOR).status_code == 403
    assert export(client_for, survey, "csv", Role.ENTERPRISE_USER).status_code == 403


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        ("请致电 139 1234 5678 或写信 someone@example.cn", "请致电 *** 或写信 ***"),
        ("电话020-87654321", "电话***"),
        ("+86 13912345678", "***"),
        ("2024-05-01 投诉过一次", "2024-05-01 投诉过一次"),  # a date stays
        ("买了 3 台，共 1500 元", "买了 3 台，共 1500 元"),
    ],
)
def test_contact_details_typed_into_an_open_answer_are_hidden(typed, exported):
    assert hide_contact_details(typed) == exported
