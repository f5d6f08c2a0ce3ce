"""Complaints about title holders (Art. 22): received from the public, triaged, investigated,
answered.

- `submit_complaint`: anyone, no account; what it is about (a title number or a holder's
  name, matched when it can be), the facts, up to three files checked by content, a name and
  contact kept private, consent; rate-limited per address; a private follow-up link is shown
  once (only its SHA-256 is kept).
- `triage_complaint`: committee staff match it to a title or holder, mark it major or not and
  take it up (已收到 → 调查中). A major complaint about a valid title opens a revocation case
  for a person to decide (`revocations.opening.open_revocation`, by the system), unless the
  title already has one in progress: then the complaint is noted there, nothing fails.
- `assign_investigator`, `record_findings`: someone without a conflict investigates.
- `answer_complaint`, `dismiss_complaint`: the committee's answer, which the complainant reads
  with the private link (and by mail when the contact is an address).
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.accounts.selectors import emails_of_role
from manyi.common import ratelimit
from manyi.common.punctuation import labelled
from manyi.common.ratelimit import hash_token
from manyi.common.services import log_activity, queue_email
from manyi.supervision.complaints import selectors
from manyi.supervision.complaints.access import (
    ANSWER,
    ASSIGN,
    DISMISS,
    OPEN,
    RECORD_FINDINGS,
    SEE_COMPLAINANT,
    TRIAGE,
)
from manyi.supervision.evidence import attach_evidence
from manyi.supervision.models import Complaint, ComplaintStatus, Evidence, Revocation
from manyi.titles.models import TitleStatus

# Complaints accepted from one address per hour: enough for a person with several, too few
# to flood the committee (the same as objections to a 公示).
COMPLAINTS_PER_HOUR = 5
RATE_SCOPE = "supervision:complaints"
MAX_FILES = 3
OFFICIAL_LANGUAGE = "zh-hans"


# ------------------------------------------------------------------------------------------
# The public form


def complaint_allowed(ip: str | None) -> bool:
    """Whether the address may still submit a complaint this hour."""
    return ratelimit.allowed(RATE_SCOPE, ip, COMPLAINTS_PER_HOUR)


def rate_refusal() -> ValidationError:
    return ValidationError(
        _("同一网络地址每小时最多提交 %(n)d 份投诉，请稍后再试，或直接致电广州市用户委员会")
        % {"n": COMPLAINTS_PER_HOUR},
        code="rate_limited",
    )


def submit_complaint(
    *, about: str, facts: str, name: str, contact: str, consent: bool, evidence=(), ip
) -> tuple[Complaint, str]:
    """Record a member of the public's complaint; returns it and the follow-up token (shown
    once, never stored).

    Refused (ValidationError, nothing stored) past the hourly limit of the address, without
    what it is about, the facts, a name, a contact or consent, with more than three files, or
    when a file is not a genuine PDF, JPEG or PNG. Side effects, in order, all or nothing: the
    Complaint with the token's hash, matched to a title (by number) or a title holder (by
    name) when it can be; each file checked, stored and logged ("supervision.evidence"); an
    activity-log entry "complaint.receive" (without the complainant's name or contact); mail
    to committee staff after commit; then the address's count.
    """
    from manyi.applications.evidence import check_evidence_file

    if not complaint_allowed(ip):
        raise rate_refusal()
    about, facts = (about or "").strip(), (facts or "").strip()
    name, contact = (name or "").strip(), (contact or "").strip()
    errors = {}
    if not about:
        errors["about"] = _("请填写被投诉的称号证书编号或单位名称")
    if not facts:
        errors["facts"] = _("请填写投诉事实")
    if not name:
        errors["name"] = _("请填写您的姓名")
    if not contact:
        errors["contact"] = _("请填写联系方式，以便核实情况")
    if not consent:
        errors["consent"] = _("请确认所填情况属实，并同意为调查核实使用您的联系方式")
    if errors:
        raise ValidationError(errors)
    files = [f for f in evidence or () if f]
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"evidence": _("最多上传 %(n)d 个证明材料") % {"n": MAX_FILES}}, code="too_many"
        )
    # Every file is checked before anything is stored, so a forged third file leaves nothing.
    for upload in files:
        try:
            check_evidence_file(upload)
        except ValidationError as exc:
            raise ValidationError(
                {"evidence": [labelled(upload.name, m) for m in exc.messages]}
            ) from exc
    title, organisation = selectors.match_about(about)
    token = secrets.token_urlsafe(32)
    stored: list[str] = []
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                about=about[:200],
                title=title,
                organisation=organisation,
                facts=facts,
                name=name[:100],
                contact=contact[:100],
                token_hash=hash_token(token),
            )
            for upload in files:
                stored.append(attach_evidence(owner=complaint, upload=upload, by=None).path)
            log_activity(
                actor=_("公众"),
                action="complaint.receive",
                obj=complaint,
                organisation=organisation,
                after={
                    "about": complaint.about,
                    "title": title.number if title else None,
                    "organisation": organisation.pk if organisation else None,
                    "evidence": len(files),
                    "consent": True,
                },
            )
            url = reverse("supervision:complaint_detail", args=[complaint.pk])
            for email in emails_of_role(Role.COMMITTEE_STAFF):
                queue_email(
                    to=email,
                    template="supervision/complaint_received",
                    context={"complaint": complaint, "url": url, "files": len(files)},
                )
    except BaseException:
        # A failure after a file was stored (the files were checked before): remove them.
        from manyi.common.files import remove_private

        for path in stored:
            remove_private(path)
        raise
    ratelimit.count(RATE_SCOPE, ip)
    return complaint, token


def find_complaint(token: str) -> Complaint | None:
    """The complaint a follow-up link belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Complaint.objects.filter(token_hash=hash_token(token))
        .select_related("title", "organisation")
        .first()
    )


