"""The standing cast: one organisation of each kind, a person in each role, and outsiders.

People whose role needs two-factor login get a TOTP authenticator, as they would in
production, so the middleware lets them through once logged in.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache

from manyi.accounts.roles import ROLES_NEEDING_MFA, AgencyScope, OrgKind, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

ROLES = [
    "anonymous",
    Role.ASSOCIATION_ADMIN,
    Role.COMMITTEE_STAFF,
    Role.WORKDEPT_STAFF,
    Role.AGENCY_STAFF,
    Role.ENTERPRISE_USER,
    Role.EXPERT,
    Role.SURVEYOR,
    Role.SURVEY_MANAGER,
]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores uploads in its own folder, so "nothing left behind" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def give_totp(user) -> str:
    """Activate TOTP for a user as allauth does; returns the secret for computing codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


class World:
    """Organisations and people every access test needs."""

    def __init__(self):
        self.association = OrganisationFactory(kind=OrgKind.ASSOCIATION, name="广州市质量协会")
        self.committee = OrganisationFactory(kind=OrgKind.COMMITTEE, name="广州市用户委员会")
        self.workdept = OrganisationFactory(kind=OrgKind.WORKDEPT, name="广州市用户工作部")
        self.agency = OrganisationFactory(
            kind=OrgKind.AGENCY, name="天河区质量技术协会", agency_scope=AgencyScope.REGION
        )
        self.other_agency = OrganisationFactory(
            kind=OrgKind.AGENCY, name="建筑业协会", agency_scope=AgencyScope.INDUSTRY
        )
        self.enterprise = OrganisationFactory(name="珠江家电有限公司", agency=self.agency)
        self.other_enterprise = OrganisationFactory(
            name="白云装饰工程有限公司", agency=self.other_agency
        )
        self.survey_firm = OrganisationFactory(kind=OrgKind.SURVEY_FIRM, name="明镜调查有限公司")
        org_for_role = {
            Role.ASSOCIATION_ADMIN: self.association,
            Role.COMMITTEE_STAFF: self.committee,
            Role.WORKDEPT_STAFF: self.workdept,
            Role.AGENCY_STAFF: self.agency,
            Role.ENTERPRISE_USER: self.enterprise,
            Role.EXPERT: self.committee,
            Role.SURVEYOR: self.survey_firm,
            Role.SURVEY_MANAGER: self.survey_firm,
        }
        self.users = {}
        for role, org in org_for_role.items():
            membership = MembershipFactory(
                user=UserFactory(email=f"{role}@example.cn"),
                organisation=org,
                role=role,
                is_manager=role != Role.EXPERT,
            )
            if role in ROLES_NEEDING_MFA:
                give_totp(membership.user)
            self.users[role] = membership.user
        self.colleague = MembershipFactory(
            organisation=self.enterprise, role=Role.ENTERPRISE_USER
        ).user
        self.outsider = MembershipFactory(
            organisation=self.other_enterprise, role=Role.ENTERPRISE_USER, is_manager=True
        ).user
        self.other_agency_staff = MembershipFactory(
            organisation=self.other_agency, role=Role.AGENCY_STAFF
        ).user
        give_totp(self.other_agency_staff)
        # Another survey firm, with its own manager and interviewer: never sees this one's work.
        self.other_firm = OrganisationFactory(kind=OrgKind.SURVEY_FIRM, name="远景市场研究有限公司")
        self.other_firm_manager = MembershipFactory(
            organisation=self.other_firm, role=Role.SURVEY_MANAGER, is_manager=True
        ).user
        give_totp(self.other_firm_manager)
        self.other_surveyor = MembershipFactory(
            organisation=self.other_firm, role=Role.SURVEYOR
        ).user

    def user(self, role):
        return None if role == "anonymous" else self.users[role]


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def client_for(client, world):
    """A test client logged in as the given role (or anonymous)."""

    def make(role_or_user):
        user = world.user(role_or_user) if isinstance(role_or_user, str) else role_or_user
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def matrix_extras(world):
    """Objects the access matrix needs in URLs: invitations, an outbox message, a measurement."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi import measurement
    from manyi.accounts.services import invite_member
    from manyi.common.models import OutboxMessage
    from manyi.surveys import services as survey_services
    from tests.surveys.conftest import survey_csv

    admin = world.users[Role.ASSOCIATION_ADMIN]
    invitation, token = invite_member(
        by=admin,
        email="newcomer@example.cn",
        organisation=world.enterprise,
        role=Role.ENTERPRISE_USER,
    )
    to_revoke, _token = invite_member(
        by=admin, email="other@example.cn", organisation=world.enterprise, role=Role.ENTERPRISE_USER
    )
    message = OutboxMessage.objects.create(
        to="x@example.cn", subject="测试", body_text="正文", status=OutboxMessage.Status.FAILED
    )
    staff = world.users[Role.COMMITTEE_STAFF]
    dataset = survey_services.upload_dataset(
        by=staff,
        upload=SimpleUploadedFile("s.csv", survey_csv(n=120, groups=0)),
        title="矩阵测试",
        scope="industry",
        industry="",
        survey_year=2026,
    )
    run = survey_services.request_run(
        by=staff,
        dataset=dataset,
        title="矩阵测试",
        model_name="ecsi",
        model_spec=measurement.load_preset("ecsi").to_dict(),
        options={"scheme": "path", "scaling": "standardized", "missing": "mean", "resamples": 0},
        seed=1,
    )
    run = survey_services.execute_run(run=run)
    application = _matrix_application(world)
    extras = {
        **_matrix_fieldwork(world, application.campaign),
        **_matrix_appraisals(world),
        "application": application,
        "attachment": application.attachments.get(),
        "invitation": invitation,
        "invitation_to_revoke": to_revoke,
        "invitation_token": token,
        "message": message,
        "dataset": dataset,
        "run": run,
    }
    # The review and title packages add what their URLs need (tests/<app>/matrix_<pkg>.py).
    from tests.access_matrix import PACKAGE_MATRICES

    for package in PACKAGE_MATRICES:
        extras.update(package.extras(world, extras))
    return extras


def _matrix_fieldwork(world, campaign):
    """A survey in the field for world.enterprise (firm: world.survey_firm) with contacts, one
    assigned to the world's surveyor, and one flagged response; and one of another firm."""
    from manyi.fieldwork.models import SampledContact
    from manyi.fieldwork.responses import record_response
    from tests.fieldwork.factories import answers_for, make_survey

    survey = make_survey(world, category="service", campaign=campaign, phone_base=13700000000)
    contacts = list(survey.contacts.filter(is_reserve=False).order_by("position"))
    answers = answers_for(survey.questionnaire, score=7, vary=False)  # straight-lined: flagged
    response = record_response(
        contact=contacts[-1],
        answers=answers,
        channel="phone",
        started_at=None,
        by=world.users[Role.SURVEYOR],
    )
    other = make_survey(
        world,
        category="service",
        organisation=world.other_enterprise,
        campaign=campaign,
        phone_base=13600000000,
    )
    other.firm = world.other_firm
    other.save(update_fields=["firm"])
    return {
        "survey": survey,
        "contact": contacts[0],  # assigned to the world's surveyor, still open
        "response": response,
        "other_survey": other,
        "other_contact": SampledContact.objects.filter(survey=other).first(),
    }


