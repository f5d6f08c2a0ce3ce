"""After the event: materials checked by content (a refusal leaves no file), downloadable by
anyone once the event is public; practice shares; the registrations' export with attendance
for the organiser, logged."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.events.models import EventMaterial, PracticeShare
from manyi.events.services import after_event
from manyi.events.services import registration as registering
from tests.events.factories import make_event, register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\nstartxref\n0\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def office(main: str, *, content_types: str = "", extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            content_types or '<?xml version="1.0"?><Types xmlns="x"></Types>',
        )
        archive.writestr(main, "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def stored_files() -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def staff(world):
    return world.users[Role.AGENCY_STAFF]


def test_a_pdf_and_an_office_document_are_stored_and_logged(world, staff):
    event = make_event(world)

    pdf = after_event.add_material(
        event=event, by=staff, title="议程", upload=SimpleUploadedFile("议程.pdf", PDF)
    )
    slides = after_event.add_material(
        event=event,
        by=staff,
        title="发言稿",
        upload=SimpleUploadedFile("speech.docx", office("word/document.xml")),
    )

    assert pdf.content_type == "application/pdf"
    assert slides.content_type == DOCX
    assert slides.file.endswith(".docx")
    assert len(stored_files()) == 2
    assert ActivityLog.objects.filter(action="event.material_add").count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("slides.pdf", b"<html><script>alert(1)</script></html>", "文件内容不是"),
        ("cut.pdf", PDF[:-10], "已损坏"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Office"),
        ("empty.pdf", b"", "文件是空的"),
        ("archive.docx", office("other/thing.xml"), "文件内容不是"),
        (
            "macro.docx",
            office("word/document.xml", extra={"word/vbaProject.bin": b"\x00" * 10}),
            "含有宏",
        ),
        (
            "macro2.pptx",
            office(
                "ppt/presentation.xml",
                content_types='<Types><Default ContentType="application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"/></Types>',
            ),
            "含有宏",
        ),
    ],
)
def test_a_refused_file_leaves_nothing_behind(world, staff, name, content, message):
    event = make_event(world)

    with pytest.raises(ValidationError) as refused:
        after_event.add_material(
            event=event, by=staff, title="资料", upload=SimpleUploadedFile(name, content)
        )

    assert message in " ".join(refused.value.messages)
    assert not EventMaterial.objects.exists()
    assert stored_files() == []
    assert not ActivityLog.objects.filter(action="event.material_add").exists()


def test_a_material_of_a_published_event_is_downloadable_by_anyone(world, client, staff):
    event = make_event(world)
    material = after_event.add_material(
        event=event, by=staff, title="议程", upload=SimpleUploadedFile("a/../议程.html", PDF)
    )

    response = client.get(f"/events/materials/{material.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert ".pdf" in response["Content-Disposition"]
    assert ".html" not in response["Content-Disposition"]


def test_a_drafts_material_is_not_public(world, client, staff):
    event = make_event(world, publish=False)
    material = after_event.add_material(
        event=event, by=staff, title="议程", upload=SimpleUploadedFile("议程.pdf", PDF)
    )

    assert client.get(f"/events/materials/{material.pk}/").status_code == 404


def test_removing_a_material_removes_its_file_after_commit(
    world, staff, django_capture_on_commit_callbacks
):
    event = make_event(world)
    material = after_event.add_material(
        event=event, by=staff, title="议程", upload=SimpleUploadedFile("议程.pdf", PDF)
    )

    with django_capture_on_commit_callbacks(execute=True):
        after_event.remove_material(material=material, by=staff)

    assert not EventMaterial.objects.exists()
    assert stored_files() == []
    assert ActivityLog.objects.filter(action="event.material_remove").exists()


def test_uploading_through_the_page_says_why_a_file_is_refused(world, client, staff):
    event = make_event(world)
    client.force_login(staff)

    response = client.post(
        f"/events/manage/{event.pk}/materials/",
        {"title": "照片", "file": SimpleUploadedFile("photo.png", b"not a picture")},
        follow=True,
    )

    assert "文件内容不是" in response.content.decode()
    assert stored_files() == []


def test_practice_shares_by_a_registered_or_a_named_organisation(world, staff):
    event = make_event(world)

    registered = after_event.add_share(
        event=event,
        by=staff,
        organisation=world.enterprise,
        speaker="梁经理",
        title="售后响应时限考核",
    )
    named = after_event.add_share(
        event=event,
        by=staff,
        organisation_name="越秀区某社区卫生服务中心",
        speaker="陈医生",
        title="季度满意度测评",
        summary="按指标排名改进。",
    )

    assert registered.organisation_name == world.enterprise.name
    assert named.organisation is None
    assert ActivityLog.objects.filter(action="event.share_add").count() == 2
    with pytest.raises(ValidationError) as refused:
        after_event.add_share(event=event, by=staff, speaker="", title="")
    assert set(refused.value.message_dict) == {"organisation_name", "speaker", "title"}
    after_event.remove_share(share=named, by=staff)
    assert list(PracticeShare.objects.all()) == [registered]
    assert ActivityLog.objects.filter(action="event.share_remove").exists()


def test_another_agency_can_record_nothing(world):
    event = make_event(world)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        after_event.add_material(
            event=event,
            by=world.other_agency_staff,
            title="x",
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
    with pytest.raises(PermissionDenied):
        after_event.add_share(
            event=event, by=world.other_agency_staff, organisation_name="x", speaker="y", title="z"
        )
    assert stored_files() == []


def test_the_export_lists_registrations_with_full_mobiles_and_attendance_and_is_logged(
    world, client, staff
):
    event = make_event(world, capacity=1)
    here, _ = register(event, name="到场者", mobile="13811112222")
    register(event, name="候补者", mobile="13833334444")
    registering.check_in(registration=here, by=staff)
    client.force_login(staff)

    response = client.get(f"/events/manage/{event.pk}/export/")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == event.title
    header = values[4]
    assert header[:5] == ("序号", "姓名", "单位", "职务", "手机")
    first, second = values[5], values[6]
    assert first[1:5] == ("到场者", "广州测试有限公司", "经理", "13811112222")
    assert first[6] == "报名成功"
    assert first[10] == "已签到"
    assert second[6] == "候补"
    assert second[10] == "未签到"
    entry = ActivityLog.objects.get(action="event.registrations_export")
    assert entry.actor == staff
    assert entry.after["rows"] == 2


def test_the_export_is_the_organisers_only(world, client):
    event = make_event(world)
    client.force_login(world.other_agency_staff)
    assert client.get(f"/events/manage/{event.pk}/export/").status_code == 404
    client.force_login(world.users[Role.ENTERPRISE_USER])
    assert client.get(f"/events/manage/{event.pk}/export/").status_code == 403
    assert not ActivityLog.objects.filter(action="event.registrations_export").exists()
