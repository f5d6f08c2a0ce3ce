"""申报编号: consecutive per campaign and category, unique by construction, also when submitted
at the same moment (a counter row taken under a lock; the threaded test needs PostgreSQL)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from manyi.accounts.models import User
from manyi.accounts.roles import Role
from manyi.applications import services
from manyi.applications.models import Application, ApplicationCounter
from manyi.applications.states import Status
from tests.applications.helpers import make_application, open_campaign
from tests.factories import MembershipFactory, OrganisationFactory


def enterprises_of(world, n):
    """n more enterprises whose applications the world's enterprise user may submit."""
    owner = world.users[Role.ENTERPRISE_USER]
    organisations = []
    for _ in range(n):
        organisation = OrganisationFactory(agency=world.agency)
        MembershipFactory(user=owner, organisation=organisation, role=Role.ENTERPRISE_USER)
        organisations.append(organisation)
    return organisations


def submit(application, user):
    return services.move_application(application=application, to=Status.SUBMITTED, by=user)


@pytest.mark.django_db
def test_numbers_are_consecutive_per_category(world):
    campaign = open_campaign(agencies=[world.agency])
    owner = world.users[Role.ENTERPRISE_USER]
    brands = [
        make_application(world, "brand", organisation=o, campaign=campaign)
        for o in [world.enterprise, *enterprises_of(world, 2)]
    ]
    service = make_application(world, "service", campaign=campaign)
    numbers = [submit(a, owner).number for a in brands]
    year = campaign.year
    assert numbers == [f"{year}-BR-001", f"{year}-BR-002", f"{year}-BR-003"]
    assert submit(service, owner).number == f"{year}-SV-001"


@pytest.mark.django_db
def test_a_withdrawn_number_is_not_given_again(world):
    campaign = open_campaign(agencies=[world.agency])
    owner = world.users[Role.ENTERPRISE_USER]
    first = submit(make_application(world, "brand", campaign=campaign), owner)
    Application.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)
    again = submit(make_application(world, "brand", campaign=campaign), owner)
    assert again.number == f"{campaign.year}-BR-002"


@pytest.mark.django_db
def test_a_missing_counter_starts_after_the_numbers_already_given(world):
    campaign = open_campaign(agencies=[world.agency])
    owner = world.users[Role.ENTERPRISE_USER]
    earlier = make_application(world, "brand", campaign=campaign, status=Status.SUBMITTED)
    Application.objects.filter(pk=earlier.pk).update(number=f"{campaign.year}-BR-007")
    other = enterprises_of(world, 1)[0]
    application = make_application(world, "brand", organisation=other, campaign=campaign)
    assert submit(application, owner).number == f"{campaign.year}-BR-008"
    counter = ApplicationCounter.objects.get(campaign=campaign, category="brand")
    assert counter.last == 8


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_number(world):
    campaign = open_campaign(agencies=[world.agency])
    owner = world.users[Role.ENTERPRISE_USER]
    first = submit(make_application(world, "brand", campaign=campaign), owner)
    other = make_application(world, "service", campaign=campaign, status=Status.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=other.pk).update(number=first.number)


@pytest.mark.django_db
def test_applications_without_a_number_do_not_collide(world):
    campaign = open_campaign(agencies=[world.agency])
    make_application(world, "brand", campaign=campaign)
    make_application(world, "service", campaign=campaign)
    assert Application.objects.filter(campaign=campaign, number="").count() == 2


THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_submissions_at_the_same_moment_get_distinct_consecutive_numbers(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    campaign = open_campaign(agencies=[world.agency])
    owner_pk = world.users[Role.ENTERPRISE_USER].pk
    applications = [
        make_application(world, "brand", organisation=o, campaign=campaign)
        for o in enterprises_of(world, THREADS)
    ]
    # No counter row yet: the threads also race to create it.
    assert not ApplicationCounter.objects.filter(campaign=campaign).exists()
    barrier = threading.Barrier(THREADS)
    numbers, errors = [], []

    def run(application):
        try:
            user = User.objects.get(pk=owner_pk)  # its own memberships cache per thread
            barrier.wait(timeout=30)
            numbers.append(submit(application, user).number)
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == [f"{campaign.year}-BR-{n:03d}" for n in range(1, THREADS + 1)]
