"""Revisit confirmation (回访确认, Art. 23): the committee chooses title holders, notifies each
in advance (date, experts, what to prepare) and sends experts without conflict; the experts
record the on-site result. A failure becomes a proposal to revoke, sent to the association.

- `plan_revisits`: holders picked by hand; `draw_revisit_holders`: a seeded draw kept as a
  `RevisitDraw` (`check_revisit_draw` redoes it). Each chosen title gets a Revisit, planned.
- `draw_revisit_experts`: `REVISIT_EXPERTS` experts by a seeded shuffle among those the
  review's exclusion rules leave eligible (`reviews.experts.eligibility.assess_for`); the
  first drawn leads (组长). `replace_revisit_expert`: the next eligible one takes the place.
- `notify_revisit`: planned → notified, mail to the holder's users and to the experts.
- `record_revisit`: notified → passed / failed, with findings and evidence; a failure opens a
  revocation case proposed at once (`revocations.opening.open_revocation`).
- `cancel_revisit`: a planned or notified revisit is called off, with a reason.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.accounts.models import User
from manyi.accounts.roles import Role
from manyi.accounts.selectors import emails_of_role
from manyi.common.files import remove_private
from manyi.common.punctuation import labelled, local_date
from manyi.common.services import log_activity, queue_email
from manyi.reviews.experts import eligibility
from manyi.reviews.experts.draw import draw, shuffled
from manyi.supervision.evidence import attach_evidence
from manyi.supervision.models import (
    Revisit,
    RevisitDraw,
    RevisitExpert,
    RevisitStatus,
    RevocationReason,
)
from manyi.supervision.revisits import selectors
from manyi.supervision.revisits.access import (
    AHEAD,
    CANCEL,
    DRAW_EXPERTS,
    NOTIFY,
    PLAN,
    RECORD,
    REPLACE_EXPERT,
    forget_experts,
    wrong_state,
)
from manyi.titles.models import Title, TitleStatus

# Experts sent to each revisit; the first drawn is the group's leader (组长).
REVISIT_EXPERTS = 2
# A seed fits a signed 64-bit column and survives JSON and JavaScript unchanged.
SEED_LIMIT = 2**53
REASON_MAX = 500
FINDINGS_MAX = 10000
PREPARE_MAX = 5000
# Evidence files one recording may carry.
EVIDENCE_MAX = 10
OFFICIAL_LANGUAGE = "zh-hans"


def replaced_words(reason: str) -> str:
    """How a replaced expert is remembered among the excluded (in Chinese: it is the record)."""
    with translation.override(OFFICIAL_LANGUAGE):
        return _("已替换：%(reason)s") % {"reason": reason}


def default_prepare() -> str:
    """What a holder is asked to prepare, unless staff write otherwise (in Chinese: the text is
    sent to the holder as written)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("supervision/revisits/prepare_default.txt").strip()


# ------------------------------------------------------------------------------------------
# Choosing the holders


def _clean_plan(visit_on, prepare: str) -> str:
    errors = {}
    if not visit_on:
        errors["visit_on"] = _("请填写回访日期")
    elif visit_on < timezone.localdate():
        errors["visit_on"] = _("回访日期不能早于今天")
    prepare = (prepare or "").strip()
    if not prepare:
        errors["prepare"] = _("请填写需准备的材料和事项")
    elif len(prepare) > PREPARE_MAX:
        errors["prepare"] = _("需准备的材料和事项请不超过 %(n)d 字") % {"n": PREPARE_MAX}
    if errors:
        raise ValidationError(errors)
    return prepare


def _title_problem(title: Title, visit_on) -> str:
    """Why `title` cannot be revisited on `visit_on` ("" when it can)."""
    if title.status != TitleStatus.VALID:
        return _("称号%(status)s，不能回访") % {"status": title.get_status_display()}
    if title.valid_until < visit_on:
        return _("称号有效期至 %(day)s，早于回访日期") % {"day": local_date(title.valid_until)}
    if Revisit.objects.filter(title=title, status__in=AHEAD).exists():
        return _("已安排回访，请先完成或取消")
    return ""


def _create_revisit(*, title, visit_on, prepare, by, batch=None) -> Revisit:
    revisit = Revisit.objects.create(
        title=title, batch=batch, visit_on=visit_on, prepare=prepare, created_by=by
    )
    log_activity(
        actor=by,
        action="revisit.plan",
        obj=revisit,
        organisation=title.organisation,
        after={
            "title": title.number,
            "visit_on": visit_on.isoformat(),
            "draw": batch.pk if batch else None,
        },
    )
    return revisit