# ------------------------------------------------------------------------------------------
# Triage


@dataclass(frozen=True)
class Triage:
    complaint: Complaint
    # The case this triage opened, or the title's case already in progress (noted, not opened).
    opened: Revocation | None = None
    existing: Revocation | None = None


def _revocation_facts(complaint: Complaint, note: str) -> str:
    """The case's facts: the complaint as received (not who made it) and the triage note, in
    the official language whatever the staff member's (the case is an official record)."""
    from manyi.common.punctuation import local_date

    with translation.override(OFFICIAL_LANGUAGE):
        header = _("用户投诉（%(date)s 收到，投诉编号 %(pk)d，被投诉：%(about)s）") % {
            "date": local_date(complaint.received_at),
            "pk": complaint.pk,
            "about": complaint.about,
        }
        parts = [header, complaint.facts]
        if note:
            parts.append(_("分类处理意见：%(note)s") % {"note": note})
    return "\n\n".join(parts)


def _matched(title_number: str, organisation_name: str):
    title = organisation = None
    errors = {}
    if (title_number or "").strip():
        title = selectors.title_of_number(title_number)
        if title is None:
            errors["title_number"] = _("没有这个证书编号的称号")
    if (organisation_name or "").strip():
        organisation = selectors.holder_by_name(organisation_name)
        if organisation is None:
            errors["organisation_name"] = _("没有找到获得过称号的这家单位，请填写单位全称")
    if errors:
        raise ValidationError(errors)
    if title is not None and organisation is not None and title.organisation_id != organisation.pk:
        raise ValidationError(
            {"organisation_name": _("该称号的获得单位是“%(o)s”") % {"o": title.organisation.name}}
        )
    return title, organisation or (title.organisation if title else None)


