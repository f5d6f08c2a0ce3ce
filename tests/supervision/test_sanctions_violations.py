"""Violations (Art. 25): recorded with evidence by committee and work-department staff, read by
the programme's offices, filtered and searched; misleading publicity may open a revocation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.files import private_path
from manyi.common.models import ActivityLog
from manyi.supervision.models import (
    Evidence,
    Revocation,
    RevocationReason,
    Violation,
    ViolationKind,
)
from manyi.supervision.sanctions import services
from tests.reviews.factories import granted_title
from tests.supervision.factories_sanctions import make_violation
from tests.titles.decision_helpers import forged_upload, pdf_upload

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# ------------------------------------------------------------------------------------------
# Recording


@pytest.mark.parametrize(
    "role", [Role.WORKDEPT_STAFF, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN]
)
def test_record_a_violation_with_evidence(world, role, settings):
    title = granted_title(world, organisation=world.enterprise)
    by = world.users[role]
    violation = services.record_violation(
        by=by,
        kind=ViolationKind.NO_YEAR,
        organisation=world.enterprise,
        title=title,
        description="官网宣传“用户满意产品”未标明年度",
        found_on=timezone.localdate(),
        files=[pdf_upload("截图.pdf"), pdf_upload("照片.pdf")],
    )
    assert violation.recorded_by == by
    assert violation.title == title
    assert [e.name for e in violation.evidence.all()] == ["截图.pdf", "照片.pdf"]
    assert all(private_path(e.path).exists() for e in violation.evidence.all())
    entry = ActivityLog.objects.get(action="violation.record")
    assert entry.organisation_id == world.enterprise.pk
    assert entry.after["files"] == 2
    assert ActivityLog.objects.filter(action="supervision.evidence").count() == 2


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT])
def test_others_do_not_record(world, role):
    with pytest.raises(PermissionDenied):
        services.record_violation(
            by=world.users[role],
            kind=ViolationKind.NO_YEAR,
            organisation=world.enterprise,
            description="x",
            found_on=timezone.localdate(),
        )
    assert not Violation.objects.exists()


def test_a_forged_file_refuses_the_whole_record_and_leaves_no_file(world, settings):
    with pytest.raises(ValidationError) as refusal:
        services.record_violation(
            by=world.users[Role.WORKDEPT_STAFF],
            kind=ViolationKind.MISLEADING,
            organisation=world.enterprise,
            description="x",
            found_on=timezone.localdate(),
            files=[pdf_upload(), forged_upload("伪造.pdf")],
        )
    assert "伪造.pdf" in refusal.value.message_dict["evidence"][0]
    assert not Violation.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_failure_after_storing_removes_the_stored_files(world, settings, monkeypatch):
    from manyi.supervision.sanctions import services as module

    calls = []
    real = module.attach_evidence

    def second_fails(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(module, "attach_evidence", second_fails)
    with pytest.raises(RuntimeError):
        services.record_violation(
            by=world.users[Role.WORKDEPT_STAFF],
            kind=ViolationKind.NO_YEAR,
            organisation=world.enterprise,
            description="x",
            found_on=timezone.localdate(),
            files=[pdf_upload(), pdf_upload()],
        )
    assert not Violation.objects.exists()
    assert stored_files(settings) == []


def test_bad_input_is_said_field_by_field(world):
    other_title = granted_title(world, organisation=world.other_enterprise)
    with pytest.raises(ValidationError) as refusal:
        services.record_violation(
            by=world.users[Role.WORKDEPT_STAFF],
            kind="nonsense",
            organisation=world.enterprise,
            title=other_title,
            description=" ",
            found_on=timezone.localdate() + timedelta(days=1),
        )
    errors = refusal.value.message_dict
    assert set(errors) == {"kind", "description", "found_on", "title"}
    with pytest.raises(ValidationError) as not_a_participant:
        services.record_violation(
            by=world.users[Role.WORKDEPT_STAFF],
            kind=ViolationKind.RULES,
            organisation=world.committee,
            description="x",
            found_on=timezone.localdate(),
        )
    assert "organisation" in not_a_participant.value.message_dict
    assert not Violation.objects.exists()


def test_an_agency_can_be_recorded_too(world):
    violation = services.record_violation(
        by=world.users[Role.COMMITTEE_STAFF],
        kind=ViolationKind.RULES,
        organisation=world.agency,
        description="推荐未经核实的材料",
        found_on=timezone.localdate(),
    )
    assert violation.organisation == world.agency


def test_more_evidence_later(world, settings):
    violation = make_violation(world)
    with pytest.raises(ValidationError, match="请选择要上传的文件"):
        services.add_violation_evidence(
            violation=violation, by=world.users[Role.COMMITTEE_STAFF], files=[]
        )
    with pytest.raises(ValidationError):
        services.add_violation_evidence(
            violation=violation, by=world.users[Role.COMMITTEE_STAFF], files=[forged_upload()]
        )
    assert stored_files(settings) == []
    added = services.add_violation_evidence(
        violation=violation,
        by=world.users[Role.COMMITTEE_STAFF],
        files=[pdf_upload("补充.pdf")],
        description="公证书",
    )
    assert [e.description for e in added] == ["公证书"]
    assert violation.evidence.count() == 1


# ------------------------------------------------------------------------------------------
# Misleading publicity may cost the title


def test_misleading_publicity_opens_a_revocation(world):
    title = granted_title(world, organisation=world.enterprise)
    violation = make_violation(world, kind=ViolationKind.MISLEADING, title=title)
    case = services.revoke_for_violation(
        violation=violation,
        by=world.users[Role.WORKDEPT_STAFF],
        title=title,
        facts="宣传误导消费者，造成投诉",
    )
    assert case.reason == RevocationReason.MISLEADING
    assert case.violation == violation
    assert case.title == title
    assert ActivityLog.objects.filter(action="revocation.open", object_id=str(case.pk)).exists()
    with pytest.raises(ValidationError, match="已据此违规记录立案"):
        services.revoke_for_violation(
            violation=violation, by=world.users[Role.WORKDEPT_STAFF], title=title, facts="again"
        )


def test_revocation_refusals(world):
    title = granted_title(world, organisation=world.enterprise)
    no_year = make_violation(world, kind=ViolationKind.NO_YEAR, title=title)
    with pytest.raises(ValidationError, match="误导消费并引起后果"):
        services.revoke_for_violation(
            violation=no_year, by=world.users[Role.WORKDEPT_STAFF], title=title, facts="x"
        )
    no_title = make_violation(world, kind=ViolationKind.MISLEADING, organisation=world.agency)
    with pytest.raises(ValidationError, match="没有有效的称号"):
        services.revoke_for_violation(
            violation=no_title, by=world.users[Role.WORKDEPT_STAFF], title=title, facts="x"
        )
    misleading = make_violation(world, kind=ViolationKind.MISLEADING)
    other = granted_title(world, organisation=world.other_enterprise)
    with pytest.raises(ValidationError, match="请选择该单位的有效称号"):
        services.revoke_for_violation(
            violation=misleading, by=world.users[Role.WORKDEPT_STAFF], title=other, facts="x"
        )
    with pytest.raises(PermissionDenied):
        services.revoke_for_violation(
            violation=misleading, by=world.users[Role.EXPERT], title=title, facts="x"
        )
    assert not Revocation.objects.exists()


def test_the_revoke_button_opens_the_case_and_shows_it(world, client_for):
    title = granted_title(world, organisation=world.enterprise)
    violation = make_violation(world, kind=ViolationKind.MISLEADING)
    client = client_for(Role.COMMITTEE_STAFF)
    page = client.get(reverse("supervision:violation_detail", args=[violation.pk]))
    html = page.content.decode()
    assert reverse("supervision:violation_revoke", args=[violation.pk]) in html
    assert title.number in html
    response = client.post(
        reverse("supervision:violation_revoke", args=[violation.pk]),
        {"title": title.pk, "facts": "宣传误导消费者"},
    )
    case = Revocation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:revocation_detail", args=[case.pk])
    again = client.get(reverse("supervision:violation_detail", args=[violation.pk]))
    html = again.content.decode()
    assert f'data-revocation="{case.pk}"' in html
    assert reverse("supervision:violation_revoke", args=[violation.pk]) not in html


def test_no_revoke_button_for_other_kinds(world, client_for):
    granted_title(world, organisation=world.enterprise)
    violation = make_violation(world, kind=ViolationKind.NO_YEAR)
    html = (
        client_for(Role.COMMITTEE_STAFF)
        .get(reverse("supervision:violation_detail", args=[violation.pk]))
        .content.decode()
    )
    assert reverse("supervision:violation_revoke", args=[violation.pk]) not in html


# ------------------------------------------------------------------------------------------
# Pages


def test_the_form_records_with_files_found_by_uscc(world, client_for):
    client = client_for(Role.WORKDEPT_STAFF)
    url = reverse("supervision:violation_create")
    prefilled = client.get(url, {"organisation": world.enterprise.pk}).content.decode()
    assert world.enterprise.uscc in prefilled
    response = client.post(
        url,
        {
            "kind": ViolationKind.NO_YEAR,
            "organisation": world.enterprise.uscc,
            "title_number": "",
            "found_on": timezone.localdate().isoformat(),
            "description": "店内海报未标明年度",
            "evidence": [pdf_upload("海报.pdf"), pdf_upload("发票.pdf")],
        },
    )
    violation = Violation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:violation_detail", args=[violation.pk])
    assert violation.organisation == world.enterprise
    assert violation.evidence.count() == 2


def test_the_form_says_what_is_wrong(world, client_for, settings):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="珠江家电维修有限公司")
    client = client_for(Role.WORKDEPT_STAFF)
    url = reverse("supervision:violation_create")
    fields = {
        "kind": ViolationKind.NO_YEAR,
        "found_on": timezone.localdate().isoformat(),
        "description": "x",
    }
    ambiguous = client.post(url, {**fields, "organisation": "珠江家电"}).content.decode()
    assert "找到多个单位" in ambiguous
    unknown = client.post(url, {**fields, "organisation": "不存在的公司"}).content.decode()
    assert "没有找到该单位" in unknown
    no_title = client.post(
        url, {**fields, "organisation": world.enterprise.name, "title_number": "GZYH-2020-CP-0999"}
    ).content.decode()
    assert "没有该编号的称号" in no_title
    forged = client.post(
        url,
        {**fields, "organisation": world.enterprise.name, "evidence": [forged_upload("假.pdf")]},
    ).content.decode()
    assert "假.pdf" in forged
    assert not Violation.objects.exists()
    assert stored_files(settings) == []


def test_the_list_filters_and_searches(world, client_for):
    mine = make_violation(world, kind=ViolationKind.NO_YEAR)
    other = make_violation(world, organisation=world.other_enterprise, kind=ViolationKind.RULES)
    old = make_violation(world, organisation=world.agency)
    Violation.objects.filter(pk=old.pk).update(found_on=timezone.localdate() - timedelta(days=800))
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("supervision:violation_list")

    def shown(**params):
        html = client.get(url, params).content.decode()
        return {v.pk for v in (mine, other, old) if f'data-violation="{v.pk}"' in html}

    assert shown() == {mine.pk, other.pk, old.pk}
    assert shown(kind=ViolationKind.RULES) == {other.pk}
    assert shown(year=timezone.localdate().year) == {mine.pk, other.pk}
    assert shown(organisation=world.enterprise.pk) == {mine.pk}
    assert shown(q="白云装饰") == {other.pk}
    assert shown(q=world.enterprise.uscc) == {mine.pk}


def test_the_list_does_not_grow_queries(world, client_for, django_assert_max_num_queries):
    make_violation(world)
    client = client_for(Role.WORKDEPT_STAFF)
    url = reverse("supervision:violation_list")
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for _ in range(2):
        make_violation(world)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_detail_page_and_its_evidence(world, client_for):
    violation = make_violation(world)
    client = client_for(Role.WORKDEPT_STAFF)
    response = client.post(
        reverse("supervision:violation_evidence", args=[violation.pk]),
        {"evidence": [pdf_upload("补充.pdf")], "description": "现场照片"},
        follow=True,
    )
    html = response.content.decode()
    assert "已上传 1 个文件" in html
    evidence = violation.evidence.get()
    assert reverse("supervision:evidence", args=[evidence.pk]) in html
    download = client.get(reverse("supervision:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    refused = client.post(
        reverse("supervision:violation_evidence", args=[violation.pk]),
        {"evidence": [forged_upload("x.pdf")]},
        follow=True,
    )
    assert "x.pdf" in refused.content.decode()
    assert violation.evidence.count() == 1


def test_the_violations_are_not_for_outsiders(world, client_for):
    violation = make_violation(world)
    for role in (Role.ENTERPRISE_USER, Role.AGENCY_STAFF, Role.EXPERT):
        client = client_for(role)
        assert client.get(reverse("supervision:violation_list")).status_code == 403
        assert (
            client.get(reverse("supervision:violation_detail", args=[violation.pk])).status_code
            == 403
        )
