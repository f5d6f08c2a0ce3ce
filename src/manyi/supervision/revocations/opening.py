"""The one door through which a revocation case is opened, by a person or by the system.

Every other package (spot checks, holder surveys, revisits, complaints, violations) calls
`open_revocation`; what happens next (the committee's proposal, the administrator's decision,
the recall) is in `revocations.services`.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.accounts.selectors import emails_of_role
from manyi.common.services import log_activity, queue_email
from manyi.supervision.models import Revocation, RevocationReason, RevocationStatus
from manyi.titles.models import TitleStatus

# Where a case may come from: the field of Revocation that names its origin.
SOURCES = ("spot_check_item", "holder_survey", "revisit", "complaint", "violation")
# Cases in these states keep the title's one open case (see the model's constraint).
IN_PROGRESS = (RevocationStatus.OPENED, RevocationStatus.PROPOSED)


def open_case_of(title) -> Revocation | None:
    """The title's case in progress (opened or proposed), if any."""
    return Revocation.objects.filter(title=title, status__in=IN_PROGRESS).first()


def open_revocation(
    *,
    title,
    reason: str,
    facts: str,
    by,
    proposed: bool = False,
    proposal: str = "",
    **source,
) -> Revocation:
    """Open a case to revoke `title` for `reason` (a RevocationReason), with `facts`.

    `by` is the person (None: the system, e.g. a severely low index or a major complaint).
    `source` names at most one origin (``revisit=…``, ``complaint=…``, ``holder_survey=…``,
    ``spot_check_item=…``, ``violation=…``). With `proposed=True` (committee staff opening it
    with their proposal at once) the case starts as 已建议撤销 with `proposal` as its text.

    Refused (ValidationError, nothing changed) when the title is not valid (already revoked or
    expired), when the reason is unknown, or when the title already has a case in progress:
    the existing case is where new facts go. Side effects: the Revocation, an activity-log
    entry "revocation.open" (and "revocation.propose" when proposed), mail to committee staff
    (for a case opened by the system or outside the committee) or to the administrator (for a
    proposal), after commit.
    """
    if reason not in RevocationReason.values:
        raise ValidationError(_("请选择撤销事由"))
    facts = (facts or "").strip()
    if not facts:
        raise ValidationError(_("请填写事实和依据"))
    unknown = set(source) - set(SOURCES)
    if unknown or len([v for v in source.values() if v is not None]) > 1:
        raise TypeError(f"one source of {SOURCES} at most, not {sorted(source)}")
    if title.status != TitleStatus.VALID:
        raise ValidationError(_("该称号已撤销或已过期，无需立案"))
    if proposed and not (proposal or "").strip():
        raise ValidationError(_("请填写用户委员会的撤销建议"))
    now = timezone.now()
    fields = {
        "title": title,
        "reason": reason,
        "facts": facts,
        "opened_by": by,
        **{k: v for k, v in source.items() if v is not None},
    }
    if proposed:
        fields.update(
            status=RevocationStatus.PROPOSED,
            proposal=proposal.strip(),
            proposed_by=by,
            proposed_at=now,
        )
    try:
        with transaction.atomic():
            if open_case_of(title) is not None:
                raise ValidationError(_("该称号已有正在处理的撤销案件，请在该案件中补充事实"))
            case = Revocation.objects.create(**fields)
            log_activity(
                actor=by or _("系统"),
                action="revocation.open",
                obj=case,
                organisation=title.organisation,
                after={"title": title.number, "reason": reason, "source": _source_name(case)},
            )
            if proposed:
                log_activity(
                    actor=by,
                    action="revocation.propose",
                    obj=case,
                    organisation=title.organisation,
                    after={"proposal": case.proposal},
                )
            _tell(case)
    except IntegrityError as exc:
        # Two openings raced: the constraint kept one case per title.
        raise ValidationError(_("该称号已有正在处理的撤销案件，请在该案件中补充事实")) from exc
    return case


def _source_name(case: Revocation) -> str:
    return next((name for name in SOURCES if getattr(case, f"{name}_id")), "")


def _tell(case: Revocation) -> None:
    role = (
        Role.ASSOCIATION_ADMIN if case.status == RevocationStatus.PROPOSED else Role.COMMITTEE_STAFF
    )
    context = {
        "case": case,
        "title": case.title,
        "reason": case.get_reason_display(),
        "path": reverse("supervision:revocation_detail", args=[case.pk]),
    }
    for email in emails_of_role(role):
        queue_email(to=email, template="supervision/revocation_opened", context=context)
