"""The similarity check of a campaign's materials (Art. 26 剽窃) and of client appraisals.

`request_similarity_run` queues a run; the worker's `execute_run` compares every application
of the campaign after its recommendation with every other of the campaign and with every
submitted application of earlier campaigns, text by text (the four materials, also one
section against another), and checks each engineering application's client appraisal against
the applicant's own people. `review_flag` records the committee's verdict on one flag.

The engine (numpy) is imported inside the functions that use it, so loading the URL
configuration stays light.
"""

import hashlib
import logging
import time
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Membership
from manyi.applications.customers.rows import Phone, mask_phone, parse_phone, split_phones
from manyi.applications.models import Application, ClientAppraisal, Customer
from manyi.applications.states import AFTER_RECOMMENDATION
from manyi.campaigns.categories import Category
from manyi.common.jobs import JobKind, confirm_claim, current_claim, enqueue
from manyi.common.services import log_activity
from manyi.reviews.access import REVIEW_FLAG, RUN_SIMILARITY
from manyi.reviews.models import (
    FlagKind,
    FlagStatus,
    MaterialSignature,
    RunStatus,
    SimilarityFlag,
    SimilarityRun,
)
from manyi.reviews.similarity.boilerplate import SECTIONS

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = Decimal("0.30")
MIN_THRESHOLD, MAX_THRESHOLD = Decimal("0.10"), Decimal("0.90")
# Characters of the original text shown before and after a shared passage.
CONTEXT = 30
# A run left "running" longer than this was lost with its worker: another may be requested.
STALE_AFTER = timezone.timedelta(hours=2)


# --------------------------------------------------------------------------------------------
# Requesting a run


def request_similarity_run(*, campaign, by, threshold=None) -> SimilarityRun:
    """Queue a similarity check of ``campaign``.

    Refused while another check of the campaign is queued or running, or with a threshold
    outside 0.10–0.90. Side effects: a SimilarityRun (queued), an activity-log entry
    ``similarity.request``, and its job (``common.jobs``), handed to the worker after commit.
    """
    RUN_SIMILARITY.require(by, campaign)
    threshold = DEFAULT_THRESHOLD if threshold is None else Decimal(threshold)
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise ValidationError(
            _("相似度阈值应在 %(low)s 至 %(high)s 之间")
            % {"low": MIN_THRESHOLD, "high": MAX_THRESHOLD}
        )
    with transaction.atomic():
        busy = SimilarityRun.objects.select_for_update().filter(
            campaign=campaign,
            status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
            requested_at__gte=timezone.now() - STALE_AFTER,
        )
        if busy.exists():
            raise ValidationError(_("本年度已有一次比对正在进行，请等它完成后再发起"))
        run = SimilarityRun.objects.create(campaign=campaign, threshold=threshold, requested_by=by)
        log_activity(
            actor=by,
            action="similarity.request",
            obj=run,
            after={"campaign": campaign.year, "threshold": str(threshold)},
        )
        enqueue(JobKind.SIMILARITY_RUN, run.pk)
    return run


# --------------------------------------------------------------------------------------------
# Running it (worker)


def execute_run(*, run: SimilarityRun) -> SimilarityRun:
    """Compare the campaign's materials and check its appraisals (worker).

    Claimed with its old status, so two workers never both run it. Signatures of changed texts
    are stored first (a cache, right whatever follows). Then, in one transaction: the open
    flags of earlier runs of the campaign removed, one flag per pair of texts above the
    threshold and one per appraisal whose people match the applicant's (a pair already
    confirmed or dismissed is not flagged again), the run DONE with its counts, logged
    ``similarity.done``. Any failure: the run FAILED with the reason, logged
    ``similarity.failed``, and no flag changed.

    Under a job (``common.jobs``) a run left "running" by a killed attempt is taken up again
    (the job's claim says which attempt may work), and the flags are committed only while the
    attempt still owns its job. Signatures stored by a killed attempt are right and reused.
    """
    takes = (RunStatus.QUEUED, RunStatus.RUNNING) if current_claim() else (RunStatus.QUEUED,)
    claimed = SimilarityRun.objects.filter(pk=run.pk, status__in=takes).update(
        status=RunStatus.RUNNING
    )
    if not claimed:
        run.refresh_from_db()
        return run
    started = time.perf_counter()
    try:
        queries, references = _corpus(run.campaign)
        text_flags = _text_flags(run, queries, references)
        appraisal_flags = _appraisal_flags(run, queries)
        with transaction.atomic():
            reviewed = _reviewed_keys(run.campaign)
            SimilarityFlag.objects.filter(
                run__campaign=run.campaign, status=FlagStatus.OPEN
            ).delete()
            new = [f for f in text_flags + appraisal_flags if _key(f) not in reviewed]
            SimilarityFlag.objects.bulk_create(new)
            SimilarityRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                finished_at=timezone.now(),
                compared=len(queries),
                flagged=len(new),
                seconds=time.perf_counter() - started,
                error="",
            )
            run.refresh_from_db()
            log_activity(
                actor="worker",
                action="similarity.done",
                obj=run,
                after={"compared": run.compared, "flagged": run.flagged},
            )
            confirm_claim()  # last: a stalled attempt whose job was requeued rolls this back
    except Exception as exc:  # noqa: BLE001 - any failure ends the run as failed, not stuck
        logger.exception("similarity run %s failed", run.pk)
        with transaction.atomic():
            SimilarityRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED,
                finished_at=timezone.now(),
                seconds=time.perf_counter() - started,
                error=_("比对未能完成（%(reason)s），未保存任何结果，请稍后重新发起")
                % {"reason": type(exc).__name__},
            )
            run.refresh_from_db()
            log_activity(
                actor="worker",
                action="similarity.failed",
                obj=run,
                after={"error": type(exc).__name__},
            )
            confirm_claim()
    return run


