import pytest
from django.core.exceptions import PermissionDenied

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.common.services import log_activity

pytestmark = pytest.mark.django_db


def test_log_rows_cannot_be_updated_or_deleted(world):
    entry = log_activity(
        actor=world.users[Role.COMMITTEE_STAFF],
        action="test.action",
        obj=world.enterprise,
        after={"x": 1},
    )
    with pytest.raises(PermissionDenied):
        ActivityLog.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(PermissionDenied):
        ActivityLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionDenied):
        entry.delete()
    entry.action = "forged"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        ActivityLog.objects.bulk_update([entry], ["action"])
    assert ActivityLog.objects.get(pk=entry.pk).action == "test.action"


def test_entries_record_actor_ip_object_and_data(world, client):
    staff = world.users[Role.COMMITTEE_STAFF]
    client.force_login(world.users[Role.ENTERPRISE_USER])
    client.post(
        f"/orgs/{world.enterprise.pk}/edit/",
        {"name": world.enterprise.name, "address": "新地址", "trade": "industrial"},
        REMOTE_ADDR="203.0.113.9",
    )
    entry = ActivityLog.objects.get(action="organisation.update")
    assert entry.ip == "203.0.113.9"
    assert entry.actor == world.users[Role.ENTERPRISE_USER]
    assert entry.object_type == "accounts.organisation"
    assert entry.object_id == str(world.enterprise.pk)
    assert entry.after["address"] == "新地址"
    assert staff.email not in entry.actor_label


def test_staff_filter_and_export_the_log_and_the_export_is_logged(world, client):
    import io

    from openpyxl import load_workbook

    log_activity(
        actor=world.users[Role.ENTERPRISE_USER], action="organisation.update", obj=world.enterprise
    )
    log_activity(
        actor=world.users[Role.ENTERPRISE_USER], action="=cmd|' /C calc'!A0", obj=world.enterprise
    )
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    page = client.get("/staff/activity/", {"action": "organisation"})
    assert page.status_code == 200
    assert "organisation.update" in page.content.decode()
    assert "calc" not in page.content.decode()
    response = client.get("/staff/activity/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "=cmd|' /C calc'!A0" in values  # kept as text, never a formula
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert ActivityLog.objects.filter(
        action="activity_log.export", actor=world.users[Role.COMMITTEE_STAFF]
    ).exists()


def test_outsiders_never_see_the_log(world, client):
    log_activity(actor=world.users[Role.ENTERPRISE_USER], action="secret.action")
    for role in (Role.ENTERPRISE_USER, Role.AGENCY_STAFF, Role.EXPERT, Role.WORKDEPT_STAFF):
        client.force_login(world.users[role])
        assert client.get("/staff/activity/").status_code == 403
        assert client.get("/staff/activity/export/").status_code == 403