def plan_revisits(*, titles, visit_on, prepare: str, by) -> list[Revisit]:
    """Plan a revisit of each title picked by hand, all or nothing.

    Refused (nothing stored) for a date in the past, an empty "what to prepare", no title, or
    a title that is not valid, expires before the visit or already has a revisit ahead (each
    such title named with its reason). Side effects, in one transaction: one Revisit per title
    (planned), each with an activity-log entry "revisit.plan". Nobody is told yet: the holder
    hears of it with `notify_revisit`.
    """
    PLAN.require(by, None)
    prepare = _clean_plan(visit_on, prepare)
    titles = list(titles)
    if not titles:
        raise ValidationError({"titles": _("请至少选择一个称号")})
    with transaction.atomic():
        locked = list(
            Title.objects.select_for_update()
            .select_related("organisation")
            .filter(pk__in=[t.pk for t in titles])
            .order_by("number")
        )
        problems = [
            labelled(f"{t.number} {t.organisation.name}", problem)
            for t in locked
            if (problem := _title_problem(t, visit_on))
        ]
        if problems:
            raise ValidationError(problems)
        return [_create_revisit(title=t, visit_on=visit_on, prepare=prepare, by=by) for t in locked]


def population_hash(ids: list[int]) -> str:
    """SHA-256 of the sorted title ids written as decimal numbers separated by commas."""
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


def draw_revisit_holders(
    *, year, category: str, size: int, visit_on, prepare: str, by, seed: int | None = None
) -> RevisitDraw:
    """Draw `size` title holders at random for revisits on `visit_on`.

    The population: the titles valid on the visit date with no revisit ahead, of `year` and
    `category` when given, as sorted ids; the seed comes from `secrets` unless given; the
    drawn are the first `size` of the population shuffled with the seed
    (`reviews.experts.draw.shuffled`), so `check_revisit_draw` can redo it. Refused (nothing
    stored) when the population is smaller than `size`. Side effects, in one transaction: the
    RevisitDraw (filters, seed, population and its hash, the drawn in order); an activity-log
    entry "revisit.draw"; one planned Revisit per drawn title, each logged "revisit.plan".
    """
    PLAN.require(by, None)
    prepare = _clean_plan(visit_on, prepare)
    if not isinstance(size, int) or size < 1:
        raise ValidationError({"size": _("抽取数量至少为 1")})
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    with transaction.atomic():
        titles = selectors.revisable_titles(on=visit_on)
        if year:
            titles = titles.filter(year=year)
        if category:
            titles = titles.filter(category=category)
        population = sorted(titles.select_for_update(of=("self",)).values_list("pk", flat=True))
        if len(population) < size:
            raise ValidationError(
                {
                    "size": _("符合条件的称号只有 %(n)d 个，少于抽取数量 %(size)d 个，未抽取")
                    % {"n": len(population), "size": size}
                }
            )
        drawn = shuffled(population, seed)[:size]
        record = RevisitDraw.objects.create(
            year=year or None,
            category=category or "",
            size=size,
            seed=seed,
            population_hash=population_hash(population),
            population=population,
            drawn=drawn,
            drawn_by=by,
        )
        log_activity(
            actor=by,
            action="revisit.draw",
            obj=record,
            after={
                "year": year or None,
                "category": category or "",
                "size": size,
                "seed": seed,
                "population": len(population),
                "population_hash": record.population_hash,
                "drawn": drawn,
            },
        )
        by_id = {t.pk: t for t in Title.objects.filter(pk__in=drawn).select_related("organisation")}
        for title_id in drawn:
            _create_revisit(
                title=by_id[title_id], visit_on=visit_on, prepare=prepare, by=by, batch=record
            )
    return record


def check_revisit_draw(record: RevisitDraw) -> bool:
    """Redo a draw from its stored population and seed: True when the population still has
    its hash and the same titles come out in the same order."""
    population = list(record.population)
    if population != sorted(population) or population_hash(population) != record.population_hash:
        return False
    return shuffled(population, record.seed)[: record.size] == list(record.drawn)


# ------------------------------------------------------------------------------------------
# Experts


