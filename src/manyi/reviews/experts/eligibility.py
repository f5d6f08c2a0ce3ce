"""Who may be drawn to review one application, and why the others may not.

The pool: people with an active expert membership whose profile is in the pool and available.
For one application each of them is either eligible or left out with every reason that applies,
in words staff read on the review page and that are stored with the draw. Everything is loaded
in a handful of bulk queries, whatever the size of the pool.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from manyi.accounts.models import Membership, User
from manyi.accounts.roles import Role
from manyi.campaigns.models import DEFAULT_EXPERTS_PER_APPLICATION, CampaignCategory
from manyi.reviews.models import Assignment, AssignmentStatus, Declaration

# Legal-form words that say nothing about which organisation it is (a longer one before the
# shorter one it ends with).
_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "分公司",
    "公司",
    "集团",
    # Latin names, their punctuation already gone: "Co., Ltd." → "coltd".
    "colimited",
    "coltd",
    "limited",
    "ltd",
    "corporation",
    "corp",
    "company",
    "inc",
)
_SPACES_AND_BRACKETS = re.compile(r"[\s()\[\]【】〔〕\"'“”‘’·.,，、]+")
# A core name shorter than this ("公司" alone, one character) matches too much to mean anything.
MIN_CORE = 2
DEFAULT_WORKLOAD_CAP = CampaignCategory._meta.get_field("expert_workload_cap").default


def normalise_name(name: str) -> str:
    """An organisation's name without spaces, brackets and trailing legal-form words:
    "广州 珠江家电（集团）有限公司" → "广州珠江家电"."""
    text = _SPACES_AND_BRACKETS.sub("", unicodedata.normalize("NFKC", name or "").lower())
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                stripped = True
                break
    return text


def employer_matches(employer: str, applicant: str) -> bool:
    """The employer is the applicant, or contains its name ("珠江家电有限公司研发中心")."""
    core = normalise_name(applicant)
    if len(core) < MIN_CORE or not employer:
        return False
    return core in _plain(employer)


def names_applicant(lines: str, applicant: str) -> bool:
    """One of the lines (declared former employers, clients, competitors) names the applicant,
    by its full name or a shorter one ("格力" for 珠海格力电器股份有限公司)."""
    core = normalise_name(applicant)
    if len(core) < MIN_CORE:
        return False
    for line in (lines or "").splitlines():
        named = normalise_name(line)
        if len(named) >= MIN_CORE and (core in _plain(line) or named in core):
            return True
    return False


def _plain(name: str) -> str:
    return _SPACES_AND_BRACKETS.sub("", unicodedata.normalize("NFKC", name or "").lower())


def pool():
    """Users who may be drawn at all: an active expert membership, in the pool, available."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.EXPERT,
            memberships__is_active=True,
            expert_profile__in_pool=True,
            expert_profile__available=True,
        )
        .distinct()
        .order_by("pk")
    )


@dataclass
class Assessment:
    """The pool as it stands for one application."""

    needed: int
    cap: int
    eligible: list[int] = field(default_factory=list)  # user ids, sorted
    excluded: dict[int, str] = field(default_factory=dict)  # user id -> the reasons, in words
    load: dict[int, int] = field(default_factory=dict)  # active assignments elsewhere


def settings_for(campaign_id, category) -> tuple[int, int]:
    """(experts per application, workload cap) of a campaign's category (defaults without one)."""
    setting = CampaignCategory.objects.filter(campaign_id=campaign_id, category=category).first()
    if setting is None:
        return DEFAULT_EXPERTS_PER_APPLICATION, DEFAULT_WORKLOAD_CAP
    return setting.experts_per_application, setting.expert_workload_cap


def settings_of(application) -> tuple[int, int]:
    """(experts per application, workload cap) of the application's campaign category."""
    return settings_for(application.campaign_id, application.category)


def assess(application) -> Assessment:
    """Each pool expert's standing for `application` (the organisation and agency loaded)."""
    needed, cap = settings_of(application)
    return assess_for(
        organisation=application.organisation,
        agency=application.agency,
        campaign_id=application.campaign_id,
        category=application.category,
        needed=needed,
        cap=cap,
        skip_application_id=application.pk,
    )


def assess_for(
    *,
    organisation,
    agency,
    campaign_id,
    category,
    needed: int,
    cap: int,
    skip_application_id=None,
    extra_load: Mapping[int, int] | None = None,
) -> Assessment:
    """Each pool expert's standing for a visit to or a review of `organisation` (recommended by
    `agency`, None when it applied directly), under the declarations of `campaign_id`.

    The rules are the review's, whatever the occasion (an application's review, a title
    holder's revisit): the declaration of that campaign signed; not a member of the
    organisation or of its agency; not employed by it; no declared interest in it, and not
    among the declared former employers, clients or competitors; the workload under `cap`.
    The load is the expert's active review assignments of the campaign and category (but
    `skip_application_id`'s own), plus `extra_load` (e.g. the revisits the expert already has).
    """
    experts = dict(pool().values_list("pk", "expert_profile__employer"))
    ids = list(experts)
    assessment = Assessment(needed=needed, cap=cap)
    if not ids:
        return assessment
    members: dict[int, set[int]] = {}
    for user_id, org_id in Membership.objects.filter(
        user_id__in=ids,
        is_active=True,
        organisation_id__in=[o.pk for o in (organisation, agency) if o is not None],
    ).values_list("user_id", "organisation_id"):
        members.setdefault(user_id, set()).add(org_id)
    declared = dict(
        Declaration.objects.filter(campaign_id=campaign_id, expert_id__in=ids).values_list(
            "expert_id", "competitors"
        )
    )
    conflicted = set(
        Declaration.conflicts.through.objects.filter(
            declaration__campaign_id=campaign_id,
            declaration__expert_id__in=ids,
            organisation_id=organisation.pk,
        ).values_list("declaration__expert_id", flat=True)
    )
    assignments = Assignment.objects.filter(
        status=AssignmentStatus.ACTIVE,
        application__campaign_id=campaign_id,
        application__category=category,
        expert_id__in=ids,
    )
    if skip_application_id is not None:
        assignments = assignments.exclude(application_id=skip_application_id)
    assessment.load = dict(
        assignments.values("expert_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("expert_id", "n")
    )
    for expert_id, n in (extra_load or {}).items():
        if expert_id in experts and n:
            assessment.load[expert_id] = assessment.load.get(expert_id, 0) + n
    for expert_id in ids:
        reasons = []
        if expert_id not in declared:
            reasons.append(_("未签署本年度保密和无利益冲突声明"))
        orgs = members.get(expert_id, set())
        if organisation.pk in orgs:
            reasons.append(_("是申报单位的成员"))
        if employer_matches(experts[expert_id], organisation.name):
            reasons.append(
                _("工作单位（%(employer)s）与申报单位相同或相关") % {"employer": experts[expert_id]}
            )
        if agency is not None and agency.pk in orgs:
            reasons.append(_("是推荐单位（%(agency)s）的工作人员或专家") % {"agency": agency.name})
        if expert_id in conflicted:
            reasons.append(_("声明与申报单位有利益关系"))
        if names_applicant(declared.get(expert_id, ""), organisation.name):
            reasons.append(_("声明的曾任职、顾问或竞争关系单位包含申报单位"))
        load = assessment.load.get(expert_id, 0)
        if load >= cap:
            reasons.append(
                _("本年度本类别已指派 %(n)d 份，达到上限 %(cap)d 份") % {"n": load, "cap": cap}
            )
        if reasons:
            assessment.excluded[expert_id] = "；".join(reasons)
        else:
            assessment.eligible.append(expert_id)
    return assessment
