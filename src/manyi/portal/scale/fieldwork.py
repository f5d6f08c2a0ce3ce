"""The third-party surveys of the grown applications: the sample drawn from the current
customer list, the contacts' outcomes, the responses, and for a closed survey its data set and
measurement run (copied, see `measurement`).

Every decided application was surveyed and its result released; of those in evaluation most
have their survey assigned, in the field, closed or released. Contacts and responses are
written as plain rows (`bulk.write_rows`): there are hundreds of thousands.
"""

import hashlib
from collections import Counter
from datetime import timedelta

from manyi.accounts.models import Membership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.applications.models import Customer
from manyi.applications.states import Status
from manyi.fieldwork.models import (
    ContactStatus,
    Questionnaire,
    QuestionnaireStatus,
    Response,
    SampledContact,
    Survey,
    SurveyStatus,
)
from manyi.fieldwork.services import phone_key
from manyi.portal.scale.answers import RESPONSE_FIELDS, AnswerPool, response_row
from manyi.portal.scale.bulk import insert, write_rows
from manyi.portal.scale.measurement import Templates, committee, copy_run, save_runs
from manyi.portal.scale.summary import survey_summary

DECIDED = (Status.IN_NOTICE, Status.AWARDED, Status.NOT_AWARDED)
FINISHED = (SurveyStatus.CLOSED, SurveyStatus.RELEASED)
SURVEYED_SHARE_IN_EVALUATION = 0.6
IN_EVALUATION = (
    (SurveyStatus.ASSIGNED, 25),
    (SurveyStatus.IN_FIELD, 45),
    (SurveyStatus.CLOSED, 15),
    (SurveyStatus.RELEASED, 15),
)
# Outcomes of the sampled contacts, by whether the survey is still in the field.
OUTCOMES = {
    True: (
        (ContactStatus.COMPLETED, 40),
        (ContactStatus.PENDING, 22),
        (ContactStatus.INVITED, 8),
        (ContactStatus.CALLBACK, 5),
        (ContactStatus.REFUSED, 10),
        (ContactStatus.NON_CONTACT, 8),
        (ContactStatus.WRONG_NUMBER, 4),
        (ContactStatus.INELIGIBLE, 3),
    ),
    False: (
        (ContactStatus.COMPLETED, 66),
        (ContactStatus.PENDING, 6),
        (ContactStatus.REFUSED, 10),
        (ContactStatus.NON_CONTACT, 8),
        (ContactStatus.WRONG_NUMBER, 5),
        (ContactStatus.INELIGIBLE, 5),
    ),
}
RESERVE_SHARE = 0.15
CONTACT_FIELDS = (
    "survey_id",
    "campaign_id",
    "customer_id",
    "position",
    "is_reserve",
    "phone_key",
    "email",
    "status",
    "interviewer_id",
    "attempts",
    "token_hash",
    "token_expires_at",
    "invited_at",
)


def _survey_plan(world, cases, applications, lists, questionnaires):
    """(case, application, customer list, survey status) of every application surveyed."""
    plan = []
    states, weights = zip(*IN_EVALUATION, strict=True)
    for case, application in zip(cases, applications, strict=True):
        customer_list = lists.get(application.pk)
        if customer_list is None or application.category not in questionnaires:
            continue
        if case.status in DECIDED:
            plan.append((case, application, customer_list, SurveyStatus.RELEASED))
        elif case.status == Status.ACCEPTED and world.rng.random() < SURVEYED_SHARE_IN_EVALUATION:
            status = world.rng.choices(states, weights)[0]
            plan.append((case, application, customer_list, status))
    return plan


def write_surveys(world, cases, applications, lists) -> tuple[int, dict]:
    """Surveys, contacts and responses. Returns the rows written and, per decided application,
    the basis of its decision (from its survey's result)."""
    templates = Templates()
    questionnaires = {
        q.category: q for q in Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED)
    }
    firm = Organisation.objects.filter(kind=OrgKind.SURVEY_FIRM).order_by("pk").first()
    if firm is None or not templates.usable or not questionnaires:
        return 0, {}
    interviewers = list(
        Membership.objects.filter(organisation=firm, role=Role.SURVEYOR).values_list(
            "user_id", flat=True
        )
    ) or [None]
    plan = _survey_plan(world, cases, applications, lists, questionnaires)
    customers = _customers_of([customer_list.pk for _c, _a, customer_list, _s in plan])
    used_keys = set(SampledContact.objects.values_list("campaign_id", "phone_key"))
    pool = AnswerPool(world.rng)
    surveys, contacts, answered, pairs, copied, basis = [], [], [], [], [], {}
    owner = committee()
    for case, application, customer_list, status in plan:
        award = case.status != Status.NOT_AWARDED
        survey = _field(world, case, application, customer_list, status, questionnaires, firm)
        rows = _contacts(
            world, survey, customers.get(customer_list.pk, []), used_keys, status, interviewers
        )
        responses = [
            response_row(world, survey, i, contact, pool.pick(survey.questionnaire, award))
            for i, contact in enumerate(rows)
            if contact[7] == ContactStatus.COMPLETED
        ]
        contacts.append(rows)
        answered.append(responses)
        usable = sum(1 for r in responses if r.usable)
        if status in FINISHED:
            template = templates.survey(award)
            pairs.append(
                copy_run(
                    template.run,
                    title=f"第三方调查：{application.organisation.name}"
                    f"（{application.get_category_display()}，{application.campaign.year} 年度）",
                    organisation=owner,
                    by=world.staff,
                    year=application.campaign.year,
                    n_rows=usable,
                    at=survey.closed_at,
                    period_start=survey.field_opens,
                    period_end=survey.field_closes,
                    contacted=len(rows),
                )
            )
            copied.append(template.run)
            statuses = Counter(c[7] for c in rows if not c[4])
            attempts = sum(c[9] for c in rows)
            survey.summary = survey_summary(template.summary, survey, statuses, attempts, responses)
        if case.status in DECIDED:
            basis[application.pk] = templates.basis(award, usable)
        surveys.append(survey)
    runs = iter(save_runs(pairs, copied))
    for survey in surveys:
        if survey.status in FINISHED:
            survey.run = next(runs)
            survey.dataset = survey.run.dataset
    surveys = insert(Survey, surveys, dated=True)
    flat = []
    for survey, rows in zip(surveys, contacts, strict=True):
        for row in rows:
            row[0] = survey.pk
            flat.append(row)
    ids = iter(write_rows(SampledContact, CONTACT_FIELDS, flat, batch=world.batch, ids=True))
    keyed = []
    for survey, rows, responses in zip(surveys, contacts, answered, strict=True):
        contact_ids = [next(ids) for _row in rows]
        keyed += [r.row(survey.pk, contact_ids[r.index]) for r in responses]
    written = write_rows(Response, RESPONSE_FIELDS, keyed, batch=world.batch)
    return len(surveys) + len(flat) + written + 2 * len(pairs), basis