def triage_complaint(
    *,
    complaint: Complaint,
    by,
    major: bool,
    title_number: str = "",
    organisation_name: str = "",
    note: str = "",
) -> Triage:
    """Match an open complaint to a title (by its number) or a title holder (by its name),
    mark it major or not, and note why; the first triage takes it up (已收到 → 调查中).
    Triage may be repeated while the complaint is open (a later match, a complaint found to be
    major during the investigation).

    Refused when the complaint is closed, when the number or name matches no title or holder,
    when they disagree, when a major complaint names no holder, or when staff would unmark a
    major complaint that opened a revocation case (the case is decided on its own).
    Side effects, in one transaction, in order: the complaint's match, mark, note, who and
    when, status; when it is major, about a valid title, and has not opened a case yet: a
    revocation case opened by the system with the complaint as its source
    (`open_revocation`, which logs "revocation.open" and mails committee staff) — unless the
    title already has a case in progress, which is left as it is and named in the log; an
    activity-log entry "complaint.triage".
    """
    from manyi.supervision.models import RevocationReason
    from manyi.supervision.revocations.opening import open_case_of, open_revocation

    TRIAGE.require(by, complaint)
    title, organisation = _matched(title_number, organisation_name)
    major = bool(major)
    note = (note or "").strip()
    if major and organisation is None:
        raise ValidationError(
            {"major": _("重大投诉须先对应到获证单位：请填写证书编号或获证单位名称")}
        )
    with transaction.atomic():
        current = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if current.status not in OPEN:
            raise ValidationError(_("该投诉已办结"))
        has_case = current.revocations.exists()
        if current.major and not major and has_case:
            raise ValidationError(
                {"major": _("已据此投诉立案撤销，不能取消重大投诉标记；是否撤销在撤销案件中决定")}
            )
        before = _triage_state(current)
        current.title = title
        current.organisation = organisation
        current.major = major
        current.triage_note = note
        current.triaged_by = by
        current.triaged_at = timezone.now()
        if current.status == ComplaintStatus.RECEIVED:
            current.status = ComplaintStatus.INVESTIGATING
        current.save(
            update_fields=[
                "title",
                "organisation",
                "major",
                "triage_note",
                "triaged_by",
                "triaged_at",
                "status",
            ]
        )
        opened = existing = None
        if major and title is not None and title.status == TitleStatus.VALID and not has_case:
            existing = open_case_of(title)
            if existing is None:
                try:
                    opened = open_revocation(
                        title=title,
                        reason=RevocationReason.MAJOR_COMPLAINT,
                        facts=_revocation_facts(current, note),
                        by=None,
                        complaint=current,
                    )
                except ValidationError:
                    # Another case was opened meanwhile: this complaint is noted there instead.
                    existing = open_case_of(title)
                    if existing is None:
                        raise
        log_activity(
            actor=by,
            action="complaint.triage",
            obj=current,
            organisation=organisation,
            before=before,
            after={
                **_triage_state(current),
                "revocation": opened.pk if opened else None,
                "case_in_progress": existing.pk if existing else None,
            },
            note=note,
        )
    return Triage(complaint=current, opened=opened, existing=existing)


def _triage_state(complaint: Complaint) -> dict:
    return {
        "status": complaint.status,
        "title": complaint.title.number if complaint.title_id else None,
        "organisation": complaint.organisation_id,
        "major": complaint.major,
    }


# ------------------------------------------------------------------------------------------
# Investigation


def assign_investigator(*, complaint: Complaint, by, investigator) -> Complaint:
    """Give a complaint under investigation to someone without a conflict (or change who):
    committee staff, or an expert in the pool with no tie to the holder
    (`selectors.investigator_candidates`).

    Side effects, in one transaction: the investigator; an activity-log entry
    "complaint.assign"; mail to the investigator after commit.
    """
    ASSIGN.require(by, complaint)
    if investigator is None or investigator.pk not in {
        u.pk for u in selectors.investigator_candidates(complaint)
    }:
        raise ValidationError(
            _(
                "所选人员不能担任调查人：须为用户委员会工作人员或在库评审专家，"
                "且与被投诉单位无利害关系"
            )
        )
    with transaction.atomic():
        current = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if current.status != ComplaintStatus.INVESTIGATING:
            raise ValidationError(_("该投诉已办结"))
        before = {"investigator": current.investigator_id}
        current.investigator = investigator
        current.save(update_fields=["investigator"])
        log_activity(
            actor=by,
            action="complaint.assign",
            obj=current,
            organisation=current.organisation,
            before=before,
            after={"investigator": investigator.pk},
        )
        queue_email(
            to=investigator.email,
            template="supervision/complaint_assigned",
            context={
                "complaint": current,
                "url": reverse("supervision:complaint_detail", args=[current.pk]),
            },
        )
    return current


