"""Grow the demo world to a city's year (`manage.py grow_world`): thousands of enterprises and
applications across ~50 agencies, all five categories and every state, with the rows each
state implies, customer lists, surveys and their responses, measurement runs, the activity
log and the mail. For the web benchmark (benchmarks/web_load.py) and for trying pages at size.

Written in bulk (batches of 5,000, no signals, no services): the services' side effects that
matter to the pages — numbers, frozen forms, opinions, log entries, mails — are written here
directly, consistent with the state each application is in (see `plan.PATHS`). Each run adds
new enterprises with their applications, so running it twice adds more; the same seed on the
same database grows the same world. Everything happens in one transaction.
"""

import math
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.portal.scale import applications as applying
from manyi.portal.scale import fieldwork, outcomes, people, plan, reviews, trail
from manyi.portal.scale.bulk import BATCH, Steps
from manyi.portal.scale.measurement import Templates, committee, write_agency_runs
from manyi.portal.scale.world import World, schedule, widen_quotas

MILLION = 1_000_000


def customers_per_list(cases, million: bool, per_list: int) -> int:
    """Rows per list: as asked, or enough for a million customers in all."""
    if not million:
        return per_list
    lists = sum(1 for k, case in enumerate(cases) if applying.has_list(k, case))
    return math.ceil(MILLION / max(lists, 1))


def grow_world(
    *,
    applications: int,
    per_list: int = 60,
    million: bool = False,
    agencies: int = 50,
    experts: int | None = None,
    seed: int = 2026,
    batch: int = BATCH,
    write=print,
) -> dict:
    """Grow the world by `applications`; returns what was written, by step (rows, seconds)."""
    steps = Steps(write)
    with transaction.atomic():
        sequence = people.next_sequence()
        rng = random.Random(f"{seed}:{sequence}")
        world = World.of_the_demo(rng, timezone.now(), batch)
        with steps.step(_("推进机构")) as done:
            world.agencies, world.agency_staff, new_agencies = people.grow_agencies(
                rng, agencies, world.now, sequence
            )
            done["rows"] = len(world.agencies)
        with steps.step(_("企业和企业用户")) as done:
            count = math.ceil(applications * plan.ENTERPRISES_PER_APPLICATION)
            world.enterprises, world.applicants = people.grow_enterprises(
                rng, count, world.now, sequence
            )
            world.applicants_by_org = {
                e.pk: u for e, u in zip(world.enterprises, world.applicants, strict=True)
            }
            done["rows"] = 2 * count
        cases = plan.plan_cases(rng, applications, [e.trade for e in world.enterprises])
        memberships = plan.plan_memberships(rng, len(world.enterprises), len(world.agencies))
        for case in cases:
            case.agency = memberships[case.enterprise][0]
        schedule(world, cases)
        with steps.step(_("会员关系")) as done:
            done["rows"] = people.join_agencies(
                rng,
                world.enterprises,
                world.agencies,
                memberships,
                {c.enterprise for c in cases},
                world.agency_staff,
                world.now,
            )
        with steps.step(_("评审专家")) as done:
            wanted = experts if experts is not None else max(20, applications // 50)
            world.experts = people.grow_experts(rng, wanted, committee(), world.now, sequence)
            done["rows"] = wanted
        with steps.step(_("申报和活动确认表")) as done:
            grown = applying.write_applications(world, cases)
            done["rows"] = len(grown)
        with steps.step(_("推荐意见")) as done:
            done["rows"] = applying.write_recommendations(world, cases, grown)
        rows = customers_per_list(cases, million, per_list)
        with steps.step(_("用户名单和用户")) as done:
            lists, customers = applying.write_customer_lists(world, cases, grown, rows, sequence)
            by_application = {
                customer_list.application_id: customer_list for customer_list in lists
            }
            done["rows"] = len(lists) + customers
        with steps.step(_("形式审查和补正通知")) as done:
            done["rows"] = reviews.write_formal_reviews(world, cases, grown)
        with steps.step(_("专家抽取和评分")) as done:
            done["rows"] = reviews.write_expert_reviews(world, cases, grown)
        with steps.step(_("第三方调查和回答")) as done:
            done["rows"], basis = fieldwork.write_surveys(world, cases, grown, by_application)
        with steps.step(_("评定意见和称号")) as done:
            done["rows"] = outcomes.write_outcomes(world, cases, grown, basis)
        with steps.step(_("推进机构测评")) as done:
            done["rows"] = write_agency_runs(world, Templates(), new_agencies)
        with steps.step(_("操作日志和邮件")) as done:
            done["rows"] = trail.write_trail(world, cases, grown, by_application)
        with steps.step(_("推荐名额")) as done:
            done["rows"] = widen_quotas(world, grown)
    rows, seconds = steps.total()
    write(_("合计 %(rows)s 行，用时 %(seconds).1f 秒") % {"rows": f"{rows:,}", "seconds": seconds})
    return {label: (n, s) for label, n, s in steps.done}
