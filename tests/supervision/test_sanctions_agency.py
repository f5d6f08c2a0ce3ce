"""An agency disqualified (Art. 27): the Sanction and the date, no more recommendations, no
more choice or quota, its pending applications handed by committee staff to another agency;
and its reinstatement."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import Role
from manyi.applications import access as application_access
from manyi.applications.agency.services import recommend
from manyi.applications.models import Decision
from manyi.applications.states import Status
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.supervision.models import Sanction, SanctionKind
from manyi.supervision.sanctions import selectors, services
from tests.applications.helpers import open_campaign
from tests.supervision.factories_sanctions import (
    admin,
    disqualify,
    enterprise_of,
    make_agency,
    staff_of,
    submitted_to,
)

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------
# Disqualification


def test_disqualify_records_the_sanction_the_date_the_log_and_tells_everyone(world):
    agency = make_agency(world, name="越秀区质量协会")
    pending = submitted_to(world, agency)
    draft = submitted_to(world, agency, "product", status=Status.DRAFT)
    before = OutboxMessage.objects.count()

    sanction = disqualify(world, agency, reason="推荐材料弄虚作假")

    agency.refresh_from_db()
    assert agency.disqualified_on == timezone.localdate()
    assert sanction.kind == SanctionKind.AGENCY_DISQUALIFIED
    assert sanction.organisation == agency
    assert sanction.public is True
    assert sanction.reason == "推荐材料弄虚作假"
    entry = ActivityLog.objects.get(action="sanction.agency_disqualify")
    assert entry.organisation_id == agency.pk
    assert entry.after["pending"] == [pending.number]
    sent = OutboxMessage.objects.order_by("pk")[before:]
    to = {m.to: m for m in sent}
    assert staff_of(agency).email in to
    assert "取消推进机构资格" in to[staff_of(agency).email].subject
    assert world.users[Role.COMMITTEE_STAFF].email in to
    assert "1 份申报待改派" in to[world.users[Role.COMMITTEE_STAFF].email].subject
    applicants = [m for m in sent if m.template == "supervision/sanction_application_affected"]
    assert len(applicants) == 2
    assert {m.to for m in applicants} == {
        staff_of(pending.organisation, Role.ENTERPRISE_USER).email,
        staff_of(draft.organisation, Role.ENTERPRISE_USER).email,
    }
    assert all(m.subject.startswith("【满意】") for m in sent)


def test_a_backdated_disqualification_keeps_its_date(world):
    agency = make_agency(world)
    day = timezone.localdate() - timedelta(days=10)
    sanction = disqualify(world, agency, decided_on=day)
    agency.refresh_from_db()
    assert agency.disqualified_on == day
    assert sanction.decided_on == day


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF, Role.AGENCY_STAFF])
def test_only_the_administrator_disqualifies(world, role):
    agency = make_agency(world)
    with pytest.raises(PermissionDenied):
        services.disqualify_agency(agency=agency, by=world.users[role], reason="x")
    agency.refresh_from_db()
    assert agency.disqualified_on is None
    assert not Sanction.objects.exists()


def test_disqualification_refusals_change_nothing(world):
    agency = make_agency(world)
    with pytest.raises(ValidationError, match="只能取消推进机构的资格"):
        services.disqualify_agency(agency=world.enterprise, by=admin(world), reason="x")
    with pytest.raises(ValidationError) as no_reason:
        services.disqualify_agency(agency=agency, by=admin(world), reason="  ")
    assert "请写明取消资格的事由" in no_reason.value.message_dict["reason"]
    with pytest.raises(ValidationError) as future:
        services.disqualify_agency(
            agency=agency,
            by=admin(world),
            reason="x",
            decided_on=timezone.localdate() + timedelta(days=1),
        )
    assert "日期不能晚于今天" in future.value.message_dict["decided_on"]
    assert not Sanction.objects.exists()
    disqualify(world, agency)
    with pytest.raises(ValidationError, match="已被取消资格"):
        disqualify(world, agency)
    assert Sanction.objects.count() == 1


# ------------------------------------------------------------------------------------------
# From then the agency recommends nothing


def test_a_disqualified_agency_cannot_recommend(world):
    agency = make_agency(world)
    application = submitted_to(world, agency)
    staff = staff_of(agency)
    assert application_access.RECOMMEND.allows(staff, application)
    disqualify(world, agency)
    application.refresh_from_db()
    assert not application_access.RECOMMEND.allows(staff, application)
    assert not application_access.RECOMMEND_FAVOURABLY.allows(staff, application)
    with pytest.raises(ValidationError) as refusal:
        recommend(
            application=application,
            by=staff,
            decision=Decision.RECOMMEND,
            opinion="同意推荐",
            signer="张三",
            signed_on=timezone.localdate(),
        )
    assert refusal.value.messages == ["推荐单位已被取消推进机构资格（第二十七条），不能再推荐"]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_recommend_page_refuses_a_disqualified_agency(world, client):
    agency = make_agency(world)
    application = submitted_to(world, agency)
    disqualify(world, agency)
    client.force_login(staff_of(agency))
    response = client.post(
        reverse("applications:recommend", args=[application.pk]),
        {
            "decision": Decision.RECOMMEND,
            "opinion": "同意推荐",
            "signer": "张三",
            "signed_on": timezone.localdate().isoformat(),
        },
    )
    assert "推荐单位已被取消推进机构资格（第二十七条），不能再推荐" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_disqualified_agency_is_offered_nowhere(world):
    from manyi.accounts.selectors import agencies_of, agency_named_by, joinable_agencies
    from manyi.campaigns.selectors import agencies_with_quota, quota_agencies

    campaign = open_campaign()
    good, bad = make_agency(world, name="甲推进机构"), make_agency(world, name="乙推进机构")
    enterprise = enterprise_of(good)
    AgencyMembership.objects.create(enterprise=enterprise, agency=bad, confirmed_at=timezone.now())
    newcomer = enterprise_of(world.agency)
    assert bad in quota_agencies()
    disqualify(world, bad)
    assert bad not in quota_agencies()
    assert good in quota_agencies()
    assert bad not in agencies_with_quota(campaign, "brand")
    assert good in agencies_with_quota(campaign, "brand")
    assert agency_named_by(str(bad.pk)) is None
    assert agency_named_by(str(good.pk)) == good
    assert bad not in joinable_agencies(newcomer)
    assert good in joinable_agencies(newcomer)
    assert agencies_of(enterprise) == [good]


def test_an_application_cannot_start_with_a_disqualified_agency(world):
    from manyi.applications.services import choose_agency

    campaign = open_campaign()
    bad = make_agency(world)
    enterprise = enterprise_of(bad)
    disqualify(world, bad)
    with pytest.raises(ValidationError, match="尚未加入推进机构"):
        choose_agency(organisation=enterprise, campaign=campaign, category="brand", agency=None)
    good = make_agency(world)
    AgencyMembership.objects.create(enterprise=enterprise, agency=good, confirmed_at=timezone.now())
    assert choose_agency(organisation=enterprise, campaign=campaign, category="brand") == good


# ------------------------------------------------------------------------------------------
# Reassignment


def test_pending_applications_are_listed_to_committee_staff(world, client_for):
    agency = make_agency(world, name="越秀区质量协会")
    pending = submitted_to(world, agency)
    submitted_to(world, agency, "product", status=Status.RECOMMENDED)  # already recommended
    other = submitted_to(world, world.agency, "service")  # agency in good standing
    staff = world.users[Role.COMMITTEE_STAFF]
    assert list(selectors.pending_reassignment(staff)) == []
    disqualify(world, agency)
    assert list(selectors.pending_reassignment(staff)) == [pending]
    assert list(selectors.pending_reassignment(world.users[Role.WORKDEPT_STAFF])) == []
    page = client_for(Role.COMMITTEE_STAFF).get(reverse("supervision:sanction_reassign_list"))
    html = page.content.decode()
    assert f'data-application="{pending.pk}"' in html
    assert f'data-application="{other.pk}"' not in html
    assert "越秀区质量协会" in html
    # Searching and filtering.
    found = client_for(Role.COMMITTEE_STAFF).get(
        reverse("supervision:sanction_reassign_list"), {"q": "不存在的单位"}
    )
    assert f'data-application="{pending.pk}"' not in found.content.decode()
    by_category = client_for(Role.COMMITTEE_STAFF).get(
        reverse("supervision:sanction_reassign_list"), {"category": "product"}
    )
    assert f'data-application="{pending.pk}"' not in by_category.content.decode()


def test_the_choices_are_agencies_with_places_not_disqualified(world):
    bad = make_agency(world, name="丙推进机构")
    application = submitted_to(world, bad)
    other_bad = make_agency(world, name="丁推进机构")
    no_places = make_agency(world, name="戊推进机构", quota=0)
    member = make_agency(world, name="己推进机构")
    AgencyMembership.objects.create(enterprise=application.organisation, agency=member)
    disqualify(world, bad)
    disqualify(world, other_bad)
    rows = selectors.reassignment_choices(application)
    agencies = [r["agency"] for r in rows]
    assert agencies[0] == member  # the applicant's own agency first
    assert rows[0]["member"] is True
    assert bad not in agencies
    assert other_bad not in agencies
    assert no_places not in agencies
    assert world.agency in agencies


def test_reassign_moves_the_application_makes_a_member_logs_and_mails(world):
    bad = make_agency(world)
    application = submitted_to(world, bad)
    disqualify(world, bad)
    application.refresh_from_db()
    new = make_agency(world, name="番禺区质量协会")
    staff = world.users[Role.COMMITTEE_STAFF]
    before = OutboxMessage.objects.count()

    services.reassign_agency(
        application=application, agency=new, by=staff, reason="原机构被取消资格"
    )

    application.refresh_from_db()
    assert application.agency == new
    assert application.status == Status.SUBMITTED
    membership = AgencyMembership.objects.get(enterprise=application.organisation, agency=new)
    assert membership.confirmed_at is not None
    assert membership.confirmed_by == staff
    entry = ActivityLog.objects.get(action="application.reassign_agency")
    assert entry.before == {"agency": bad.name, "agency_id": bad.pk}
    assert entry.after["agency_id"] == new.pk
    assert entry.after["membership"] == "created"
    assert entry.note == "原机构被取消资格"
    sent = list(OutboxMessage.objects.order_by("pk")[before:])
    assert {m.to for m in sent} == {
        staff_of(application.organisation, Role.ENTERPRISE_USER).email,
        staff_of(new).email,
    }
    assert any("番禺区质量协会" in m.subject for m in sent)
    # The new agency may now recommend it; it left the list.
    assert application_access.RECOMMEND.allows(staff_of(new), application)
    assert list(selectors.pending_reassignment(staff)) == []


def test_reassignment_refusals_change_nothing(world):
    bad = make_agency(world)
    application = submitted_to(world, bad)
    staff = world.users[Role.COMMITTEE_STAFF]
    good = make_agency(world)
    with pytest.raises(ValidationError, match="未被取消资格"):
        services.reassign_agency(application=application, agency=good, by=staff, reason="x")
    disqualify(world, bad)
    application.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.reassign_agency(
            application=application, agency=good, by=world.users[Role.WORKDEPT_STAFF], reason="x"
        )
    with pytest.raises(ValidationError) as no_reason:
        services.reassign_agency(application=application, agency=good, by=staff, reason="")
    assert "请写明改派理由" in no_reason.value.message_dict["reason"]
    other_bad = make_agency(world)
    disqualify(world, other_bad)
    no_places = make_agency(world, quota=0)
    for agency, words in (
        (None, "请选择新的推进机构"),
        (world.enterprise, "不是有效的推进机构"),
        (other_bad, "已被取消资格"),
        (bad, "已被取消资格"),
        (no_places, "没有推荐名额"),
    ):
        with pytest.raises(ValidationError) as refusal:
            services.reassign_agency(application=application, agency=agency, by=staff, reason="x")
        assert words in " ".join(refusal.value.messages)
    application.refresh_from_db()
    assert application.agency == bad
    assert not ActivityLog.objects.filter(action="application.reassign_agency").exists()


def test_only_a_submitted_application_is_reassigned(world):
    bad = make_agency(world)
    returned = submitted_to(world, bad, status=Status.RETURNED)
    disqualify(world, bad)
    returned.refresh_from_db()
    with pytest.raises(ValidationError, match="只有已提交、待推荐的申报才能改派"):
        services.reassign_agency(
            application=returned,
            agency=make_agency(world),
            by=world.users[Role.COMMITTEE_STAFF],
            reason="x",
        )


def test_someone_faster_is_said_politely(world):
    bad = make_agency(world)
    application = submitted_to(world, bad)
    disqualify(world, bad)
    application.refresh_from_db()
    first, second = make_agency(world), make_agency(world)
    stale = type(application).objects.get(pk=application.pk)
    staff = world.users[Role.COMMITTEE_STAFF]
    services.reassign_agency(application=application, agency=first, by=staff, reason="x")
    with pytest.raises(ValidationError, match="已由他人改派"):
        services.reassign_agency(application=stale, agency=second, by=staff, reason="x")
    application.refresh_from_db()
    assert application.agency == first


def test_the_reassign_view_changes_through_the_service_and_says_so(world, client_for):
    bad = make_agency(world)
    application = submitted_to(world, bad)
    disqualify(world, bad)
    new = make_agency(world, name="黄埔区质量协会")
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.post(
        reverse("supervision:sanction_reassign", args=[application.pk]),
        {"agency": new.pk, "reason": "就近推荐"},
        follow=True,
    )
    assert "改由 黄埔区质量协会 推荐" in response.content.decode()
    application.refresh_from_db()
    assert application.agency == new
    refused = client.post(
        reverse("supervision:sanction_reassign", args=[application.pk]),
        {"agency": bad.pk, "reason": "再改"},
        follow=True,
    )
    assert "未被取消资格" in refused.content.decode()


def test_the_reassign_list_does_not_grow_queries(world, client_for, django_assert_max_num_queries):
    bad = make_agency(world)
    submitted_to(world, bad)
    disqualify(world, bad)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("supervision:sanction_reassign_list")
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for _ in range(2):
        submitted_to(world, bad)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


# ------------------------------------------------------------------------------------------
# Reinstatement


def test_reinstate_clears_the_date_keeps_the_sanction_and_notes_it(world, client_for):
    agency = make_agency(world)
    application = submitted_to(world, agency)
    sanction = disqualify(world, agency)
    services.reinstate_agency(sanction=sanction, by=admin(world), reason="整改到位")
    agency.refresh_from_db()
    assert agency.disqualified_on is None
    assert Sanction.objects.filter(pk=sanction.pk).exists()
    entry = ActivityLog.objects.get(action="sanction.agency_reinstate")
    assert entry.object_id == str(sanction.pk)
    assert entry.note == "整改到位"
    assert entry.before == {"disqualified_on": timezone.localdate().isoformat()}
    assert list(selectors.pending_reassignment(world.users[Role.COMMITTEE_STAFF])) == []
    application.refresh_from_db()
    assert application_access.RECOMMEND.allows(staff_of(agency), application)
    page = client_for(Role.WORKDEPT_STAFF).get(
        reverse("supervision:sanction_detail", args=[sanction.pk])
    )
    html = page.content.decode()
    assert "已恢复资格" in html
    assert "整改到位" in html


def test_reinstatement_refusals(world):
    agency = make_agency(world)
    sanction = disqualify(world, agency)
    with pytest.raises(PermissionDenied):
        services.reinstate_agency(
            sanction=sanction, by=world.users[Role.COMMITTEE_STAFF], reason="x"
        )
    with pytest.raises(ValidationError) as no_reason:
        services.reinstate_agency(sanction=sanction, by=admin(world), reason=" ")
    assert "请写明恢复资格的理由" in no_reason.value.message_dict["reason"]
    services.reinstate_agency(sanction=sanction, by=admin(world), reason="整改到位")
    with pytest.raises(ValidationError, match="已经恢复"):
        services.reinstate_agency(sanction=sanction, by=admin(world), reason="again")
    # Disqualified again: only the newest decision is the one in force.
    agency.refresh_from_db()
    newer = disqualify(world, agency)
    with pytest.raises(ValidationError, match="已经恢复"):
        services.reinstate_agency(sanction=sanction, by=admin(world), reason="old one")
    services.reinstate_agency(sanction=newer, by=admin(world), reason="newer one")


def test_the_reinstate_view(world, client_for):
    agency = make_agency(world)
    sanction = disqualify(world, agency)
    url = reverse("supervision:sanction_reinstate", args=[sanction.pk])
    client = client_for(Role.ASSOCIATION_ADMIN)
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "这个字段是必填项" in refused.content.decode() or "必填" in refused.content.decode()
    agency.refresh_from_db()
    assert agency.disqualified_on is not None
    client.post(url, {"reason": "整改到位"})
    agency.refresh_from_db()
    assert agency.disqualified_on is None


# ------------------------------------------------------------------------------------------
# Pages


def test_the_disqualify_form_decides_and_shows_the_sanction(world, client_for):
    agency = make_agency(world, name="海珠区质量协会")
    submitted_to(world, agency)
    client = client_for(Role.ASSOCIATION_ADMIN)
    form = client.get(reverse("supervision:sanction_disqualify"), {"agency": agency.pk})
    assert "海珠区质量协会" in form.content.decode()
    response = client.post(
        reverse("supervision:sanction_disqualify"),
        {"agency": agency.pk, "reason": "违反推选细则", "decided_on": timezone.localdate()},
        follow=True,
    )
    html = response.content.decode()
    assert "已取消该推进机构的资格" in html
    assert 'data-sanction-state="in_force"' in html
    assert "该机构有 1 份已提交、待推荐的申报需改派" in html
    agency.refresh_from_db()
    assert agency.disqualified_on == timezone.localdate()
    # Once disqualified, it is no longer a choice of the form.
    again = client.post(
        reverse("supervision:sanction_disqualify"),
        {"agency": agency.pk, "reason": "再次", "decided_on": timezone.localdate()},
    )
    assert again.status_code == 200
    assert Sanction.objects.count() == 1


def test_the_list_filters_and_searches(world, client_for):
    first = disqualify(world, make_agency(world, name="荔湾区质量协会"), reason="甲事由")
    second = disqualify(
        world,
        make_agency(world, name="白云区质量协会"),
        reason="乙事由",
        decided_on=timezone.localdate().replace(month=1, day=1) - timedelta(days=1),
    )
    client = client_for(Role.WORKDEPT_STAFF)
    url = reverse("supervision:sanction_list")
    html = client.get(url).content.decode()
    assert f'data-sanction="{first.pk}"' in html
    assert f'data-sanction="{second.pk}"' in html
    assert "取消推进机构资格" in html
    # WD reads but does not decide.
    assert "data-sanction-actions" not in html
    this_year = client.get(url, {"year": timezone.localdate().year}).content.decode()
    assert f'data-sanction="{second.pk}"' not in this_year
    searched = client.get(url, {"q": "荔湾"}).content.decode()
    assert f'data-sanction="{first.pk}"' in searched
    assert f'data-sanction="{second.pk}"' not in searched
    by_kind = client.get(url, {"kind": "expert_removed"}).content.decode()
    assert f'data-sanction="{first.pk}"' not in by_kind
    assert "data-sanction-actions" in client_for(Role.ASSOCIATION_ADMIN).get(url).content.decode()


def test_the_sanction_list_does_not_grow_queries(world, client_for, django_assert_max_num_queries):
    disqualify(world, make_agency(world))
    client = client_for(Role.ASSOCIATION_ADMIN)
    url = reverse("supervision:sanction_list")
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for _ in range(2):
        disqualify(world, make_agency(world))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_hub_has_a_door_to_this_part(world, client_for):
    html = client_for(Role.WORKDEPT_STAFF).get(reverse("supervision:index")).content.decode()
    assert "违规与处理" in html
    assert reverse("supervision:sanction_list") in html


def test_every_office_reads_how_many_applications_wait(world, client_for):
    agency = make_agency(world)
    submitted_to(world, agency)
    sanction = disqualify(world, agency)
    url = reverse("supervision:sanction_detail", args=[sanction.pk])
    reader = client_for(Role.WORKDEPT_STAFF).get(url).content.decode()
    assert "该机构有 1 份已提交、待推荐的申报需改派" in reader
    assert reverse("supervision:sanction_reassign_list") not in reader
    assert "恢复推进机构资格" not in reader
    committee = client_for(Role.COMMITTEE_STAFF).get(url).content.decode()
    assert reverse("supervision:sanction_reassign_list") in committee
    assert "恢复推进机构资格" in client_for(Role.ASSOCIATION_ADMIN).get(url).content.decode()


def test_the_panels(world):
    from manyi.supervision.sanctions.panels import panels

    agency = make_agency(world, name="南沙区质量协会")
    submitted_to(world, agency)
    assert panels(world.users[Role.COMMITTEE_STAFF]) == []
    disqualify(world, agency)
    staff_panels = panels(world.users[Role.COMMITTEE_STAFF])
    assert staff_panels[0]["count"] == 1
    assert staff_panels[0]["url"] == reverse("supervision:sanction_reassign_list")
    agency_panels = panels(staff_of(agency))
    assert "南沙区质量协会" in agency_panels[0]["items"][0]
    assert panels(world.users[Role.AGENCY_STAFF]) == []
