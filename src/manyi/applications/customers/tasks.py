"""Worker task for the customer list: thin, it takes an id, loads, and calls the service."""

from manyi.applications.customers.services import run_import
from manyi.applications.models import CustomerList


def import_customer_list(list_id: int) -> str:
    customer_list = (
        CustomerList.objects.filter(pk=list_id)
        .select_related("application__organisation", "application__campaign")
        .first()
    )
    if customer_list is None:
        return "missing"
    return run_import(customer_list=customer_list).status