def _assessment(revisit: Revisit) -> eligibility.Assessment:
    """The pool as it stands for this revisit: the review's rules, under the campaign of the
    visit's year; the load counts the expert's other revisits ahead in that year and category."""
    title = revisit.title
    campaign = selectors.campaign_for(revisit)
    _per_application, cap = eligibility.settings_for(campaign.pk, title.category)
    others = (
        RevisitExpert.objects.filter(
            revisit__status__in=AHEAD,
            revisit__visit_on__year=revisit.visit_on.year,
            revisit__title__category=title.category,
        )
        .exclude(revisit_id=revisit.pk)
        .values_list("expert_id", flat=True)
    )
    extra: dict[int, int] = {}
    for expert_id in others:
        extra[expert_id] = extra.get(expert_id, 0) + 1
    return eligibility.assess_for(
        organisation=title.organisation,
        agency=title.application.agency,
        campaign_id=campaign.pk,
        category=title.category,
        needed=REVISIT_EXPERTS,
        cap=cap,
        extra_load=extra,
    )


def _locked(revisit: Revisit) -> Revisit:
    return (
        Revisit.objects.select_for_update(of=("self",))
        .select_related("title__organisation", "title__application__agency")
        .get(pk=revisit.pk)
    )


def draw_revisit_experts(*, revisit: Revisit, by, seed: int | None = None) -> Revisit:
    """Draw the revisit's experts (`REVISIT_EXPERTS`), the first drawn leading the group.

    The seed comes from `secrets` unless given. Refused, with nothing stored, when fewer
    experts are eligible than needed. Side effects, in one transaction: the revisit's seed and
    the excluded with their reasons; one RevisitExpert per drawn expert; an activity-log entry
    "revisit.experts" (seed, number of candidates, drawn ids). The experts are told with the
    holder, by `notify_revisit`.
    """
    DRAW_EXPERTS.require(by, revisit)
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    with transaction.atomic():
        current = _locked(revisit)
        DRAW_EXPERTS.require(by, current)
        assessment = _assessment(current)
        picks = draw(assessment.eligible, seed, REVISIT_EXPERTS, assessment.load, assessment.cap)
        if len(picks) < REVISIT_EXPERTS:
            raise ValidationError(
                _(
                    "符合回避要求的专家只有 %(n)d 位，少于回访所需的 %(needed)d 位，未抽取。"
                    "请先请专家签署本年度声明或扩充专家库"
                )
                % {"n": len(picks), "needed": REVISIT_EXPERTS}
            )
        current.expert_seed = seed
        current.excluded = {str(k): v for k, v in sorted(assessment.excluded.items())}
        current.save(update_fields=["expert_seed", "excluded"])
        for index, (position, expert_id) in enumerate(picks):
            RevisitExpert.objects.create(
                revisit=current, expert_id=expert_id, position=position, leader=index == 0
            )
        log_activity(
            actor=by,
            action="revisit.experts",
            obj=current,
            organisation=current.title.organisation,
            after={
                "seed": seed,
                "candidates": len(assessment.eligible),
                "excluded": len(assessment.excluded),
                "drawn": [expert_id for _position, expert_id in picks],
            },
        )
    forget_experts(revisit)
    return current


def _clean_reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(missing)
    if len(reason) > REASON_MAX:
        raise ValidationError(_("原因请不超过 %(n)d 字") % {"n": REASON_MAX})
    return reason


def _next_expert(revisit: Revisit) -> int | None:
    """The next expert down the revisit's seeded order who is eligible now, never assigned to
    it and not replaced on it."""
    assessment = _assessment(revisit)
    assigned = set(
        RevisitExpert.objects.filter(revisit=revisit).values_list("expert_id", flat=True)
    )
    mark = replaced_words("")
    replaced = {int(k) for k, v in (revisit.excluded or {}).items() if str(v).startswith(mark)}
    eligible = set(assessment.eligible)
    for expert_id in shuffled(eligible | assigned, revisit.expert_seed or 0):
        if expert_id in eligible and expert_id not in assigned | replaced:
            return expert_id
    return None


