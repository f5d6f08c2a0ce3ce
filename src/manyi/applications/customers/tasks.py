"""Worker tasks for the customer list: thin, they take an id, load, and call the service."""

import os

from manyi.applications.customers.services import fail_import, run_import
from manyi.applications.models import CustomerList

# Test-only: seconds to wait after each inserted batch, so the crash test
# (tests/common/test_jobs_crash.py) can kill a worker in the middle of the insert. Read here,
# in the worker, and nowhere else; unset in every real deployment.
PAUSE_VARIABLE = "MANYI_TEST_IMPORT_PAUSE"


def _load(list_id: int) -> CustomerList | None:
    return (
        CustomerList.objects.filter(pk=list_id)
        .select_related("application__organisation", "application__campaign")
        .first()
    )


def import_customer_list(list_id: int) -> str:
    """The import job's handler (``common.jobs.kinds``)."""
    customer_list = _load(list_id)
    if customer_list is None:
        return "missing"
    pause = float(os.environ.get(PAUSE_VARIABLE) or 0)
    return run_import(customer_list=customer_list, pause_between_batches=pause).status


def import_failed(list_id: int, message: str) -> None:
    customer_list = _load(list_id)
    if customer_list is not None:
        fail_import(customer_list=customer_list, message=message)