def _customers_of(list_ids: list[int]) -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = {}
    for start in range(0, len(list_ids), 500):
        rows = (
            Customer.objects.filter(customer_list_id__in=list_ids[start : start + 500])
            .order_by("customer_list_id", "row")
            .values_list("customer_list_id", "pk", "phone_normalized", "email")
        )
        for list_id, pk, phone, email in rows:
            found.setdefault(list_id, []).append((pk, phone, email))
    return found


def _field(world, case, application, customer_list, status, questionnaires, firm):
    """The unsaved Survey with its dates, from the day the committee accepted."""
    accepted = case.when(Status.ACCEPTED)
    now, today = world.now, world.now.date()
    opens = (accepted + timedelta(days=3)).date()
    closes = opens + timedelta(days=30)
    if status == SurveyStatus.IN_FIELD:
        opens = min(opens, today - timedelta(days=1))
        closes = max(closes, today + timedelta(days=10))
    closed_at = min(accepted + timedelta(days=34), now)
    sampled = status != SurveyStatus.ASSIGNED
    finished = status in FINISHED
    return Survey(
        application=application,
        campaign_id=application.campaign_id,
        firm=firm,
        questionnaire=questionnaires[application.category],
        status=status,
        target_completes=max(1, customer_list.row_count * 2 // 5),
        field_opens=opens,
        field_closes=closes,
        assigned_by=world.staff,
        assigned_at=min(accepted + timedelta(days=1), now),
        customer_list=customer_list,
        list_hash=customer_list.sha256 if sampled else "",
        seed=world.rng.randrange(10**9) if sampled else None,
        drawn_by=world.staff if sampled else None,
        drawn_at=min(accepted + timedelta(days=2), now) if sampled else None,
        closed_by=world.staff if finished else None,
        closed_at=closed_at if finished else None,
        released_by=world.staff if status == SurveyStatus.RELEASED else None,
        released_at=closed_at if status == SurveyStatus.RELEASED else None,
    )


def _contacts(world, survey, customers, used_keys: set, status, interviewers) -> list[list]:
    """The sample as rows of CONTACT_FIELDS (the survey's key filled in once it has one)."""
    if status == SurveyStatus.ASSIGNED:
        return []
    rng, rows = world.rng, []
    reserve_from = int(len(customers) * (1 - RESERVE_SHARE))
    outcomes, weights = zip(*OUTCOMES[status == SurveyStatus.IN_FIELD], strict=True)
    cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
    expires = world.now + timedelta(days=30)
    campaign = survey.campaign_id
    for position, (pk, phone, email) in enumerate(customers, start=1):
        key = phone_key(campaign, phone)
        if (campaign, key) in used_keys:
            continue  # one survey per phone per campaign, as the draw guarantees
        used_keys.add((campaign, key))
        reserve = position > reserve_from
        state = (
            ContactStatus.RESERVE if reserve else rng.choices(outcomes, cum_weights=cumulative)[0]
        )
        if state == ContactStatus.INVITED and not email:
            state = ContactStatus.PENDING
        web = state == ContactStatus.INVITED or (
            state == ContactStatus.COMPLETED and bool(email) and rng.random() < 0.3
        )
        called = not reserve and not web
        rows.append(
            [
                None,
                campaign,
                pk,
                position,
                reserve,
                key,
                email,
                state.value,
                rng.choice(interviewers) if called else None,
                rng.randrange(1, 4) if called and state != ContactStatus.PENDING else 0,
                hashlib.sha256(f"{key}/{survey.seed}".encode()).hexdigest() if web else None,
                expires if web else None,
                survey.drawn_at if web else None,
            ]
        )
    survey.sample_size = sum(1 for c in rows if not c[4])
    survey.reserve_size = len(rows) - survey.sample_size
    return rows
