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


def _log_page(client, world, **filters):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    response = client.get("/staff/activity/", filters)
    assert response.status_code == 200
    return response.content.decode()


def test_changes_read_as_field_old_to_new_with_the_models_labels(world, client):
    log_activity(
        actor=world.users[Role.ENTERPRISE_USER],
        action="organisation.update",
        obj=world.enterprise,
        before={"address": "旧地址", "trade": "industrial"},
        after={"address": "新地址", "trade": "service"},
    )
    text = _log_page(client, world)
    assert "联系地址：旧地址 → 新地址" in text
    # A choice is shown by its label, not its stored value.
    assert "企业类型：工业企业 → 服务企业" in text
    assert "{&#x27;address&#x27;" not in text


def test_unchanged_keys_are_context_and_keys_of_other_objects_fall_back_to_common_words(
    world, client
):
    log_activity(
        actor=world.users[Role.COMMITTEE_STAFF],
        action="campaign.quota_set",
        obj=world.enterprise,
        before={"category": "brand", "quota": 2},
        after={"category": "brand", "quota": 3},
    )
    text = _log_page(client, world)
    assert "类别：brand<" in text
    assert "推荐名额：2 → 3" in text
    assert "设置推荐名额" in text


def test_long_changes_are_folded_away(world, client):
    before = {f"field_{i}": "旧" for i in range(6)}
    after = {f"field_{i}": "新" for i in range(6)}
    log_activity(
        actor=world.users[Role.COMMITTEE_STAFF],
        action="organisation.update",
        obj=world.enterprise,
        before=before,
        after=after,
    )
    text = _log_page(client, world)
    assert "<summary>field_0：旧 → 新（共 6 项）</summary>" in text
    assert "<div>field_5：旧 → 新</div>" in text
