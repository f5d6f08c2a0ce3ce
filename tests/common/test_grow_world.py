"""manage.py grow_world: a tiny city on SQLite — every state with the rows it implies, numbers
that continue the counters, lists people can open — and a second growth that adds more."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from manyi.accounts.models import AgencyMembership, Membership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.applications.models import (
    Application,
    ApplicationCounter,
    Customer,
    CustomerList,
    Recommendation,
)
from manyi.applications.states import AFTER_RECOMMENDATION, Status
from manyi.campaigns.models import AgencyQuota
from manyi.common.demo_report import DemoReport
from manyi.common.models import ActivityLog
from manyi.portal.management.commands.load_demo import demo_loaders
from manyi.portal.scale import grow_world
from manyi.portal.scale.people import EMAIL_DOMAIN
from manyi.reviews.models import DeficiencyNotice, FormalReview
from manyi.titles.models import Decision, Title
from tests.conftest import give_totp

pytestmark = pytest.mark.django_db

NOT_NUMBERED = (Status.DRAFT, Status.WITHDRAWN)


def load_demo(up_to: int) -> None:
    report = DemoReport()
    for module in demo_loaders():
        if up_to >= module.DEMO_ORDER:
            module.load_demo(report)


def grow(n: int = 60, **options) -> None:
    options = {"per_list": 5, "agencies": 8, "experts": 6, "seed": 7, **options}
    grow_world(applications=n, write=lambda line: None, **options)


def grown():
    return Application.objects.filter(created_by__email__endswith=f"@{EMAIL_DOMAIN}")


def person(email: str):
    membership = Membership.objects.select_related("user").get(user__email=email)
    if membership.role != Role.ENTERPRISE_USER:
        give_totp(membership.user)
    return membership.user


@pytest.fixture
def basics():
    """The demo's people, agencies and campaigns: enough to grow on."""
    load_demo(up_to=20)


# One growth, checked from every side: growing takes seconds, the basics of the demo ten.
def test_a_grown_world_holds_every_state_with_its_rows_and_its_pages_open(basics, client):
    grow()

    applications = grown()
    assert applications.count() == 60
    assert set(applications.values_list("status", flat=True)) == set(Status.values)
    check_implied_rows(applications)
    check_numbers_and_lists(applications)
    check_agencies(applications)
    check_pages(applications, client)


def check_implied_rows(applications):
    recommended = applications.filter(status__in=AFTER_RECOMMENDATION)
    assert Recommendation.objects.filter(application__in=recommended).count() == recommended.count()
    assert not recommended.filter(agency__isnull=True).exists()
    waiting = (Status.RECOMMENDED, Status.DEFICIENT, Status.COMPLETED)
    reviewed = applications.filter(status__in=AFTER_RECOMMENDATION).exclude(status__in=waiting)
    assert FormalReview.objects.filter(application__in=reviewed).count() == reviewed.count()
    told = applications.filter(status__in=[Status.DEFICIENT, Status.COMPLETED])
    assert DeficiencyNotice.objects.filter(application__in=told).count() == told.count()
    decided = applications.filter(status__in=[Status.IN_NOTICE, Status.AWARDED, Status.NOT_AWARDED])
    assert Decision.objects.filter(application__in=decided).count() == decided.count()
    awarded = applications.filter(status=Status.AWARDED)
    assert Title.objects.filter(application__in=awarded).count() == awarded.count()
    ids = [str(pk) for pk in applications.values_list("pk", flat=True)]
    starts = ActivityLog.objects.filter(action="application.start", object_id__in=ids)
    assert starts.count() == 60


