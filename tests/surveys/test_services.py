"""Data sets are checked before they are kept; runs compute exactly what the engine computes."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.surveys import selectors, services
from manyi.surveys.datasets import DatasetRejected
from manyi.surveys.models import MeasurementRun, ResponseDataset, Visibility
from tests.surveys.conftest import survey_csv

pytestmark = pytest.mark.django_db


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "datasets"
    return set(root.glob("*")) if root.exists() else set()


def upload(world, content: bytes, name="data.csv", role=Role.COMMITTEE_STAFF, **kwargs):
    options = {"title": "测评", "scope": "industry", "industry": "", "survey_year": 2026, **kwargs}
    return services.upload_dataset(
        by=world.users[role], upload=SimpleUploadedFile(name, content), **options
    )


def test_a_good_csv_is_kept_with_its_metadata(dataset, world):
    assert dataset.n_rows == 240
    assert dataset.group_column == "企业"
    assert dataset.group_labels == ["企业G01", "企业G02", "企业G03"]
    assert "sat1" in dataset.numeric_columns
    assert "企业" not in dataset.numeric_columns
    assert dataset.organisation == world.committee
    assert len(dataset.sha256) == 64
    assert ActivityLog.objects.filter(action="dataset.upload", object_id=str(dataset.pk)).exists()


def test_gb18030_csv_and_xlsx_are_read(world):
    gbk = survey_csv(groups=2).decode("utf-8").encode("gb18030")
    assert upload(world, gbk, group_column="企业").n_rows == 240
    text = survey_csv(groups=0).decode()
    book = Workbook()
    sheet = book.active
    for line in text.strip().splitlines():
        sheet.append([int(v) if v.isdigit() else v for v in line.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    dataset = upload(world, buffer.getvalue(), name="data.xlsx")
    assert dataset.file_format == "xlsx"
    assert dataset.n_rows == 240


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("名称,备注\n甲,乙\n".encode(), "没有可用于测评的数值变量"),
        (b"sat1,sat1\n1,2\n", "变量名重复"),
        (b"sat1,sat2\n3,x\n4,5\n", "不是数字"),
        (b"sat1,sat2\n3,11\n", "超出量表范围"),
        (b"sat1\n", "文件中没有数据"),
        (b"\x89PNG\r\n\x1a\n0000", "文件不是数据表"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "不接受旧版"),
        (b"PK\x03\x04broken zip", "Excel"),
    ],
)
def test_bad_files_are_refused_in_chinese_and_leave_nothing(world, content, message):
    before_files, before_rows = stored_files(), ResponseDataset.objects.count()
    with pytest.raises(DatasetRejected) as exc:
        upload(world, content)
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert ResponseDataset.objects.count() == before_rows
    assert stored_files() == before_files


def test_unknown_group_column_and_bad_dictionary(world, csv_bytes):
    with pytest.raises(DatasetRejected, match="找不到分组变量"):
        upload(world, csv_bytes, group_column="行业")
    dictionary = SimpleUploadedFile(
        "dict.csv", "变量名,说明\nsat1,总体满意度\nnot_a_column,？\n".encode()
    )
    with pytest.raises(DatasetRejected, match="数据字典中的变量在数据中不存在"):
        upload(world, csv_bytes, group_column="企业", dictionary_upload=dictionary)
    assert ResponseDataset.objects.count() == 0
    assert stored_files() == set()


def test_only_measuring_roles_upload(world, csv_bytes):
    for role in (Role.EXPERT, Role.WORKDEPT_STAFF):
        with pytest.raises(PermissionDenied):
            upload(world, csv_bytes, role=role)


def test_an_enterprise_upload_is_private_to_it(world, csv_bytes):
    """Art. 19: an enterprise measures for itself; the programme sees nothing until it shares."""
    dataset = upload(world, csv_bytes, role=Role.ENTERPRISE_USER)
    assert dataset.organisation == world.enterprise
    assert dataset.visibility == Visibility.PRIVATE
    assert selectors.datasets(world.users[Role.ENTERPRISE_USER]).filter(pk=dataset.pk).exists()
    for role in (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN, Role.AGENCY_STAFF):
        assert not selectors.datasets(world.users[role]).filter(pk=dataset.pk).exists()


def test_run_equals_the_engine_and_rerun_gives_the_same_numbers(
    dataset, world, run_options, django_capture_on_commit_callbacks
):
    staff = world.users[Role.COMMITTEE_STAFF]
    spec = measurement.load_preset("ecsi").to_dict()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_run(
            by=staff,
            dataset=dataset,
            title="ECSI",
            model_name="ecsi",
            model_spec=spec,
            options=run_options,
            seed=42,
        )
    run.refresh_from_db()  # tasks run in-line in tests: it is computed on commit
    assert run.status == "done", run.error_message
    from manyi.common.files import private_path
    from manyi.surveys.datasets import check_table, numeric_matrix, read_table

    check = check_table(
        read_table(private_path(dataset.file_path), "csv"),
        scale_min=1,
        scale_max=10,
        group_column="企业",
    )
    direct = measurement.fit(numeric_matrix(check, measurement.load_model(spec).indicators), spec)
    for lv, value in direct.to_dict()["index"].items():
        assert run.result["index"][lv] == pytest.approx(value, abs=1e-12)
    assert set(run.result["group_index"]) == {"企业G01", "企业G02", "企业G03"}
    assert run.bootstrap_result["resamples"] == 99
    assert run.bootstrap_result["seed"] == 42
    assert run.data_hash == dataset.sha256
    assert run.engine_version == measurement.ENGINE_VERSION
    with django_capture_on_commit_callbacks(execute=True):
        again = services.rerun(run=run, by=staff)
    again.refresh_from_db()
    assert again.rerun_of == run
    assert again.result == run.result
    assert again.bootstrap_result == run.bootstrap_result


def test_a_model_that_does_not_fit_the_data_is_refused_before_queuing(dataset, world, run_options):
    spec = {"blocks": {"A": ["sat1", "nope"], "B": ["loyal1"]}, "paths": [["A", "B"]]}
    with pytest.raises(ValidationError, match="数据中缺少模型需要的变量：nope"):
        services.request_run(
            by=world.users[Role.COMMITTEE_STAFF],
            dataset=dataset,
            title="x",
            model_name="custom",
            model_spec=spec,
            options=run_options,
            seed=1,
        )
    assert MeasurementRun.objects.count() == 0


def test_estimation_failure_is_recorded_in_chinese(
    world, run_options, django_capture_on_commit_callbacks
):
    content = "sat1,sat2,loyal1\n" + "".join(
        f"5,{i % 9 + 1},{(i * 7) % 9 + 1}\n" for i in range(40)
    )
    dataset = upload(world, content.encode())
    spec = {"blocks": {"S": ["sat1", "sat2"], "L": ["loyal1"]}, "paths": [["S", "L"]]}
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_run(
            by=world.users[Role.COMMITTEE_STAFF],
            dataset=dataset,
            title="x",
            model_name="custom",
            model_spec=spec,
            options=run_options,
            seed=1,
        )
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error_code == "constant_indicator"
    assert "指标没有变异" in run.error_message
    assert "sat1" in run.error_message


def test_a_changed_data_file_stops_the_run(
    dataset, world, run_options, django_capture_on_commit_callbacks
):
    from manyi.common.files import private_path

    private_path(dataset.file_path).write_bytes(survey_csv(seed=99))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_run(
            by=world.users[Role.COMMITTEE_STAFF],
            dataset=dataset,
            title="x",
            model_name="ecsi",
            model_spec=measurement.load_preset("ecsi").to_dict(),
            options=run_options,
            seed=1,
        )
    run.refresh_from_db()
    assert run.status == "failed"
    assert "指纹不一致" in run.error_message


def test_every_engine_error_code_has_a_chinese_message():
    from manyi.measurement import ERROR_CODES, ModelError
    from manyi.surveys.errors import model_error_message

    for code in ERROR_CODES:
        message = model_error_message(ModelError(code, "x", indicators=["sat1"]))
        assert message != "无法估计模型", code
        assert not message.isascii(), code


def _xlsx(rows, *, merges=(), sheets=()) -> bytes:
    """A data set as .xlsx; strings starting with "=" are formulas saved without results."""
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    for name, extra in sheets:
        book.create_sheet(name).append(extra)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _survey_rows(n=12) -> list[list]:
    return [["sat1", "sat2"], *[[1 + i % 9, 2 + i % 8] for i in range(n)]]


def test_merged_cells_in_a_data_set_are_refused_by_range(world):
    content = _xlsx(_survey_rows(), merges=["A3:A4"])

    with pytest.raises(DatasetRejected) as exc:
        upload(world, content, name="data.xlsx")

    assert exc.value.messages == [
        "表格中有合并单元格（A3:A4），请取消合并，使每个变量名和每个数据各占一个单元格后再上传"
    ]
    assert ResponseDataset.objects.count() == 0


def test_formulas_saved_without_results_are_refused_by_cell(world):
    rows = _survey_rows()
    rows[3][1] = "=A4+1"

    with pytest.raises(DatasetRejected) as exc:
        upload(world, _xlsx(rows), name="data.xlsx")

    assert exc.value.messages == [
        "表格中有 1 个公式单元格（如 B4）没有保存计算结果，系统读到的是空白。"
        "请在 Excel 中打开并保存该文件，或把公式转换为数值后再上传"
    ]


def test_a_second_visible_sheet_with_data_is_refused_by_name(world):
    content = _xlsx(_survey_rows(), sheets=[("说明", ["本表为2026年测评数据"])])

    with pytest.raises(DatasetRejected) as exc:
        upload(world, content, name="data.xlsx")

    assert exc.value.messages == [
        "文件中有 2 个可见的工作表含有数据（“数据”、“说明”），无法确定读取哪一个。"
        "请只保留一个含数据的工作表后再上传"
    ]


def test_the_same_file_again_is_kept_and_logged_with_the_earlier_one(dataset, world, csv_bytes):
    again = upload(world, csv_bytes, title="再次上传", group_column="企业")

    entry = ActivityLog.objects.get(action="dataset.upload", object_id=str(again.pk))
    assert again.sha256 == dataset.sha256
    assert entry.after["same_as"] == [dataset.pk]
    first = ActivityLog.objects.get(action="dataset.upload", object_id=str(dataset.pk))
    assert "same_as" not in first.after
