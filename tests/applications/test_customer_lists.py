"""The customer list (附件3) is imported whole or not at all, and replaces the old one only
once it is valid. Real .xlsx files, built in each test's own folder; the worker task runs
in-line when the upload's transaction commits."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from manyi.accounts.roles import Role
from manyi.applications.customers import progress as customer_progress
from manyi.applications.customers import selectors as customer_selectors
from manyi.applications.customers import services as customer_lists
from manyi.applications.models import Application, Customer, CustomerList, CustomerListStatus
from manyi.applications.services import move_application
from manyi.applications.states import Status
from manyi.campaigns import services as campaign_services
from manyi.campaigns.models import CampaignCategory, CampaignStatus
from manyi.common.models import ActivityLog, OutboxMessage
from tests import xlsx_factory as xf
from tests.applications.helpers import first_agency

pytestmark = pytest.mark.django_db

COMPANY = "广州市示例电器有限公司"


# --------------------------------------------------------------------------------------------
# Helpers shared with the view and browser tests


def open_campaign(world):
    """A published campaign whose window is open now, with the five categories."""
    staff = world.users[Role.COMMITTEE_STAFF]
    now = timezone.now()
    campaign = campaign_services.create_campaign(
        by=staff,
        year=now.year,
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=60),
    )
    campaign_services.move_campaign(campaign=campaign, to=CampaignStatus.PUBLISHED, by=staff)
    return campaign


def make_application(world, *, campaign=None, organisation=None, created_by=None) -> Application:
    """A draft application in the enterprise category (world.enterprise unless told)."""
    organisation = organisation or world.enterprise
    return Application.objects.create(
        campaign=campaign or open_campaign(world),
        category="enterprise",
        organisation=organisation,
        agency=first_agency(organisation),
        created_by=created_by or world.users[Role.ENTERPRISE_USER],
    )


def submit(world, application) -> Application:
    """Submitted to the agency (the full submission checks are tested elsewhere)."""
    return move_application(
        application=application, to=Status.SUBMITTED, by=world.users[Role.ENTERPRISE_USER]
    )


def as_upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def upload_list(capture, application, user, path: Path, name: str | None = None) -> CustomerList:
    """Upload as the view does; the queued import runs when the transaction commits."""
    with capture(execute=True):
        customer_list = customer_lists.upload_customer_list(
            application=application, by=user, upload=as_upload(path, name)
        )
    customer_list.refresh_from_db()
    return customer_list


def good_list(tmp_path: Path, count: int = 35, start: int = 1, name: str = "good.xlsx") -> Path:
    return xf.write_workbook(tmp_path / name, xf.customers(count, start))


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / customer_lists.FOLDER
    return {p.name for p in root.iterdir()} if root.exists() else set()


@pytest.fixture
def application(world):
    return make_application(world)


@pytest.fixture
def applicant(world):
    return world.users[Role.ENTERPRISE_USER]


@pytest.fixture
def upload(django_capture_on_commit_callbacks, application, applicant):
    def do(path: Path, *, name: str | None = None, by=None, to=None) -> CustomerList:
        return upload_list(
            django_capture_on_commit_callbacks, to or application, by or applicant, path, name
        )

    return do


# --------------------------------------------------------------------------------------------
# A good list


def test_a_good_list_is_imported_completely_and_becomes_current(
    upload, application, applicant, world, tmp_path
):
    customer_list = upload(good_list(tmp_path), name="客户名单.xlsx")

    assert customer_list.status == CustomerListStatus.ACCEPTED
    assert customer_list.is_current
    assert customer_list.row_count == 35
    assert customer_list.progress == 100
    assert customer_list.company_name == COMPANY
    assert customer_list.errors == []
    assert customer_list.original_name == "客户名单.xlsx"
    assert customer_list.finished_at
    customers = list(customer_list.customers.order_by("row"))
    assert len(customers) == 35
    first = customers[0]
    assert (first.row, first.seq, first.name, first.phone, first.phone_normalized) == (
        3,
        "1",
        "广州市第1贸易有限公司",
        "13900000001",
        "13900000001",
    )
    assert customer_selectors.current_list(application) == customer_list
    actions = set(
        ActivityLog.objects.filter(
            object_type="applications.customerlist", object_id=str(customer_list.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {"customer_list.upload", "customer_list.accept"}
    # The accepted file is kept (under a random name); no progress note is left behind.
    assert stored_files() == {Path(customer_list.file_path).name}
    assert customer_list.file_path.startswith("customer-lists/")
    assert Path(customer_list.file_path).stem != "good"
    mail = OutboxMessage.objects.filter(template="customer_list_accepted")
    assert {m.to for m in mail} == {applicant.email, world.colleague.email}
    assert "35 个用户" in mail[0].body_text


def test_a_second_valid_list_replaces_the_first(upload, application, tmp_path):
    first = upload(good_list(tmp_path, 35))
    second = upload(good_list(tmp_path, 40, start=100, name="new.xlsx"))
    first.refresh_from_db()

    assert second.is_current
    assert second.row_count == 40
    assert not first.is_current
    assert first.status == CustomerListStatus.ACCEPTED
    assert customer_selectors.current_list(application) == second
    assert CustomerList.objects.filter(application=application, is_current=True).count() == 1
    replaced = ActivityLog.objects.get(action="customer_list.accept", object_id=str(second.pk))
    assert replaced.before == {"current": [first.pk]}


def test_the_campaigns_minimum_applies(upload, application, tmp_path):
    CampaignCategory.objects.filter(campaign=application.campaign, category="enterprise").update(
        minimum_customers=40
    )
    customer_list = upload(good_list(tmp_path, 35))
    assert customer_list.status == CustomerListStatus.REJECTED
    assert customer_list.errors == [
        {"row": None, "column": None, "message": "有效用户只有 35 条，少于最低要求的 40 条"}
    ]


# --------------------------------------------------------------------------------------------
# Bad lists: rejected whole, nothing kept, the current list untouched


def _missing_header(tmp_path):
    return xf.write_workbook(tmp_path / "bad.xlsx", xf.customers(35), headers=None)


def _invalid_phones(tmp_path):
    rows = xf.customers(35)
    rows[4][5] = "12345"
    rows[9][5] = "83341934"
    return xf.write_workbook(tmp_path / "bad.xlsx", rows)


def _duplicates(tmp_path):
    rows = xf.customers(35)
    rows.append(list(rows[0]))
    return xf.write_workbook(tmp_path / "bad.xlsx", rows)


def _too_few(tmp_path):
    return xf.write_workbook(tmp_path / "bad.xlsx", xf.customers(10))


def _zip_bomb(tmp_path):
    return xf.zip_bomb(tmp_path / "bad.xlsx", megabytes=60)


def _renamed_png(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_missing_header, [(None, None, "未找到表头行。请使用系统提供的模板")]),
        (
            _invalid_phones,
            [
                (7, "联系电话", "第7行：联系电话“12345”格式不正确"),
                (12, "联系电话", "第12行：联系电话“83341934”缺少区号"),
            ],
        ),
        (_duplicates, [(38, None, "第38行：与第3行重复（用户名称和联系电话都相同）")]),
        (_too_few, [(None, None, "有效用户只有 10 条，少于最低要求的 30 条")]),
        (_zip_bomb, [(None, None, "文件解压后过大，疑似压缩炸弹，已拒绝")]),
        (_renamed_png, [(None, None, "文件不是有效的 Excel（.xlsx）文件（看起来是PNG 图片）")]),
    ],
    ids=["missing-header", "invalid-phones", "duplicates", "too-few", "zip-bomb", "renamed-png"],
)
def test_a_bad_list_is_rejected_row_by_row_and_leaves_nothing(
    upload, application, applicant, tmp_path, make, expected
):
    current = upload(good_list(tmp_path))
    files_before = stored_files()

    rejected = upload(make(tmp_path))

    assert rejected.status == CustomerListStatus.REJECTED
    assert not rejected.is_current
    assert len(rejected.errors) == len(expected)
    for error, (row, column, message) in zip(rejected.errors, expected, strict=True):
        assert (error["row"], error["column"]) == (row, column)
        assert error["message"].startswith(message), error["message"]
    assert not rejected.customers.exists()
    assert rejected.row_count == 0
    # The previous list is still the current one, with all its customers.
    current.refresh_from_db()
    assert current.is_current
    assert current.customers.count() == 35
    assert customer_selectors.current_list(application) == current
    # No file of the rejected upload (nor a progress note) is left in MEDIA_ROOT.
    assert rejected.file_path == ""
    assert stored_files() == files_before
    assert ActivityLog.objects.filter(action="customer_list.reject", object_id=str(rejected.pk))
    mail = OutboxMessage.objects.get(template="customer_list_rejected", to=applicant.email)
    assert "未通过检查" in mail.subject
    assert "未导入任何用户" in mail.body_text


def test_a_rejected_first_upload_leaves_no_current_list(upload, application, tmp_path):
    rejected = upload(_too_few(tmp_path))
    assert rejected.status == CustomerListStatus.REJECTED
    assert customer_selectors.current_list(application) is None
    assert stored_files() == set()
    assert not Customer.objects.exists()


# --------------------------------------------------------------------------------------------
# Who may upload, and when


@pytest.mark.parametrize("who", [Role.AGENCY_STAFF, Role.COMMITTEE_STAFF, "outsider"])
def test_only_the_applicants_users_may_upload(world, application, tmp_path, who):
    user = world.outsider if who == "outsider" else world.users[who]
    with pytest.raises(PermissionDenied):
        customer_lists.upload_customer_list(
            application=application, by=user, upload=as_upload(good_list(tmp_path))
        )
    assert not CustomerList.objects.exists()
    assert stored_files() == set()


def test_a_colleague_may_upload(upload, world, tmp_path):
    assert upload(good_list(tmp_path), by=world.colleague).is_current


def test_no_upload_after_submission(world, application, applicant, tmp_path):
    submit(world, application)
    with pytest.raises(ValidationError, match="申报已提交"):
        customer_lists.upload_customer_list(
            application=application, by=applicant, upload=as_upload(good_list(tmp_path))
        )
    assert not CustomerList.objects.exists()
    assert stored_files() == set()


def test_no_upload_after_the_campaign_closes(world, application, applicant, tmp_path):
    application.campaign.__class__.objects.filter(pk=application.campaign_id).update(
        closes_at=timezone.now() - timedelta(days=1)
    )
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="申报已截止"):
        customer_lists.upload_customer_list(
            application=application, by=applicant, upload=as_upload(good_list(tmp_path))
        )


def test_a_file_over_20_mb_is_refused_before_it_is_stored(application, applicant):
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + bytes(20 * 1024 * 1024))
    with pytest.raises(ValidationError, match="文件超过 20 MB"):
        customer_lists.upload_customer_list(application=application, by=applicant, upload=big)
    assert not CustomerList.objects.exists()
    assert stored_files() == set()


# --------------------------------------------------------------------------------------------
# All or nothing, once, in order


def _queued(django_capture_on_commit_callbacks, application, applicant, path) -> CustomerList:
    """An upload whose import has not run yet (the commit's callbacks are dropped)."""
    with django_capture_on_commit_callbacks(execute=False):
        return customer_lists.upload_customer_list(
            application=application, by=applicant, upload=as_upload(path)
        )


def test_running_the_import_twice_imports_once(
    django_capture_on_commit_callbacks, application, applicant, tmp_path
):
    queued = _queued(
        django_capture_on_commit_callbacks, application, applicant, good_list(tmp_path)
    )
    assert queued.status == CustomerListStatus.CHECKING
    assert not queued.is_current
    first = customer_lists.run_import(customer_list=CustomerList.objects.get(pk=queued.pk))
    # A retried task holding the old "checking" instance must not insert again.
    again = customer_lists.run_import(customer_list=queued)
    assert first.status == again.status == CustomerListStatus.ACCEPTED
    assert Customer.objects.count() == 35
    assert ActivityLog.objects.filter(action="customer_list.accept").count() == 1


def test_a_crash_during_the_insert_leaves_no_partial_rows(
    upload, django_capture_on_commit_callbacks, application, applicant, tmp_path, monkeypatch
):
    current = upload(good_list(tmp_path))
    queued = _queued(
        django_capture_on_commit_callbacks, application, applicant, good_list(tmp_path, 40, 500)
    )
    monkeypatch.setattr(customer_lists, "BATCH_SIZE", 10)
    calls = []

    def crash_after_two_batches(path, percent):
        calls.append(percent)
        if len(calls) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(customer_lists, "write_progress_note", crash_after_two_batches)
    result = customer_lists.run_import(customer_list=queued)

    assert result.status == CustomerListStatus.REJECTED
    assert result.errors[0]["message"] == "保存用户名单时出错，未导入任何用户，请重新上传"
    assert not result.customers.exists()  # the 20 rows inserted before the crash are gone
    current.refresh_from_db()
    assert current.is_current
    assert Customer.objects.count() == 35
    assert stored_files() == {Path(current.file_path).name}


def test_progress_is_visible_while_the_insert_transaction_is_open(
    django_capture_on_commit_callbacks, application, applicant, tmp_path, monkeypatch
):
    """The page reads progress through the note file, not through the uncommitted row."""
    queued = _queued(
        django_capture_on_commit_callbacks, application, applicant, good_list(tmp_path)
    )
    monkeypatch.setattr(customer_lists, "BATCH_SIZE", 10)
    write = customer_progress.write_progress_note
    seen = []

    def write_and_look(path, percent):
        write(path, percent)
        # What a polling request would see: the committed row says 65, the note says more.
        row = CustomerList.objects.get(pk=queued.pk)
        seen.append((row.progress, customer_progress.import_progress(row)))

    monkeypatch.setattr(customer_lists, "write_progress_note", write_and_look)
    customer_lists.run_import(customer_list=queued)

    assert seen == [(65, 74), (65, 84), (65, 94), (65, 99)]
    queued.refresh_from_db()
    assert customer_progress.import_progress(queued) == 100
    assert stored_files() == {Path(queued.file_path).name}


def test_a_list_accepted_late_does_not_displace_a_newer_one(
    django_capture_on_commit_callbacks, application, applicant, tmp_path
):
    older = _queued(django_capture_on_commit_callbacks, application, applicant, good_list(tmp_path))
    newer = _queued(
        django_capture_on_commit_callbacks, application, applicant, good_list(tmp_path, 36, 300)
    )
    customer_lists.run_import(customer_list=newer)
    late = customer_lists.run_import(customer_list=older)
    newer.refresh_from_db()
    assert newer.is_current
    assert late.status == CustomerListStatus.ACCEPTED
    assert not late.is_current
    assert customer_selectors.current_list(application) == newer


# --------------------------------------------------------------------------------------------
# Export and template


def _rows_of(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_workbook_masks_phones_on_request_and_is_formula_safe(upload, tmp_path):
    rows = xf.customers(35)
    rows[1][5] = "020-83341934-807"
    path = xf.write_workbook(tmp_path / "list.xlsx", rows)
    book = load_workbook(path)
    hostile = book.active["B3"]
    # A text cell that a spreadsheet would run as a formula if written back carelessly.
    hostile.value, hostile.data_type = '=HYPERLINK("http://evil.example","点我")', "s"
    book.save(path)
    customer_list = upload(path)
    assert customer_list.is_current, customer_list.errors

    full = _rows_of(customer_selectors.customer_list_workbook(customer_list, masked=False))
    masked = _rows_of(customer_selectors.customer_list_workbook(customer_list, masked=True))

    assert full[0] == (f"申报企业名称：{world_name(customer_list)}",) + (None,) * 5
    assert full[1] == ("序号", "用户名称或企业名称", "详细地址", "联系部门", "联系人", "联系电话")
    assert len(full) == 2 + 35
    assert full[2][1] == '=HYPERLINK("http://evil.example","点我")'  # text, not a formula
    sheet = load_workbook(
        io.BytesIO(customer_selectors.customer_list_workbook(customer_list, masked=False))
    ).active
    assert sheet["B3"].data_type == "s"
    assert full[2][5] == "13900000001"
    assert masked[2][5] == "139****0001"
    assert full[3][5] == "020-83341934-807"
    assert masked[3][5] == "020-****1934"
    assert not any("13900000001" in str(cell) for row in masked for cell in row)


def world_name(customer_list) -> str:
    return customer_list.application.organisation.name


def test_export_masks_by_reader_and_is_logged(upload, world, tmp_path):
    customer_list = upload(good_list(tmp_path))
    submit(world, customer_list.application)
    for role, masked in [
        (Role.ENTERPRISE_USER, False),
        (Role.COMMITTEE_STAFF, False),
        (Role.AGENCY_STAFF, True),
        (Role.ASSOCIATION_ADMIN, True),
        (Role.WORKDEPT_STAFF, True),
    ]:
        data = customer_lists.export_customer_list(
            customer_list=customer_list, by=world.users[role]
        )
        phones = [row[5] for row in _rows_of(data)[2:]]
        assert ("13900000001" in phones) is not masked, role
        entry = ActivityLog.objects.filter(action="customer_list.export").latest("pk")
        assert entry.actor == world.users[role]
        assert entry.after["masked"] is masked


def test_the_template_carries_the_applicants_name(application):
    rows = _rows_of(customer_selectors.customer_template(application))
    assert rows[0][0] == f"申报企业名称：{application.organisation.name}"
    assert rows[2] == ("序号", "用户名称或企业名称", "详细地址", "联系部门", "联系人", "联系电话")


# --------------------------------------------------------------------------------------------
# Warnings of an accepted list, and the worker's memory


def test_an_accepted_list_keeps_the_checks_warnings(upload, tmp_path):
    rows = xf.customers(35)
    rows[4][0] = 1
    path = xf.write_workbook(tmp_path / "repeated.xlsx", rows)

    customer_list = upload(path)

    assert customer_list.status == CustomerListStatus.ACCEPTED
    assert customer_list.errors == [
        {
            "row": 7,
            "column": "序号",
            "message": "第7行：序号“1”与第3行重复，请核对是否漏填或重复填写了用户",
            "level": "warning",
        }
    ]
    entry = ActivityLog.objects.get(action="customer_list.accept", object_id=str(customer_list.pk))
    assert entry.after["warnings"] == 1


def test_full_width_phones_and_sequence_numbers_are_stored_as_ascii(upload, tmp_path):
    rows = xf.customers(35)
    rows[0][0] = "１"
    rows[0][5] = "１３８００１３８０００"

    customer_list = upload(xf.write_workbook(tmp_path / "wide.xlsx", rows))

    first = customer_list.customers.get(row=3)
    assert (first.seq, first.phone) == ("1", "13800138000")


def test_a_worker_is_replaced_after_a_task_that_grew_it():
    from django_q.conf import Conf

    # django-q compares ru_maxrss (KiB) with this after each task and recycles the worker.
    assert Conf.MAX_RSS == 160 * 1024