def _matrix_application(world):
    """A submitted brand application of world.enterprise (agency: world.agency), with one file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi.applications.models import Attachment
    from manyi.common.files import store_upload
    from tests.applications.helpers import add_customers, make_application

    application = make_application(world, "brand", status="submitted")
    add_customers(application, n=3)
    path, digest, size = store_upload(
        SimpleUploadedFile("t.pdf", b"%PDF-1.4\n%%EOF\n"), folder="evidence", suffix=".pdf"
    )
    Attachment.objects.create(
        application=application,
        kind="trademark",
        file_path=path,
        original_name="商标.pdf",
        content_type="application/pdf",
        size_bytes=size,
        sha256=digest,
        uploaded_by=world.users[Role.ENTERPRISE_USER],
    )
    return application


def _matrix_appraisals(world):
    """An answered appraisal of a submitted engineering application, and an open link of another."""
    from manyi.applications.appraisals.services import submit_appraisal
    from tests.applications.test_appraisals import answers, ask, engineering_application, png_upload

    answered = engineering_application(world)
    _a, used = ask(world, answered)
    submit_appraisal(token=used, data=answers(), scan_upload=png_upload())
    pending = engineering_application(
        world, organisation=world.other_enterprise, user=world.outsider
    )
    _p, token = ask(world, pending, by=world.outsider, agency_user=world.other_agency_staff)
    return {"appraisal_application": answered, "appraisal_token": token}
