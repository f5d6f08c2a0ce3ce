"""The applications themselves: forms, numbers in submission order, the frozen 附件2, the
agency's opinion, and the customer lists (附件3) with their rows.

Numbers come from `ApplicationCounter` under its row lock, as `services.move_application`
takes them, so a submission made on the grown world continues the sequence.
"""

import hashlib
from collections import defaultdict
from datetime import timedelta

from manyi.applications.demo import OPINIONS
from manyi.applications.demo.content import sample_form_data, sample_materials
from manyi.applications.forms.specs import form_spec
from manyi.applications.models import (
    Application,
    ApplicationCounter,
    Confirmation,
    ConfirmationVersion,
    Customer,
    CustomerList,
    CustomerListStatus,
    Recommendation,
)
from manyi.applications.services import organisation_details
from manyi.applications.states import Status
from manyi.portal.scale import names
from manyi.portal.scale.bulk import insert, write_rows

# 申报编号 year-code-sequence, as `services.move_application` writes them.
NUMBER_CODES = {
    "brand": "BR",
    "enterprise": "EN",
    "product": "PR",
    "engineering": "EG",
    "service": "SV",
}
AGENCY_MOVES = {
    Status.RECOMMENDED: "recommend",
    Status.NOT_RECOMMENDED: "not_recommend",
    Status.RETURNED: "return",
}
# Materials are written from varied parts; a small pool per category keeps 10,000 applications
# from costing 10,000 texts (about 12 ms each) while neighbours still read differently.
MATERIAL_VARIANTS = 10
PLACEHOLDER = "〔企业〕"
CUSTOMER_FIELDS = (
    "customer_list_id",
    "row",
    "seq",
    "name",
    "address",
    "department",
    "contact",
    "phone",
    "phone_normalized",
    "email",
)


def take_numbers(campaign, category: str, count: int) -> list[str]:
    """The next `count` numbers of the campaign and category, the counter moved past them."""
    prefix = f"{campaign.year}-{NUMBER_CODES[category]}-"
    counter = (
        ApplicationCounter.objects.select_for_update()
        .filter(campaign=campaign, category=category)
        .first()
    )
    if counter is None:
        given = Application.objects.filter(campaign=campaign, number__startswith=prefix)
        tails = [n[len(prefix) :] for n in given.values_list("number", flat=True)]
        last = max((int(t) for t in tails if t.isdigit()), default=0)
        counter = ApplicationCounter.objects.create(campaign=campaign, category=category, last=last)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"{prefix}{n:03d}" for n in range(first, first + count)]


def _materials_pool() -> dict[str, list[dict]]:
    return {
        category: [
            sample_materials(category, organisation_name=f"{PLACEHOLDER}{i}")
            for i in range(MATERIAL_VARIANTS)
        ]
        for category in NUMBER_CODES
    }


def _materials(pool, category: str, k: int, name: str) -> dict:
    variant = pool[category][k % MATERIAL_VARIANTS]
    marker = f"{PLACEHOLDER}{k % MATERIAL_VARIANTS}"
    return {key: text.replace(marker, name) for key, text in variant.items()}


def write_applications(world, cases) -> list[Application]:
    """One Application per case, numbered in submission order per campaign and category."""
    pool = _materials_pool()
    rows = []
    for k, case in enumerate(cases):
        organisation = world.enterprises[case.enterprise]
        campaign = world.campaign(case.era)
        trades = [organisation.trade] if case.category in ("brand", "enterprise") else []
        data_year = world.data_year(case.era, case.category)
        form = sample_form_data(
            form_spec(case.category),
            category=case.category,
            organisation=organisation,
            data_year=data_year,
            trades=trades,
        )
        draft = case.status in (Status.DRAFT, Status.WITHDRAWN)
        submitted_at = case.when(Status.SUBMITTED)
        decided_at = next((case.when(s) for s in AGENCY_MOVES if case.passed(s)), None)
        application = Application(
            campaign=campaign,
            category=case.category,
            organisation=organisation,
            agency=world.agencies[case.agency],
            status=case.status,
            form_data={k2: v for i, (k2, v) in enumerate(form.items()) if i < 12}
            if draft
            else form,
            chosen_trades=trades,
            created_by=world.applicants[case.enterprise],
            created_at=case.times[0],
            updated_at=case.times[-1],
            submitted_at=submitted_at,
            decided_at=decided_at,
            submitted_details=organisation_details(organisation) if submitted_at else {},
            resubmit_by=(decided_at + timedelta(days=14)).date()
            if case.status == Status.RETURNED
            else None,
        )
        if not draft or k % 2:
            for key, value in _materials(pool, case.category, k, organisation.name).items():
                setattr(application, key, value)
        rows.append(application)
    _number(world, cases, rows)
    _freeze_confirmations(world, cases, rows)
    return insert(Application, rows, dated=True)


