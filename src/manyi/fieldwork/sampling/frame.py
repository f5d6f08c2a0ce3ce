"""The sampling frame of a survey read from the database, and the plan of its draw.

Reads only. The draw itself (`draw.py`) and its design (`design.py`) are pure; this module
feeds them: the list's rows as plain tuples (no model instances: a 200,000-row list is read
in a fraction of a second), its content hash, and the phones other surveys already took.
`plan_draw` is shared by the draw and by its check, so both follow one rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Count

from manyi.applications.models import Customer, CustomerList, CustomerListStatus
from manyi.fieldwork.models import SampledContact, Survey
from manyi.fieldwork.sampling.design import Design, allocate, sample_design, strata_codes
from manyi.fieldwork.sampling.draw import Drawn, draw, eligible_mask, stratum_sizes

# Values per IN (...) query: well under every database's parameter limit.
IN_BATCH = 500


@dataclass(frozen=True)
class Frame:
    customer_list: CustomerList
    ids: list[int]  # customer ids in list order
    phones: list[str]  # their normalised phones
    strata: list[str] | None  # their stratum codes, None when the survey has no strata
    list_hash: str


@dataclass(frozen=True)
class Plan:
    design: Design
    sizes: dict[str, tuple[int, int]]  # stratum -> (sample, reserve)
    drawn: Drawn


def current_list(application) -> CustomerList | None:
    """The application's current, accepted customer list: the frame of its survey."""
    return CustomerList.objects.filter(
        application=application, is_current=True, status=CustomerListStatus.ACCEPTED
    ).first()


def list_hash(ids: list[int], phones: list[str]) -> str:
    """SHA-256 over the ordered customer ids (8-byte little-endian integers) followed by
    their normalised phones, each ended by a line feed."""
    digest = hashlib.sha256(np.asarray(ids, dtype="<i8").tobytes())
    digest.update(("\n".join(phones) + "\n").encode() if phones else b"")
    return digest.hexdigest()


def _rows(queryset) -> list[tuple]:
    """The queryset's rows as plain tuples, fetched at once: for a 200,000-row list this
    skips the ORM's per-row iteration (the SQL is still the ORM's own)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def load_frame(customer_list: CustomerList, strata: list[str] | tuple[str, ...]) -> Frame:
    """The list's rows in list order (the order of import), as plain values."""
    customers = Customer.objects.filter(customer_list=customer_list).order_by("pk")
    fields = ("pk", "phone_normalized", "name", "address") if strata else ("pk", "phone_normalized")
    rows = _rows(customers.values_list(*fields))
    # Comprehensions, not zip(*rows): unpacking 200,000 arguments costs ten times more.
    ids = [row[0] for row in rows]
    phones = [row[1] for row in rows]
    codes = None
    if strata:
        codes = strata_codes(strata, [row[2] for row in rows], [row[3] for row in rows])
    return Frame(customer_list, ids, phones, codes, list_hash(ids, phones))


def taken_phones(survey: Survey, *, before) -> set[str]:
    """Normalised phones that surveys of the same campaign drawn before ``before`` hold.

    The phone key is a function of the phone within a campaign, so comparing the phones is
    comparing the keys that the `one_survey_per_phone` constraint checks.
    """
    return set(
        SampledContact.objects.filter(campaign_id=survey.campaign_id, survey__drawn_at__lt=before)
        .exclude(survey_id=survey.pk)
        .values_list("customer__phone_normalized", flat=True)
    )


def plan_draw(survey: Survey, frame: Frame, *, seed: int, excluded: set[str]) -> Plan:
    """The design from the survey's settings and the list, allocated to strata, and drawn."""
    mask = eligible_mask(frame.phones, excluded)
    available = stratum_sizes(frame.strata, mask)
    design = sample_design(
        population=len(frame.ids),
        margin=survey.margin,
        confidence=survey.confidence,
        expected_response_rate=survey.expected_response_rate,
        reserve_share=survey.reserve_share,
        available=sum(available.values()),
    )
    sample = allocate(design.drawn, available)
    left = {code: available[code] - sample[code] for code in available}
    reserve = allocate(design.reserve, available, capacity=left)
    sizes = {code: (sample[code], reserve[code]) for code in available}
    drawn = draw(ids=frame.ids, seed=seed, mask=mask, sizes=sizes, strata=frame.strata)
    return Plan(design, sizes, drawn)


def other_lists(campaign_id: int, customer_list_id: int, phones: list[str]) -> dict[str, int]:
    """How many other current, accepted lists of the campaign hold each phone (grouped)."""
    counts: dict[str, int] = {}
    unique = sorted(set(phones))
    for start in range(0, len(unique), IN_BATCH):
        rows = (
            Customer.objects.filter(
                customer_list__application__campaign_id=campaign_id,
                customer_list__is_current=True,
                customer_list__status=CustomerListStatus.ACCEPTED,
                phone_normalized__in=unique[start : start + IN_BATCH],
            )
            .exclude(customer_list_id=customer_list_id)
            .values("phone_normalized")
            .annotate(lists=Count("customer_list_id", distinct=True))
        )
        counts.update((row["phone_normalized"], row["lists"]) for row in rows)
    return counts


def emails_of(ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), IN_BATCH):
        found.update(
            Customer.objects.filter(pk__in=ids[start : start + IN_BATCH])
            .exclude(email="")
            .values_list("pk", "email")
        )
    return found
