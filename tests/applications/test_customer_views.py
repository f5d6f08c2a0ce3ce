"""The customer-list pages: who sees what (full or masked phones), uploading through the page,
the row-by-row report, the polling partial, the Excel downloads and the shared contacts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from manyi.accounts.roles import Role
from manyi.applications.customers import selectors as customer_selectors
from manyi.applications.customers import services as customer_lists
from manyi.applications.models import Customer, CustomerList, CustomerListStatus
from manyi.common.models import ActivityLog
from tests import xlsx_factory as xf
from tests.applications.test_customer_lists import (
    good_list,
    make_application,
    stored_files,
    submit,
    upload_list,
)

pytestmark = pytest.mark.django_db

FULL = "13900000001"
MASKED = "139****0001"


@pytest.fixture
def application(world):
    return make_application(world)


@pytest.fixture
def applicant(world):
    return world.users[Role.ENTERPRISE_USER]


@pytest.fixture
def accepted(django_capture_on_commit_callbacks, application, applicant, tmp_path):
    return upload_list(
        django_capture_on_commit_callbacks, application, applicant, good_list(tmp_path)
    )


@pytest.fixture
def submitted(world, accepted):
    """The accepted list of an application that has been submitted, so staff can see it."""
    submit(world, accepted.application)
    return accepted


def url(name, application, **query):
    path = reverse(f"applications:{name}", args=[application.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def make_list(application, by, count: int, *, start: int = 1) -> CustomerList:
    """An accepted, current list written straight to the database (for page-size tests)."""
    customer_list = CustomerList.objects.create(
        application=application,
        status=CustomerListStatus.ACCEPTED,
        is_current=True,
        original_name="名单.xlsx",
        sha256="0" * 64,
        row_count=count,
        progress=100,
        uploaded_by=by,
        finished_at=timezone.now(),
    )
    Customer.objects.bulk_create(
        Customer(
            customer_list=customer_list,
            row=i + 2,
            seq=str(i),
            name=f"用户{i}",
            phone=f"139{i:08d}",
            phone_normalized=f"139{i:08d}",
        )
        for i in range(start, start + count)
    )
    return customer_list


# --------------------------------------------------------------------------------------------
# The page: full numbers for the applicant and the committee, masked for everyone else


def test_the_applicant_sees_the_current_list_with_full_phones(client_for, accepted):
    response = client_for(Role.ENTERPRISE_USER).get(url("customers", accepted.application))
    assert response.status_code == 200
    html = response.content.decode()
    assert "广州市第1贸易有限公司" in html
    assert FULL in html
    assert MASKED not in html
    assert '<dd class="col-sm-4" id="current-count">35</dd>' in html
    assert "上传新名单" in html
    assert reverse("applications:customer_template", args=[accepted.application_id]) in html


@pytest.mark.parametrize(
    ("role", "full"),
    [
        (Role.COMMITTEE_STAFF, True),
        (Role.AGENCY_STAFF, False),
        (Role.ASSOCIATION_ADMIN, False),
        (Role.WORKDEPT_STAFF, False),
    ],
)
def test_staff_see_full_or_masked_phones(client_for, submitted, role, full):
    response = client_for(role).get(url("customers", submitted.application))
    assert response.status_code == 200
    html = response.content.decode()
    assert "广州市第1贸易有限公司" in html  # there is data that could leak
    assert (FULL in html) is full
    assert (MASKED in html) is not full
    assert "上传新名单" not in html
    assert "下载模板" not in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        (Role.EXPERT, 403),
        (Role.SURVEYOR, 403),
        ("outsider", 404),
        ("other_agency", 404),
        # A draft is the applicant's own: staff and the agency do not find it yet.
        (Role.COMMITTEE_STAFF, 404),
        (Role.AGENCY_STAFF, 404),
    ],
)
def test_others_do_not_see_a_draft_applications_list(client_for, world, accepted, who, expected):
    user = {"outsider": world.outsider, "other_agency": world.other_agency_staff}.get(who, who)
    for name in ("customers", "customer_status", "customer_download"):
        response = client_for(user).get(url(name, accepted.application))
        assert response.status_code == expected, name


def test_the_customer_table_is_paged_by_50(client_for, application, applicant):
    make_list(application, applicant, 60)
    client = client_for(Role.ENTERPRISE_USER)
    first = client.get(url("customers", application)).content.decode()
    second = client.get(url("customers", application, page=2)).content.decode()
    assert "用户50<" in first
    assert "用户51<" not in first
    assert "第 1 / 2 页" in first
    assert "用户51<" in second
    assert "用户60<" in second
    assert "用户50<" not in second


@pytest.mark.parametrize("role", [Role.ENTERPRISE_USER, Role.AGENCY_STAFF])
def test_the_customer_table_page_makes_the_same_queries_for_1_and_3_customers(
    client_for, world, application, applicant, role
):
    submit(world, application)
    client = client_for(role)

    def queries(count: int) -> int:
        CustomerList.objects.filter(application=application).delete()
        make_list(application, applicant, count)
        client.get(url("customers", application))  # warm the session and caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("customers", application))
        assert response.status_code == 200
        assert response.content.decode().count("用户") >= count
        return len(captured)

    assert queries(1) == queries(3)


# --------------------------------------------------------------------------------------------
# Uploading through the page


def test_the_applicant_uploads_a_good_list(
    client_for, application, django_capture_on_commit_callbacks, tmp_path
):
    client = client_for(Role.ENTERPRISE_USER)
    with (
        django_capture_on_commit_callbacks(execute=True),
        good_list(tmp_path).open("rb") as fh,
    ):
        response = client.post(url("customer_upload", application), {"file": fh})
    assert response.status_code == 302
    assert response["Location"] == url("customers", application)
    current = customer_selectors.current_list(application)
    assert current is not None
    assert current.row_count == 35
    page = client.get(url("customers", application)).content.decode()
    assert "用户名单已上传，正在检查，请稍候" in page
    assert "已通过检查" not in page  # the current one
    assert "广州市第35贸易有限公司" in page


def test_a_rejected_upload_shows_the_row_by_row_report_to_the_applicant(
    client_for, accepted, django_capture_on_commit_callbacks, tmp_path
):
    rows = xf.customers(35)
    rows[4][5] = "12345"
    rows.append(list(rows[0]))
    bad = xf.write_workbook(tmp_path / "坏名单.xlsx", rows)
    client = client_for(Role.ENTERPRISE_USER)
    with django_capture_on_commit_callbacks(execute=True), bad.open("rb") as fh:
        client.post(url("customer_upload", accepted.application), {"file": fh})
    html = client.get(url("customers", accepted.application)).content.decode()
    assert "“坏名单.xlsx”未通过检查，未导入任何用户。" in html
    assert "当前名单保持不变。" in html
    assert '<table class="table table-sm table-bordered" id="error-report">' in html
    assert '<th scope="col" class="text-nowrap">行</th>' in html
    assert "第7行：联系电话“12345”格式不正确" in html
    assert "第38行：与第3行重复（用户名称和联系电话都相同）" in html
    assert '<td class="text-nowrap">7</td><td class="text-nowrap">联系电话</td>' in html
    # The current list is still shown, with its 35 customers.
    assert 'id="current-count">35<' in html


def test_staff_see_that_an_upload_failed_but_not_its_phone_numbers(client_for, world, accepted):
    rejected = CustomerList.objects.create(
        application=accepted.application,
        status=CustomerListStatus.REJECTED,
        original_name="坏名单.xlsx",
        sha256="0" * 64,
        uploaded_by=accepted.uploaded_by,
        errors=[
            {"row": 5, "column": "联系电话", "message": "第5行：联系电话 13911112222 与第4行相同"}
        ],
    )
    submit(world, accepted.application)
    html = (
        client_for(Role.AGENCY_STAFF).get(url("customers", rejected.application)).content.decode()
    )
    assert "未通过检查" in html
    assert "13911112222" not in html
    assert "error-report" not in html
    html = (
        client_for(Role.COMMITTEE_STAFF)
        .get(url("customers", rejected.application))
        .content.decode()
    )
    assert "13911112222" in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), (Role.AGENCY_STAFF, 403), (Role.COMMITTEE_STAFF, 403), ("outsider", 404)],
)
def test_only_the_applicant_may_upload(client_for, world, application, tmp_path, who, expected):
    user = world.outsider if who == "outsider" else who
    with good_list(tmp_path).open("rb") as fh:
        response = client_for(user).post(url("customer_upload", application), {"file": fh})
    assert response.status_code == expected
    assert not CustomerList.objects.exists()
    assert stored_files() == set()


def test_no_upload_after_submission(client_for, world, application, tmp_path):
    submit(world, application)
    client = client_for(Role.ENTERPRISE_USER)
    page = client.get(url("customers", application)).content.decode()
    assert "上传用户名单" not in page
    assert "申报已提交或已截止，不能更换用户名单。" in page
    with good_list(tmp_path).open("rb") as fh:
        response = client.post(url("customer_upload", application), {"file": fh})
    assert response.status_code == 200
    assert "申报已提交" in response.content.decode()
    assert not CustomerList.objects.exists()
    assert stored_files() == set()


def test_uploading_without_a_file_redisplays_the_form(client_for, application):
    response = client_for(Role.ENTERPRISE_USER).post(url("customer_upload", application), {})
    assert response.status_code == 200
    assert "该字段是必填项" in response.content.decode()


def test_the_upload_url_takes_no_get(client_for, application):
    assert (
        client_for(Role.ENTERPRISE_USER).get(url("customer_upload", application)).status_code == 405
    )


# --------------------------------------------------------------------------------------------
# The progress partial


def test_the_status_partial_polls_while_checking_and_reloads_when_done(
    client_for, application, applicant, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=False):
        queued = customer_lists.upload_customer_list(
            application=application,
            by=applicant,
            upload=customer_lists_upload(good_list(tmp_path)),
        )
    client = client_for(Role.ENTERPRISE_USER)
    page = client.get(url("customers", application)).content.decode()
    status_url = url("customer_status", application)
    assert f'hx-get="{status_url}" hx-trigger="every 1s"' in page
    assert '<progress class="w-100" max="100" value="0"' in page
    assert "style=" not in page
    partial = client.get(status_url, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in partial
    assert 'value="0"' in partial.content.decode()

    customer_lists.run_import(customer_list=queued)
    done = client.get(status_url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "hx-get" not in done.content.decode()


def customer_lists_upload(path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(path.name, path.read_bytes())


# --------------------------------------------------------------------------------------------
# Downloads


def _sheet_rows(response) -> list[tuple]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("role", "full"),
    [
        (Role.ENTERPRISE_USER, True),
        (Role.COMMITTEE_STAFF, True),
        (Role.AGENCY_STAFF, False),
        (Role.ASSOCIATION_ADMIN, False),
        (Role.WORKDEPT_STAFF, False),
    ],
)
def test_the_excel_download_masks_per_role_and_is_logged(client_for, world, submitted, role, full):
    response = client_for(role).get(url("customer_download", submitted.application))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = _sheet_rows(response)
    assert rows[0][0] == f"申报企业名称：{submitted.application.organisation.name}"
    phones = [row[5] for row in rows[2:]]
    assert len(phones) == 35
    assert (FULL in phones) is full
    assert (MASKED in phones) is not full
    entry = ActivityLog.objects.get(action="customer_list.export")
    assert entry.actor == world.users[role]
    assert entry.after == {"rows": 35, "masked": not full}
    assert entry.object_id == str(submitted.pk)


def test_no_download_without_an_accepted_list(client_for, application):
    assert (
        client_for(Role.ENTERPRISE_USER).get(url("customer_download", application)).status_code
        == 404
    )


def test_the_template_download_has_the_applicants_name(client_for, world, application):
    response = client_for(Role.ENTERPRISE_USER).get(url("customer_template", application))
    assert response.status_code == 200
    rows = _sheet_rows(response)
    assert rows[0][0] == "申报企业名称：珠江家电有限公司"
    assert rows[2][:6] == (
        "序号",
        "用户名称或企业名称",
        "详细地址",
        "联系部门",
        "联系人",
        "联系电话",
    )
    submit(world, application)
    assert (
        client_for(Role.AGENCY_STAFF).get(url("customer_template", application)).status_code == 403
    )
    assert client_for(world.outsider).get(url("customer_template", application)).status_code == 404


# --------------------------------------------------------------------------------------------
# Shared contacts


@pytest.fixture
def two_lists(world, application, django_capture_on_commit_callbacks, tmp_path):
    """world.enterprise and world.other_enterprise both list the customer with 13900000007."""
    other = make_application(
        world,
        campaign=application.campaign,
        organisation=world.other_enterprise,
        created_by=world.outsider,
    )
    upload_list(
        django_capture_on_commit_callbacks,
        application,
        world.users[Role.ENTERPRISE_USER],
        good_list(tmp_path, 35, name="a.xlsx"),
    )
    upload_list(
        django_capture_on_commit_callbacks,
        other,
        world.outsider,
        good_list(tmp_path, 35, start=7, name="b.xlsx"),
    )
    return application.campaign


def test_shared_contacts_lists_a_phone_on_two_applicants_lists(client_for, two_lists):
    response = client_for(Role.COMMITTEE_STAFF).get(
        reverse("applications:shared_contacts"), {"year": two_lists.year}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "13900000007" in html
    assert "13900000035" in html
    assert "13900000006" not in html
    assert "13900000036" not in html  # on one list only
    assert "珠江家电有限公司" in html
    assert "白云装饰工程有限公司" in html
    assert "广州市第7贸易有限公司 · 陈先生 · 珠江家电有限公司" in html


def test_shared_contacts_are_masked_for_the_association_and_hidden_from_others(
    client_for, world, two_lists
):
    html = client_for(Role.ASSOCIATION_ADMIN).get(reverse("applications:shared_contacts")).content
    html = html.decode()
    assert "139****0007" in html
    assert "13900000007" not in html
    for role in (Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT):
        assert client_for(role).get(reverse("applications:shared_contacts")).status_code == 403
    other_year = client_for(Role.COMMITTEE_STAFF).get(
        reverse("applications:shared_contacts"), {"year": 2019}
    )
    assert other_year.status_code == 404


def test_shared_contacts_without_any_campaign(client_for):
    response = client_for(Role.COMMITTEE_STAFF).get(reverse("applications:shared_contacts"))
    assert response.status_code == 200
    assert "尚无申报活动" in response.content.decode()


def test_the_warnings_of_an_accepted_list_are_shown_with_it(
    client_for, application, django_capture_on_commit_callbacks, tmp_path
):
    rows = xf.customers(35)
    rows[4][0] = 1
    path = xf.write_workbook(tmp_path / "repeated.xlsx", rows)
    upload_list(
        django_capture_on_commit_callbacks,
        application,
        application.created_by,
        path,
    )

    html = client_for(Role.ENTERPRISE_USER).get(url("customers", application)).content.decode()

    assert 'id="warning-report"' in html
    assert "第7行：序号“1”与第3行重复，请核对是否漏填或重复填写了用户" in html


def test_a_list_without_warnings_shows_no_warning_table(client_for, accepted):
    html = client_for(Role.ENTERPRISE_USER).get(url("customers", accepted.application)).content
    assert 'id="warning-report"' not in html.decode()


def test_full_phones_are_said_to_be_full_and_why(client_for, accepted):
    html = client_for(Role.ENTERPRISE_USER).get(url("customers", accepted.application)).content

    assert "联系电话显示完整号码（您有权查看），仅限用于用户满意度调查，请勿外传。" in html.decode()
