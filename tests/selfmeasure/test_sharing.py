"""Sharing an own measurement: the one door between private and shared, and who then reads it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.selfmeasure.services import share_measurement, unshare_measurement
from manyi.surveys import selectors as survey_selectors
from manyi.surveys.models import Visibility
from tests.selfmeasure.factories import own_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(world):
    # The enterprise is a confirmed member of world.agency (not of world.other_agency).
    AgencyMembership.objects.filter(enterprise=world.enterprise).update(confirmed_at=timezone.now())
    return own_upload(world)


def readers(world) -> dict:
    return {
        "committee": world.users[Role.COMMITTEE_STAFF],
        "association": world.users[Role.ASSOCIATION_ADMIN],
        "workdept": world.users[Role.WORKDEPT_STAFF],
        "own agency": world.users[Role.AGENCY_STAFF],
        "other agency": world.other_agency_staff,
        "other enterprise": world.outsider,
        "colleague": world.colleague,
    }


def pages_seen(client, world, run) -> dict:
    seen = {}
    for name, user in readers(world).items():
        client.force_login(user)
        seen[name] = client.get(f"/measurement/runs/{run.pk}/").status_code
    return seen


def test_a_private_measurement_is_seen_by_its_enterprise_only(world, client, run):
    assert run.dataset.visibility == Visibility.PRIVATE

    assert pages_seen(client, world, run) == {
        "committee": 404,
        "association": 404,
        "workdept": 404,
        "own agency": 404,
        "other agency": 404,
        "other enterprise": 404,
        "colleague": 200,
    }
    assert not survey_selectors.runs(world.users[Role.COMMITTEE_STAFF]).filter(pk=run.pk).exists()


def test_sharing_opens_it_to_the_programme_and_the_confirmed_agency_and_unsharing_closes_it(
    world, client, run
):
    user = world.users[Role.ENTERPRISE_USER]

    dataset = share_measurement(dataset=run.dataset, by=user)

    assert dataset.visibility == Visibility.SHARED
    assert dataset.shared_at is not None
    assert pages_seen(client, world, run) == {
        "committee": 200,
        "association": 200,
        "workdept": 200,
        "own agency": 200,
        "other agency": 404,
        "other enterprise": 404,
        "colleague": 200,
    }
    entry = ActivityLog.objects.get(action="dataset.share")
    assert entry.after == {"visibility": "shared"}
    assert entry.organisation == world.enterprise

    dataset = unshare_measurement(dataset=dataset, by=world.colleague)

    assert dataset.visibility == Visibility.PRIVATE
    assert dataset.shared_at is None
    assert pages_seen(client, world, run)["committee"] == 404
    assert pages_seen(client, world, run)["own agency"] == 404
    assert ActivityLog.objects.filter(action="dataset.unshare").count() == 1


def test_only_the_enterprise_shares_and_each_move_once(world, run):
    user = world.users[Role.ENTERPRISE_USER]
    for stranger in (world.outsider, world.users[Role.COMMITTEE_STAFF]):
        with pytest.raises(PermissionDenied):
            share_measurement(dataset=run.dataset, by=stranger)
    with pytest.raises(ValidationError, match="没有共享"):
        unshare_measurement(dataset=run.dataset, by=user)
    share_measurement(dataset=run.dataset, by=user)
    with pytest.raises(ValidationError, match="已经共享"):
        share_measurement(dataset=run.dataset, by=user)
    assert ActivityLog.objects.filter(action="dataset.share").count() == 1


def test_a_programme_data_set_is_never_shared_or_unshared_here(world):
    dataset = own_upload(world, user=world.users[Role.COMMITTEE_STAFF]).dataset
    assert dataset.visibility == Visibility.PROGRAMME

    with pytest.raises(PermissionDenied):
        unshare_measurement(dataset=dataset, by=world.users[Role.COMMITTEE_STAFF])
    dataset.refresh_from_db()
    assert dataset.visibility == Visibility.PROGRAMME


def test_the_share_buttons_post_back_to_the_report(world, client, run):
    client.force_login(world.users[Role.ENTERPRISE_USER])
    back = f"/measurement/runs/{run.pk}/"

    response = client.post(f"/own/datasets/{run.dataset_id}/share/", {"next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    run.dataset.refresh_from_db()
    assert run.dataset.visibility == Visibility.SHARED
    response = client.post(
        f"/own/datasets/{run.dataset_id}/unshare/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/own/"
    run.dataset.refresh_from_db()
    assert run.dataset.visibility == Visibility.PRIVATE


def test_another_enterprise_cannot_reach_the_share_door(world, client, run):
    client.force_login(world.outsider)

    assert client.post(f"/own/datasets/{run.dataset_id}/share/").status_code == 404
    run.dataset.refresh_from_db()
    assert run.dataset.visibility == Visibility.PRIVATE