def replace_revisit_expert(*, revisit_expert: RevisitExpert, by, reason: str) -> RevisitExpert:
    """Staff replace an expert of a revisit ahead with the next eligible one, with a reason.

    The new expert takes the place (position, and the leader's role if it was theirs); the
    replaced one is kept among the excluded with the reason. When nobody eligible is left,
    refused and nothing changes. Side effects, in one transaction: the RevisitExpert replaced;
    the revisit's excluded updated; an activity-log entry "revisit.experts" (the reason as its
    note); when the holder was already notified, mail to the replaced expert, the new expert
    and the holder's users.
    """
    REPLACE_EXPERT.require(by, revisit_expert)
    reason = _clean_reason(reason, _("请填写替换原因"))
    with transaction.atomic():
        revisit = _locked(revisit_expert.revisit)
        if revisit.status not in AHEAD:
            raise wrong_state(revisit)
        try:
            old = RevisitExpert.objects.select_for_update().get(pk=revisit_expert.pk)
        except RevisitExpert.DoesNotExist as exc:
            raise ValidationError(_("该专家已被替换，请刷新页面")) from exc
        new_id = _next_expert(revisit)
        if new_id is None:
            raise ValidationError(_("没有其他符合回避要求的专家可以替换，专家组保持不变"))
        place = {"position": old.position, "leader": old.leader}
        old_expert = old.expert
        old.delete()
        new = RevisitExpert.objects.create(revisit=revisit, expert_id=new_id, **place)
        revisit.excluded = {
            **(revisit.excluded or {}),
            str(old_expert.pk): replaced_words(reason),
        }
        revisit.save(update_fields=["excluded"])
        log_activity(
            actor=by,
            action="revisit.experts",
            obj=revisit,
            organisation=revisit.title.organisation,
            before={"expert": old_expert.pk, **place},
            after={"expert": new_id, **place},
            note=reason,
        )
        if revisit.status == RevisitStatus.NOTIFIED:
            queue_email(
                to=old_expert.email,
                template="supervision/revisit_expert_released",
                context={"revisit": revisit, "title": revisit.title, "reason": reason},
            )
            _tell_experts(revisit, only=[new])
            _tell_holder(revisit, changed=True)
    forget_experts(revisit_expert.revisit)
    return new


# ------------------------------------------------------------------------------------------
# Notice, result, cancellation


def _experts_of(revisit) -> list[RevisitExpert]:
    return list(revisit.experts.select_related("expert").order_by("position"))


def _tell_holder(revisit: Revisit, *, changed: bool = False) -> int:
    experts = _experts_of(revisit)
    context = {
        "revisit": revisit,
        "title": revisit.title,
        "experts": [e.expert.display_name for e in experts],
        "leader": next((e.expert.display_name for e in experts if e.leader), ""),
        "changed": changed,
        "url": reverse("supervision:revisit_holder_list"),
    }
    emails = selectors.holder_emails(revisit.title)
    for email in emails:
        queue_email(to=email, template="supervision/revisit_notice", context=context)
    return len(emails)


def _tell_experts(revisit: Revisit, *, only=None) -> None:
    experts = _experts_of(revisit)
    names = [e.expert.display_name for e in experts]
    for place in only or experts:
        expert = User.objects.only("email", "full_name").get(pk=place.expert_id)
        queue_email(
            to=expert.email,
            template="supervision/revisit_expert",
            context={
                "revisit": revisit,
                "title": revisit.title,
                "expert": expert,
                "leader": place.leader,
                "experts": names,
                "url": reverse("supervision:revisit_detail", args=[revisit.pk]),
            },
        )


def notify_revisit(*, revisit: Revisit, by) -> Revisit:
    """Tell the holder and the experts of a planned revisit (planned → notified).

    Refused without experts, or when the visit date has passed. Side effects, in one
    transaction: the revisit notified with the time; an activity-log entry "revisit.notify";
    mail to each of the holder's enterprise users (date, experts, what to prepare) and to each
    expert (the holder, the date, the page of the revisit).
    """
    NOTIFY.require(by, revisit)
    with transaction.atomic():
        current = _locked(revisit)
        NOTIFY.require(by, current)
        current.status = RevisitStatus.NOTIFIED
        current.notified_at = timezone.now()
        current.save(update_fields=["status", "notified_at"])
        told = _tell_holder(current)
        _tell_experts(current)
        log_activity(
            actor=by,
            action="revisit.notify",
            obj=current,
            organisation=current.title.organisation,
            before={"status": RevisitStatus.PLANNED},
            after={
                "status": current.status,
                "visit_on": current.visit_on.isoformat(),
                "holder_users": told,
                "experts": [e.expert_id for e in _experts_of(current)],
            },
        )
    return current


def revocation_proposal(revisit: Revisit, findings: str) -> str:
    """The committee's proposal that a failed revisit becomes (in Chinese: it is the record)."""
    with translation.override(OFFICIAL_LANGUAGE):
        return _(
            "%(day)s对%(holder)s（称号证书编号 %(number)s）进行回访确认，专家组确认未通过。"
            "回访发现：%(findings)s\n根据《广州市实施用户满意工程管理办法》第二十三条，"
            "建议撤销其“%(category)s”称号，收回已获的证书、牌匾。"
        ) % {
            "day": local_date(revisit.visit_on),
            "holder": revisit.title.organisation.name,
            "number": revisit.title.number,
            "findings": findings,
            "category": revisit.title.get_category_display(),
        }


