"""Reads about customer lists (附件3): the current list, the latest upload, the minimum size,
contacts shared between applicants, and the lists as Excel for a reader.

Who sees full telephone numbers: the applicant's own users and committee staff (the survey
needs them); the rule is ``applications.access.SEE_FULL_PHONES``. Everyone else who may see
the application sees them masked (``mask_phone``).
"""

from __future__ import annotations

import io

from django.db.models import Count

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF
from manyi.applications.customers.rows import (
    mask_phone,
    write_customer_list,
    write_customer_template,
)
from manyi.applications.models import Application, Customer, CustomerList, CustomerListStatus
from manyi.campaigns.models import DEFAULT_MINIMUM_CUSTOMERS, CampaignCategory

# Rows read from the database per round trip when a list is written out.
CHUNK_ROWS = 5000


def current_list(application: Application) -> CustomerList | None:
    """The accepted list the survey samples from, if there is one."""
    return (
        application.customer_lists.filter(is_current=True, status=CustomerListStatus.ACCEPTED)
        .select_related("uploaded_by")
        .first()
    )


def latest_upload(application: Application) -> CustomerList | None:
    return application.customer_lists.select_related("uploaded_by").order_by("-pk").first()


def minimum_customers(application: Application) -> int:
    minimum = (
        CampaignCategory.objects.filter(
            campaign_id=application.campaign_id, category=application.category
        )
        .values_list("minimum_customers", flat=True)
        .first()
    )
    return minimum or DEFAULT_MINIMUM_CUSTOMERS


def customer_list_workbook(customer_list: CustomerList, *, masked: bool) -> bytes:
    """The stored list as .xlsx in the 附件3 layout, every cell formula-safe.

    Rows are streamed from the database in chunks, so memory stays flat for a large list.
    No side effects: ``export_customer_list`` decides the masking and logs the download.
    """
    rows = (
        customer_list.customers.order_by("row")
        .values("seq", "name", "address", "department", "contact", "phone")
        .iterator(chunk_size=CHUNK_ROWS)
    )
    buffer = io.BytesIO()
    write_customer_list(
        buffer,
        company_name=customer_list.application.organisation.name,
        rows=rows,
        mask=masked,
    )
    return buffer.getvalue()


def customer_template(application: Application) -> bytes:
    """The empty 附件3 with the applicant's name in its title line."""
    buffer = io.BytesIO()
    write_customer_template(buffer, company_name=application.organisation.name)
    return buffer.getvalue()


def display_phone(phone: str, *, full: bool) -> str:
    return phone if full else mask_phone(phone)


def _current_customers(campaign):
    return Customer.objects.filter(
        customer_list__is_current=True,
        customer_list__status=CustomerListStatus.ACCEPTED,
        customer_list__application__campaign=campaign,
    )


def shared_phones(user, campaign):
    """Phones on the current lists of several applicants in a campaign, most shared first:
    ``{"phone_normalized", "applicants"}`` rows, for a page of ``shared_contacts``.

    Shown to programme staff only: a contact on many lists may be a friend of the applicants
    rather than a customer, which the survey's sampling has to know.
    """
    if not has_role(user, *PROGRAMME_STAFF):
        return Customer.objects.none().values("phone_normalized")
    return (
        _current_customers(campaign)
        .values("phone_normalized")
        .annotate(applicants=Count("customer_list__application__organisation", distinct=True))
        .filter(applicants__gt=1)
        .order_by("-applicants", "phone_normalized")
    )


def shared_contacts(campaign, phones) -> list[dict]:
    """The customers behind a page of ``shared_phones`` (one query for the page): for each
    phone, ``{"phone", "count", "customers": [(name, contact, applicant's name), …]}``."""
    holders: dict[str, list] = {}
    for c in (
        _current_customers(campaign)
        .filter(phone_normalized__in=[p["phone_normalized"] for p in phones])
        .select_related("customer_list__application__organisation")
        .order_by("customer_list__application__organisation__name", "row", "pk")
    ):
        holders.setdefault(c.phone_normalized, []).append(
            (c.name, c.contact, c.customer_list.application.organisation.name)
        )
    return [
        {
            "phone": p["phone_normalized"],
            "count": p["applicants"],
            "customers": holders.get(p["phone_normalized"], []),
        }
        for p in phones
    ]