def check_numbers_and_lists(applications):
    numbered = applications.exclude(status__in=NOT_NUMBERED)
    assert not numbered.filter(number="").exists()
    assert not numbered.filter(submitted_at__isnull=True).exists()
    assert not applications.filter(status=Status.DRAFT).exclude(number="").exists()
    duplicates = (
        Application.objects.exclude(number="")
        .values("campaign", "number")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    for counter in ApplicationCounter.objects.all():
        given = Application.objects.filter(
            campaign_id=counter.campaign_id, category=counter.category
        ).exclude(number="")
        tails = [int(n.rsplit("-", 1)[1]) for n in given.values_list("number", flat=True)]
        assert counter.last == max(tails)
    lists = CustomerList.objects.filter(application__in=applications)
    assert lists.filter(is_current=True, status="accepted").count() == lists.count()
    assert Customer.objects.filter(customer_list__in=lists).count() == 5 * lists.count()
    assert not numbered.exclude(customer_lists__in=lists).exists()


def check_agencies(applications):
    agencies = Organisation.objects.filter(kind=OrgKind.AGENCY, recognised_on__isnull=False)
    assert agencies.count() >= 8
    for application in applications:
        assert AgencyMembership.objects.filter(
            enterprise_id=application.organisation_id,
            agency_id=application.agency_id,
            confirmed_at__isnull=False,
        ).exists()
    used = (
        applications.filter(status__in=AFTER_RECOMMENDATION)
        .values("campaign", "agency", "category")
        .annotate(n=Count("pk"))
    )
    for row in used:
        quota = AgencyQuota.objects.get(
            campaign_id=row["campaign"], agency_id=row["agency"], category=row["category"]
        )
        assert quota.quota >= row["n"]
    for organisation in Organisation.objects.filter(kind=OrgKind.ENTERPRISE):
        organisation.full_clean(validate_unique=False)  # names, USCC, phones as forms want them


def check_pages(applications, client):
    staff = person("staff@demo.manyi.cn")
    agency = person("agency@demo.manyi.cn")
    client.force_login(staff)
    assert client.get("/applications/").status_code == 200
    assert client.get("/dashboard/").status_code == 200
    for status in Status.values:
        application = applications.filter(status=status).first()
        if application.submitted_at is not None:  # the committee sees what was submitted
            assert client.get(f"/applications/{application.pk}/").status_code == 200, status
    client.force_login(agency)
    queue = client.get("/applications/agency/queue/")
    assert queue.status_code == 200
    assert client.get("/dashboard/").status_code == 200
    for status in Status.values:
        application = applications.filter(status=status).first()
        client.force_login(application.created_by)
        assert client.get(f"/applications/{application.pk}/").status_code == 200, status
        assert client.get("/dashboard/").status_code == 200, status


def test_growing_again_adds_more(basics):
    grow(30)
    first = set(Organisation.objects.values_list("name", flat=True))

    grow(20)

    assert grown().count() == 50
    names = list(Organisation.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    assert set(names) > first


@pytest.mark.slow
def test_a_world_grown_from_the_whole_demo_has_surveys_runs_and_titles(client):
    load_demo(up_to=60)
    call_command(
        "grow_world", applications=60, customers_per_list=5, agencies=8, experts=6, stdout=None
    )

    from manyi.fieldwork.models import Response, SampledContact, Survey
    from manyi.surveys.models import MeasurementRun

    surveys = Survey.objects.filter(application__in=grown())
    assert surveys.exists()
    assert SampledContact.objects.filter(survey__in=surveys).exists()
    assert Response.objects.filter(survey__in=surveys).exists()
    finished = surveys.filter(status__in=["closed", "released"])
    runs = MeasurementRun.objects.filter(pk__in=finished.values("run"))
    assert runs.count() == finished.count()
    assert not runs.filter(result__isnull=True).exists()
    assert Decision.objects.filter(application__in=grown()).exclude(basis={}).exists()
    numbers = list(Title.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    staff = person("staff@demo.manyi.cn")
    client.force_login(staff)
    assert client.get("/reviews/").status_code == 200
    decided = grown().filter(status=Status.AWARDED).first()
    assert client.get(f"/reviews/{decided.pk}/").status_code == 200
    assert client.get("/measurement/").status_code == 200
