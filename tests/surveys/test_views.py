"""The report shows what the run computed; exports are logged; agencies see only their own."""

import json
import subprocess

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.surveys import services
from manyi.surveys.models import MeasurementRun
from tests.surveys.conftest import survey_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_run(dataset, world, run_options):
    run = services.request_run(
        by=world.users[Role.COMMITTEE_STAFF],
        dataset=dataset,
        title="行业报告",
        model_name="ecsi",
        model_spec=measurement.load_preset("ecsi").to_dict(),
        options=run_options,
        seed=7,
    )
    return services.execute_run(run=run)


def test_report_page_shows_indices_intervals_quality_ipa_and_groups(done_run, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    text = client.get(f"/measurement/runs/{done_run.pk}/").content.decode()
    sat = done_run.result["index"]["SAT"]
    low, high = done_run.bootstrap_result["index"]["SAT"]["bca"]
    assert f"{sat:.1f}" in text
    assert f"{low:.1f}–{high:.1f}" in text
    assert "用户满意度" in text
    assert "信度与效度" in text
    assert "通过" in text
    assert "重要性–表现分析" in text
    assert "企业G01" in text
    data = json.loads(
        text.split('id="chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert len(data["paths"]["links"]) == len(done_run.result["paths"])


def test_pdf_report_embeds_the_chinese_font(done_run, client, world, tmp_path):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    response = client.get(f"/measurement/runs/{done_run.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts
    assert " yes yes " in fonts  # embedded, subset
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    text = text.replace(" ", "")
    assert "用户满意度测评报告" in text
    assert "信度与效度" in text
    assert "第1页共" in text
    assert ActivityLog.objects.filter(
        action="measurement.export_pdf", object_id=str(done_run.pk)
    ).exists()


def test_report_names_the_model_and_settings_in_words(done_run, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    text = client.get(f"/measurement/runs/{done_run.pk}/").content.decode()
    assert "欧洲顾客满意指数模型（ECSI）" in text
    assert "路径加权 · 标准化数据 · 缺失值以均值替代" in text
    assert "standardized" not in text


def test_report_in_english_uses_the_model_s_english_names(done_run, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(f"/measurement/runs/{done_run.pk}/").content.decode()
    assert "User satisfaction" in text
    assert "Trustworthy" in text  # image1
    assert "用户满意度" not in text
    assert "Path weighting" in text
    assert "path · standardized · mean" not in text


def test_pdf_report_in_english_numbers_its_pages_in_english(done_run, client, world, tmp_path):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/measurement/runs/{done_run.pk}/report.pdf")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    text = text.replace(" ", "")
    assert "Page1of" in text
    assert "第1页" not in text
    assert "Randomseed:7" in text
    assert "Trustworthy" in text  # image1
    assert "用户满意度" not in text


def test_json_export_carries_what_recomputes_it(done_run, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    payload = json.loads(client.get(f"/measurement/runs/{done_run.pk}/result.json").content)
    assert payload["seed"] == 7
    assert payload["data_sha256"] == done_run.dataset.sha256
    assert payload["model"]["blocks"]
    assert payload["result"]["index"]
    assert ActivityLog.objects.filter(action="measurement.export_json").exists()


def test_agency_sees_only_its_own_data(world, client, done_run):
    agency_user = world.users[Role.AGENCY_STAFF]
    own = services.upload_dataset(
        by=agency_user,
        upload=SimpleUploadedFile("a.csv", survey_csv(n=80, groups=0)),
        title="本机构测评",
        scope="industry",
        industry="",
        survey_year=2026,
    )
    client.force_login(agency_user)
    listing = client.get("/measurement/").content.decode()
    assert "本机构测评" in listing
    assert "测试行业测评" not in listing
    assert client.get(f"/measurement/datasets/{own.pk}/").status_code == 200
    assert client.get(f"/measurement/runs/{done_run.pk}/").status_code == 404
    client.force_login(world.other_agency_staff)
    assert client.get(f"/measurement/datasets/{own.pk}/").status_code == 404


def test_upload_form_reports_every_problem_and_stores_nothing(world, client):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    bad = SimpleUploadedFile("bad.csv", b"sat1,sat2\n3,x\n40,5\n")
    response = client.post(
        "/measurement/datasets/new/",
        {
            "title": "坏数据",
            "scope": "industry",
            "survey_year": 2026,
            "scale_min": 1,
            "scale_max": 10,
            "data_file": bad,
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "未保存任何内容" in text
    assert "第2行" in text
    assert "不是数字" in text
    assert "第3行" in text
    assert "超出量表范围" in text


def test_run_form_refuses_bad_custom_json(dataset, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    response = client.post(
        f"/measurement/datasets/{dataset.pk}/",
        {
            "title": "x",
            "model_choice": "custom",
            "custom_model": "{not json",
            "scheme": "path",
            "scaling": "standardized",
            "missing": "mean",
            "resamples": 0,
            "seed": 1,
        },
    )
    assert response.status_code == 200
    assert "不是有效的 JSON" in response.content.decode()
    # A custom model naming an indicator the file lacks: the mapping screen has no column for it.
    response = client.post(
        f"/measurement/datasets/{dataset.pk}/mapping/",
        {
            "step": "run",
            "title": "x",
            "model_choice": "custom",
            "scheme": "path",
            "scaling": "standardized",
            "missing": "mean",
            "resamples": 0,
            "seed": 1,
            "custom_model": json.dumps(
                {"blocks": {"S": ["sat1", "sat2"], "L": ["ghost"]}, "paths": [["S", "L"]]}
            ),
            "column_0": "sat1",
            "column_1": "sat2",
            "column_2": "",
        },
    )
    assert response.status_code == 400
    assert "以下指标还没有选择对应的变量" in response.content.decode()
    assert not MeasurementRun.objects.exists()


def test_the_same_file_again_says_so_and_links_the_earlier_one(dataset, client, world, csv_bytes):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    response = client.post(
        "/measurement/datasets/new/",
        {
            "title": "再次上传",
            "scope": "industry",
            "survey_year": 2026,
            "scale_min": 1,
            "scale_max": 10,
            "group_column": "企业",
            "data_file": SimpleUploadedFile("again.csv", csv_bytes),
        },
        follow=True,
    )

    text = response.content.decode()
    assert "该文件与已上传的数据集“测试行业测评”完全相同（SHA-256 一致），请勿重复上传。" in text
    assert 'id="same-data"' in text
    assert f'href="/measurement/datasets/{dataset.pk}/"' in text


def test_a_data_set_with_its_own_file_shows_no_duplicate_notice(dataset, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    text = client.get(f"/measurement/datasets/{dataset.pk}/").content.decode()

    assert 'id="same-data"' not in text