def record_findings(*, complaint: Complaint, by, findings: str, evidence=None) -> Complaint:
    """Record (or rewrite) what the investigation found, with an optional file.

    Refused unless the complaint is under investigation and `by` is committee staff or its
    investigator, when the findings are empty, or when the file is not a genuine PDF, JPEG or
    PNG (nothing changed then). Side effects, in one transaction: the findings; the file
    attached ("supervision.evidence"); an activity-log entry "complaint.findings" with the
    previous and new text.
    """
    RECORD_FINDINGS.require(by, complaint)
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError({"findings": _("请填写调查情况")})
    if evidence:
        from manyi.applications.evidence import check_evidence_file

        check_evidence_file(evidence)
    stored = None
    try:
        with transaction.atomic():
            current = Complaint.objects.select_for_update().get(pk=complaint.pk)
            if current.status != ComplaintStatus.INVESTIGATING:
                raise ValidationError(_("该投诉已办结"))
            before = {"findings": current.findings}
            current.findings = findings
            current.save(update_fields=["findings"])
            if evidence:
                stored = attach_evidence(owner=current, upload=evidence, by=by).path
            log_activity(
                actor=by,
                action="complaint.findings",
                obj=current,
                organisation=current.organisation,
                before=before,
                after={"findings": findings},
            )
    except BaseException:
        if stored:
            from manyi.common.files import remove_private

            remove_private(stored)
        raise
    return current


# ------------------------------------------------------------------------------------------
# The answer


def answer_complaint(*, complaint: Complaint, by, answer: str) -> Complaint:
    """Answer a complaint whose investigation is recorded: it is 已答复 and the complainant
    reads the answer with the private link.

    Refused unless `by` is committee staff, the complaint is under investigation with findings
    recorded, and the answer is written. Side effects: see `_close`.
    """
    ANSWER.require(by, complaint)
    return _close(complaint=complaint, by=by, answer=answer, to=ComplaintStatus.ANSWERED)


def dismiss_complaint(*, complaint: Complaint, by, answer: str) -> Complaint:
    """Decline an open complaint (不予受理: outside the programme, not about a title holder,
    no facts that can be checked), with an answer saying why.

    Refused unless `by` is committee staff, the complaint is open and the answer is written.
    A revocation case the complaint opened is not touched: it is decided on its own.
    Side effects: see `_close`.
    """
    DISMISS.require(by, complaint)
    return _close(complaint=complaint, by=by, answer=answer, to=ComplaintStatus.DISMISSED)


def _close(*, complaint: Complaint, by, answer: str, to: str) -> Complaint:
    """Side effects, in one transaction, in order: the status, the answer, who and when; an
    activity-log entry "complaint.answer"; when the complainant's contact is an email address,
    mail telling them the answer, after commit."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写给投诉人的答复")})
    with transaction.atomic():
        current = Complaint.objects.select_for_update().get(pk=complaint.pk)
        allowed = OPEN if to == ComplaintStatus.DISMISSED else (ComplaintStatus.INVESTIGATING,)
        if current.status not in allowed:
            raise ValidationError(_("该投诉已办结，或尚未受理调查"))
        before = {"status": current.status}
        current.status = to
        current.answer = answer
        current.answered_by = by
        current.answered_at = timezone.now()
        current.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        log_activity(
            actor=by,
            action="complaint.answer",
            obj=current,
            organisation=current.organisation,
            before=before,
            after={"status": to},
            note=answer,
        )
        address = _email_of(current.contact)
        if address:
            queue_email(
                to=address,
                template="supervision/complaint_answered",
                context={"complaint": current},
            )
    return current


def _email_of(contact: str) -> str:
    contact = (contact or "").strip()
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


# ------------------------------------------------------------------------------------------
# Files


def open_complaint_evidence(*, complaint: Complaint, evidence: Evidence, by):
    """Open one of a complaint's files for those handling it. Side effects: an activity-log
    entry "supervision.evidence_download". The caller's response closes the file."""
    from manyi.common.files import private_path

    SEE_COMPLAINANT.require(by, complaint)
    if evidence.complaint_id != complaint.pk:
        raise ValidationError(_("该文件不属于此投诉"))
    # Opened before the entry is written, so a missing file (FileNotFoundError) logs nothing.
    handle = open(private_path(evidence.path), "rb")  # noqa: SIM115 - the response closes it
    log_activity(
        actor=by,
        action="supervision.evidence_download",
        obj=evidence,
        organisation=complaint.organisation,
        after={"complaint": complaint.pk, "name": evidence.name, "sha256": evidence.sha256},
    )
    return handle