def fail_run(*, run: SimilarityRun, message: str) -> SimilarityRun:
    """The run's job was interrupted on every attempt: the run fails with the message, logged
    ``similarity.failed``, so another can be requested at once. Nothing if it has finished."""
    with transaction.atomic():
        failed = SimilarityRun.objects.filter(
            pk=run.pk, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
        ).update(status=RunStatus.FAILED, finished_at=timezone.now(), error=message)
        run.refresh_from_db()
        if failed:
            log_activity(
                actor="worker", action="similarity.failed", obj=run, after={"error": "interrupted"}
            )
    return run


def _corpus(campaign) -> tuple[list[Application], list[Application]]:
    """This campaign's applications after recommendation, and earlier campaigns' submitted
    applications with any materials."""
    fields = ("id", "organisation_id", "campaign_id", "category", *SECTIONS)
    queries = list(
        Application.objects.filter(campaign=campaign, status__in=AFTER_RECOMMENDATION)
        .select_related("organisation")
        .order_by("pk")
    )
    has_text = Q()
    for section in SECTIONS:
        has_text |= ~Q(**{section: ""})
    references = list(
        Application.objects.filter(campaign__year__lt=campaign.year, submitted_at__isnull=False)
        .filter(has_text)
        .only(*fields)
        .order_by("pk")
    )
    return queries, references


def text_digest(text: str) -> str:
    """What a stored signature was computed from: the engine's settings and the text."""
    from manyi.reviews.similarity.engine import SIGNATURE_VERSION

    return hashlib.sha256(f"{SIGNATURE_VERSION}\n{text}".encode()).hexdigest()


def _text_flags(run, queries, references) -> list[SimilarityFlag]:
    from manyi.reviews.similarity import engine
    from manyi.reviews.similarity.boilerplate import boilerplate_texts

    documents, keys, digests = [], [], []
    cached = {
        (s.application_id, s.section): s
        for s in MaterialSignature.objects.filter(
            application_id__in=[a.pk for a in queries + references]
        )
    }
    for application, is_query in [(a, True) for a in queries] + [(a, False) for a in references]:
        for section in SECTIONS:
            text = getattr(application, section) or ""
            if not text.strip():
                continue
            digest = text_digest(text)
            stored = cached.get((application.pk, section))
            signature = None
            if stored is not None and stored.text_sha256 == digest:
                signature = engine.from_bytes(stored.signature)
            documents.append(
                engine.Document(
                    (application.pk, section),
                    text,
                    application.organisation_id,
                    is_query,
                    signature,
                )
            )
            keys.append((application, section))
            digests.append(digest)
    boilerplate = engine.boilerplate_hashes(boilerplate_texts())
    result = engine.compare(documents, boilerplate, float(run.threshold))
    _store_signatures(documents, result, digests, cached)
    return [_text_flag(run, m, documents, keys) for m in result.matches]


def _store_signatures(documents, result, digests, cached) -> None:
    from manyi.reviews.similarity import engine

    changed = []
    for k, document in enumerate(documents):
        if document.signature is not None:
            continue
        application_id, section = document.key
        changed.append(
            MaterialSignature(
                application_id=application_id,
                section=section,
                text_sha256=digests[k],
                shingles=len(result.prepared[k].hashes),
                signature=engine.to_bytes(result.signatures[k]),
            )
        )
    if changed:
        MaterialSignature.objects.bulk_create(
            changed,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["application", "section"],
            update_fields=["text_sha256", "shingles", "signature"],
        )


def _text_flag(run, found, documents, keys) -> SimilarityFlag:
    """One flag, from the side of the application in this campaign (of both: the one whose
    text is more covered by the other's)."""
    a, b = found.a, found.b
    share_a, share_b = found.share_a, found.share_b
    passages = found.passages
    swap = (not documents[a].query and documents[b].query) or (
        documents[a].query == documents[b].query and share_b > share_a
    )
    if swap:
        a, b, share_a, share_b = b, a, share_b, share_a
    app, section = keys[a]
    other, other_section = keys[b]
    text_a, text_b = documents[a].text, documents[b].text
    shown = []
    for p in passages:
        a0, a1, b0, b1 = (
            (p.b_start, p.b_end, p.a_start, p.a_end)
            if swap
            else (p.a_start, p.a_end, p.b_start, p.b_end)
        )
        shown.append(
            {
                "a_before": text_a[max(0, a0 - CONTEXT) : a0],
                "a": text_a[a0:a1],
                "a_after": text_a[a1 : a1 + CONTEXT],
                "b_before": text_b[max(0, b0 - CONTEXT) : b0],
                "b": text_b[b0:b1],
                "b_after": text_b[b1 : b1 + CONTEXT],
                "length": a1 - a0,
            }
        )
    shown.sort(key=lambda p: text_a.find(p["a"]))
    return SimilarityFlag(
        run=run,
        kind=FlagKind.TEXT,
        application=app,
        other=other,
        section=section,
        other_section=other_section,
        share=Decimal(str(round(share_a, 3))),
        detail={
            "share_other": round(share_b, 3),
            "passages": shown,
        },
    )


