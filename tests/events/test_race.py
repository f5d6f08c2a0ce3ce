"""The last place, taken by several people at the same moment: exactly one gets it, the rest
wait. On PostgreSQL the event's row lock decides; SQLite serialises writers by itself."""

import threading

import pytest
from django.db import connection

from manyi.events.models import RegistrationStatus
from tests.events.factories import make_event, register

THREADS = 6

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_place_goes_to_exactly_one_of_several_at_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    event = make_event(world, capacity=2)
    register(event)
    barrier = threading.Barrier(THREADS)
    statuses, errors = [], []

    def run(n):
        try:
            barrier.wait(timeout=30)
            statuses.append(
                register(event, email=f"race{n}@example.cn", ip=f"10.2.0.{n}")[0].status
            )
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses.count(RegistrationStatus.CONFIRMED) == 1
    assert statuses.count(RegistrationStatus.WAITLISTED) == THREADS - 1
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 2
