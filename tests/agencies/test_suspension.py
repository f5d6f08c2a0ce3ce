"""Suspending an agency's recognition: it stops recommending everywhere the programme asks
(the recommend action, the submission check, the lists of agencies that may recommend, take a
quota or be joined, the public directory), the waiting applicants are told why, and the
administrator reinstates it. Both acts are logged with before and after."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from manyi.accounts.models import Organisation
from manyi.accounts.roles import Role
from manyi.accounts.selectors import agencies_of, agency_named_by, joinable_agencies
from manyi.agencies import selectors, services
from manyi.agencies.standing import Standing, standing_of
from manyi.applications.access import RECOMMEND
from manyi.applications.agency.services import recommend
from manyi.applications.submission import submission_problems
from manyi.campaigns.selectors import agencies_with_quota, quota_agencies
from manyi.common.models import ActivityLog, OutboxMessage
from tests.applications.helpers import complete_application, make_application
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return world.users[Role.ASSOCIATION_ADMIN]


def suspended(world, admin, reason="未按计划开展推进工作"):
    return services.suspend(agency=world.agency, by=admin, reason=reason)


def test_suspension_is_logged_with_before_and_after_and_mailed(world, admin):
    submitted = make_application(world, "service", status="submitted")
    OutboxMessage.objects.all().delete()

    agency = suspended(world, admin)

    assert agency.recognition_suspended_on == timezone.localdate()
    assert agency.recognition_suspension_reason == "未按计划开展推进工作"
    assert not agency.may_recommend
    assert standing_of(agency) == Standing.SUSPENDED
    entry = ActivityLog.objects.get(action="agency.suspend")
    assert entry.organisation == agency
    assert entry.before == {"recognition_suspended_on": None, "recognition_suspension_reason": ""}
    assert entry.after["recognition_suspension_reason"] == "未按计划开展推进工作"
    assert entry.after["waiting"] == [submitted.pk]
    staff_mail = OutboxMessage.objects.get(to=world.users[Role.AGENCY_STAFF].email)
    assert "未按计划开展推进工作" in staff_mail.body_text
    applicant_mail = OutboxMessage.objects.get(to=world.users[Role.ENTERPRISE_USER].email)
    assert f"/applications/{submitted.pk}/" in applicant_mail.body_text


def test_a_suspension_needs_a_reason_and_the_admin(world, admin):
    with pytest.raises(ValidationError):
        services.suspend(agency=world.agency, by=admin, reason="")
    with pytest.raises(PermissionDenied):
        services.suspend(agency=world.agency, by=world.users[Role.COMMITTEE_STAFF], reason="x")
    world.agency.refresh_from_db()
    assert world.agency.may_recommend
    assert not ActivityLog.objects.filter(action="agency.suspend").exists()


def test_an_agency_is_suspended_once_and_only_when_recognised(world, admin):
    suspended(world, admin)
    with pytest.raises(ValidationError) as again:
        suspended(world, admin)
    assert "已经暂停" in again.value.messages[0]
    never = OrganisationFactory(kind="agency", name="未认可协会", recognised_on=None)
    with pytest.raises(ValidationError) as unrecognised:
        services.suspend(agency=never, by=admin, reason="x")
    assert "尚未获认可" in unrecognised.value.messages[0]


def test_a_suspended_agency_cannot_recommend(world, admin):
    application = complete_application(make_application(world, "service", status="submitted"))
    staff = world.users[Role.AGENCY_STAFF]
    assert RECOMMEND.allows(staff, application)
    suspended(world, admin)
    application.refresh_from_db()

    assert not RECOMMEND.allows(staff, application)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        recommend(
            application=application,
            by=staff,
            decision="recommend",
            opinion="同意推荐",
            signer="陈志明",
            signed_on=timezone.localdate(),
        )
    assert "推进机构认可已由广州市质量协会" in refused.value.messages[0]
    assert "暂停" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == "submitted"


def test_submission_lists_a_suspended_agency(world, admin):
    application = complete_application(make_application(world, "service"))
    with translation.override("zh-hans"):
        assert submission_problems(application) == []
        suspended(world, admin)
        application.refresh_from_db()
        problems = submission_problems(application)
    assert len(problems) == 1
    assert "天河区质量技术协会 的推进机构认可已由广州市质量协会" in problems[0]


def test_submission_lists_a_never_recognised_and_a_disqualified_agency(world):
    application = complete_application(make_application(world, "service"))
    Organisation.objects.filter(pk=world.agency.pk).update(recognised_on=None)
    application.refresh_from_db()
    with translation.override("zh-hans"):
        assert "尚未获广州市质量协会认可为推进机构" in submission_problems(application)[0]
        Organisation.objects.filter(pk=world.agency.pk).update(
            recognised_on=timezone.localdate(), disqualified_on=timezone.localdate()
        )
        application.refresh_from_db()
        assert "已被取消推进机构资格" in submission_problems(application)[0]


def test_the_lists_of_agencies_leave_a_suspended_one_out(world, admin):
    from tests.applications.helpers import open_campaign

    campaign = open_campaign(agencies=[world.agency, world.other_agency])
    assert agency_named_by(str(world.agency.pk)) == world.agency
    suspended(world, admin)

    assert agency_named_by(str(world.agency.pk)) is None
    assert world.agency not in agencies_of(world.enterprise)
    assert world.agency not in quota_agencies()
    assert world.agency not in agencies_with_quota(campaign, "service")
    assert world.agency not in joinable_agencies(world.other_enterprise)
    assert world.agency not in selectors.directory()
    assert world.other_agency in selectors.directory()


def test_reinstatement_gives_the_agency_back_its_place(world, admin):
    suspended(world, admin)
    OutboxMessage.objects.all().delete()

    agency = services.reinstate(agency=world.agency, by=admin, reason="已整改")

    assert agency.may_recommend
    assert agency.recognition_suspension_reason == ""
    entry = ActivityLog.objects.get(action="agency.reinstate")
    assert entry.before["recognition_suspended_on"] == timezone.localdate().isoformat()
    assert entry.after == {"recognition_suspended_on": None, "recognition_suspension_reason": ""}
    assert entry.note == "已整改"
    assert OutboxMessage.objects.filter(to=world.users[Role.AGENCY_STAFF].email).exists()
    assert agency_named_by(str(world.agency.pk)) == world.agency
    with pytest.raises(ValidationError):
        services.reinstate(agency=world.agency, by=admin)


def test_the_history_reads_recognition_suspension_and_reinstatement(world, admin):
    suspended(world, admin)
    services.reinstate(agency=world.agency, by=admin)
    actions = [e.action for e in selectors.recognition_history(world.agency)]
    assert actions == ["agency.reinstate", "agency.suspend"]