def _key(flag) -> tuple:
    """A flag's pair, whichever side a run put first."""
    sides = frozenset({(flag.application_id, flag.section), (flag.other_id, flag.other_section)})
    return (flag.kind, sides)


def _reviewed_keys(campaign) -> set:
    return {
        _key(f)
        for f in SimilarityFlag.objects.filter(run__campaign=campaign).exclude(
            status=FlagStatus.OPEN
        )
    }


# --------------------------------------------------------------------------------------------
# The appraisal check


def _name(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def _phones(text: str) -> set[str]:
    found = set()
    for part in split_phones(text or ""):
        parsed = parse_phone(part)
        if isinstance(parsed, Phone):
            found.add(parsed.number if parsed.kind == "mobile" else parsed.area + parsed.number)
    return found


def _appraisal_flags(run, queries) -> list[SimilarityFlag]:
    engineering = [a for a in queries if a.category == Category.ENGINEERING]
    appraisals = {
        c.application_id: c for c in ClientAppraisal.objects.filter(application__in=engineering)
    }
    flags = []
    for application in engineering:
        appraisal = appraisals.get(application.pk)
        if appraisal is None:
            continue
        matches = appraisal_matches(application, appraisal)
        if matches:
            flags.append(
                SimilarityFlag(
                    run=run,
                    kind=FlagKind.APPRAISAL,
                    application=application,
                    share=Decimal("0"),
                    detail={"matches": matches},
                )
            )
    return flags


def appraisal_matches(application, appraisal) -> list[dict]:
    """Where the client appraisal's signer or contact is the applicant's own: one of its users,
    or a row of its current customer list that names the applicant itself (an employee listed
    as a customer). Phones are shown masked."""
    names = {n for n in (_name(appraisal.signer), _name(appraisal.contact_name)) if len(n) >= 2}
    email = (appraisal.contact_email or "").strip().casefold()
    phones = _phones(appraisal.contact_phone)
    matches = []

    def check(source: str, who: str, name="", mail="", phone=""):
        if name and _name(name) in names:
            matches.append({"field": "name", "value": name, "source": source, "who": who})
        if mail and email and mail.strip().casefold() == email:
            matches.append({"field": "email", "value": mail, "source": source, "who": who})
        if phone and phones & _phones(phone):
            matches.append(
                {"field": "phone", "value": mask_phone(phone), "source": source, "who": who}
            )

    memberships = Membership.objects.filter(
        organisation_id=application.organisation_id
    ).select_related("user")
    for membership in memberships:
        user = membership.user
        check("user", user.display_name, user.full_name, user.email, user.mobile)
    current = Customer.objects.filter(
        customer_list__application_id=application.pk, customer_list__is_current=True
    )
    own_name = _name(application.organisation.name)
    for row in current.only("row", "name", "contact", "phone", "email"):
        if _name(row.name) != own_name:
            continue
        who = _("用户名单第 %(row)d 行") % {"row": row.row}
        check("customer", who, row.contact, row.email, row.phone)
    return matches


# --------------------------------------------------------------------------------------------
# The committee's verdict


def review_flag(*, flag: SimilarityFlag, by, status: str, note: str) -> SimilarityFlag:
    """Confirm or dismiss one flag, with the reason.

    Refused without a reason, with another status, or when someone else reviewed it first.
    Side effects: the flag's status, note, reviewer and time; an activity-log entry
    ``similarity_flag.reviewed`` on the application concerned.
    """
    REVIEW_FLAG.require(by, flag)
    if status not in (FlagStatus.CONFIRMED, FlagStatus.DISMISSED):
        raise ValidationError(_("请选择“确认雷同”或“排除”"))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写核实说明"))
    with transaction.atomic():
        now = timezone.now()
        updated = SimilarityFlag.objects.filter(pk=flag.pk, status=FlagStatus.OPEN).update(
            status=status, review_note=note, reviewed_by=by, reviewed_at=now
        )
        if not updated:
            raise ValidationError(_("该疑似雷同已由他人核实，请刷新页面"))
        flag.refresh_from_db()
        log_activity(
            actor=by,
            action="similarity_flag.reviewed",
            obj=flag,
            organisation=flag.application.organisation,
            before={"status": FlagStatus.OPEN},
            after={"status": status},
            note=note,
        )
    return flag