def record_revisit(*, revisit: Revisit, by, passed: bool, findings: str, evidence=()) -> Revisit:
    """Record the on-site result of a notified revisit: passed or failed, with findings.

    By the experts' leader (组长) or committee staff, from the visit date on. `evidence`: files
    checked like every upload (PDF, JPEG, PNG). Refused, with nothing stored and no file left
    behind, without findings or with a file that is not genuine. Side effects, in one
    transaction, in order: the revisit passed / failed with findings, recorder and time; an
    activity-log entry "revisit.record"; the evidence attached (each logged
    "supervision.evidence"); on a failure, while the title is valid and has no case in
    progress, a revocation case proposed at once to the association's administrator
    (`open_revocation`: logged, mailed); mail to committee staff.
    """
    from manyi.applications.evidence import check_evidence_file
    from manyi.supervision.revocations.opening import open_case_of, open_revocation

    RECORD.require(by, revisit)
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError({"findings": _("请填写回访发现")})
    if len(findings) > FINDINGS_MAX:
        raise ValidationError({"findings": _("回访发现请不超过 %(n)d 字") % {"n": FINDINGS_MAX}})
    files = [f for f in evidence or () if f]
    if len(files) > EVIDENCE_MAX:
        raise ValidationError({"evidence": _("每次最多上传 %(n)d 个文件") % {"n": EVIDENCE_MAX}})
    for upload in files:  # every file checked before anything changes
        try:
            check_evidence_file(upload)
        except ValidationError as exc:
            raise ValidationError(
                {"evidence": [labelled(upload.name, message) for message in exc.messages]}
            ) from exc
    attached = []
    try:
        with transaction.atomic():
            current = _locked(revisit)
            RECORD.require(by, current)
            current.status = RevisitStatus.PASSED if passed else RevisitStatus.FAILED
            current.findings = findings
            current.recorded_by = by
            current.recorded_at = timezone.now()
            current.save(update_fields=["status", "findings", "recorded_by", "recorded_at"])
            log_activity(
                actor=by,
                action="revisit.record",
                obj=current,
                organisation=current.title.organisation,
                before={"status": RevisitStatus.NOTIFIED},
                after={"status": current.status, "evidence": len(files)},
                note=findings,
            )
            for upload in files:
                attached.append(attach_evidence(owner=current, upload=upload, by=by))
            title = Title.objects.select_for_update().get(pk=current.title_id)
            if not passed and title.status == TitleStatus.VALID and open_case_of(title) is None:
                open_revocation(
                    title=title,
                    reason=RevocationReason.FAILED_REVISIT,
                    facts=findings,
                    by=by,
                    proposed=True,
                    proposal=revocation_proposal(current, findings),
                    revisit=current,
                )
            for email in emails_of_role(Role.COMMITTEE_STAFF):
                queue_email(
                    to=email,
                    template="supervision/revisit_recorded",
                    context={
                        "revisit": current,
                        "title": current.title,
                        "url": reverse("supervision:revisit_detail", args=[current.pk]),
                    },
                )
    except BaseException:
        for evidence_row in attached:  # the rows went with the transaction; so do the files
            remove_private(evidence_row.path)
        raise
    return current


def cancel_revisit(*, revisit: Revisit, by, reason: str) -> Revisit:
    """Call off a planned or notified revisit, with a reason.

    Side effects, in one transaction: the revisit cancelled with its reason; an activity-log
    entry "revisit.cancel" (the reason as its note); when the holder had been notified, mail to its
    users and to the experts.
    """
    CANCEL.require(by, revisit)
    reason = _clean_reason(reason, _("请填写取消原因"))
    with transaction.atomic():
        current = _locked(revisit)
        CANCEL.require(by, current)
        before = current.status
        current.status = RevisitStatus.CANCELLED
        current.cancel_reason = reason
        current.save(update_fields=["status", "cancel_reason"])
        log_activity(
            actor=by,
            action="revisit.cancel",
            obj=current,
            organisation=current.title.organisation,
            before={"status": before},
            after={"status": current.status},
            note=reason,
        )
        if before == RevisitStatus.NOTIFIED:
            context = {"revisit": current, "title": current.title, "reason": reason}
            recipients = selectors.holder_emails(current.title) + [
                e.expert.email for e in _experts_of(current)
            ]
            for email in recipients:
                queue_email(to=email, template="supervision/revisit_cancelled", context=context)
    return current