def _number(world, cases, rows) -> None:
    groups = defaultdict(list)
    for case, application in zip(cases, rows, strict=True):
        if application.submitted_at is not None:
            groups[(case.era, case.category)].append(application)
    for (era, category), applications in sorted(groups.items()):
        applications.sort(key=lambda a: a.submitted_at)
        numbers = take_numbers(world.campaign(era), category, len(applications))
        for application, number in zip(applications, numbers, strict=True):
            application.number = number


def _freeze_confirmations(world, cases, rows) -> None:
    """Each applicant's 活动确认表 per campaign, ticking its categories; locked, with version 1,
    once one of its applications was submitted (the applications point at that version)."""
    by_form = defaultdict(list)
    for case, application in zip(cases, rows, strict=True):
        by_form[(case.era, case.enterprise)].append(application)
    confirmations, versions = [], []
    for (era, enterprise), applications in by_form.items():
        organisation = world.enterprises[enterprise]
        data = sample_form_data(
            form_spec("confirmation"),
            category=applications[0].category,
            organisation=organisation,
            data_year=world.data_year(era, applications[0].category),
        )
        data["categories"] = sorted({a.category for a in applications})
        submitted = [a.submitted_at for a in applications if a.submitted_at]
        first = min(a.created_at for a in applications)
        confirmation = Confirmation(
            campaign=world.campaign(era),
            organisation=organisation,
            data=data,
            signer=organisation.legal_representative,
            signed_on=first.date(),
            updated_at=first,
            locked_at=min(submitted) if submitted else None,
        )
        confirmations.append((confirmation, applications))
    insert(Confirmation, [c for c, _a in confirmations], dated=True)
    for confirmation, applications in confirmations:
        if confirmation.locked_at is not None:
            version = ConfirmationVersion(
                confirmation=confirmation,
                number=1,
                data=confirmation.data,
                signer=confirmation.signer,
                signed_on=confirmation.signed_on,
                organisation_name=confirmation.organisation.name,
                created_at=confirmation.locked_at,
                created_by=world.applicants_by_org[confirmation.organisation_id],
            )
            versions.append((version, applications))
    insert(ConfirmationVersion, [v for v, _a in versions], dated=True)
    for version, applications in versions:
        for application in applications:
            if application.submitted_at is not None:
                application.confirmation_version = version


def write_recommendations(world, cases, applications) -> int:
    """The agency's signed opinion on each application it recommended, declined or returned."""
    rows = []
    for case, application in zip(cases, applications, strict=True):
        move = next((s for s in AGENCY_MOVES if case.passed(s)), None)
        if move is None:
            continue
        staff = world.agency_staff[application.agency_id]
        decision = AGENCY_MOVES[move]
        rows.append(
            Recommendation(
                application=application,
                agency_id=application.agency_id,
                decision=decision,
                opinion=OPINIONS[decision],
                signer=staff.display_name,
                signed_on=application.decided_at.date(),
                created_by=staff,
                created_at=application.decided_at,
            )
        )
    return len(insert(Recommendation, rows, dated=True))


def has_list(k: int, case) -> bool:
    """Every application past 草稿 has its list; every other draft has one already."""
    return case.status not in (Status.DRAFT, Status.WITHDRAWN) or k % 2 == 0


def write_customer_lists(world, cases, applications, per_list: int, sequence: int):
    """The current, accepted 附件3 of every application past 草稿 (and of half the drafts),
    with `per_list` customers each. Returns the lists and how many customers were written."""
    lists = []
    for k, (case, application) in enumerate(zip(cases, applications, strict=True)):
        if not has_list(k, case):
            continue
        uploaded = case.times[0] + timedelta(hours=2)
        name = application.organisation.name
        lists.append(
            CustomerList(
                application=application,
                status=CustomerListStatus.ACCEPTED,
                is_current=True,
                original_name=f"{name}用户名单.xlsx",
                sha256=hashlib.sha256(f"list-{application.pk}".encode()).hexdigest(),
                company_name=name,
                row_count=per_list,
                progress=100,
                uploaded_by=application.created_by,
                uploaded_at=uploaded,
                finished_at=uploaded + timedelta(seconds=40),
            )
        )
    lists = insert(CustomerList, lists, dated=True)
    rng = world.rng

    def customers():
        n = sequence
        for customer_list in lists:
            companies = customer_list.application.category in ("engineering", "enterprise")
            for i in range(per_list):
                name, address, contact = names.customer(rng, companies or i % 3 == 0)
                phone = names.mobile(n)
                n += 1
                yield (
                    customer_list.pk,
                    i + 3,
                    str(i + 1),
                    name,
                    address,
                    "采购部" if companies else "",
                    contact,
                    phone,
                    phone,
                    f"c{n}@example.cn" if i % 2 == 0 else "",
                )

    count = write_rows(Customer, CUSTOMER_FIELDS, customers(), batch=world.batch)
    return lists, count
