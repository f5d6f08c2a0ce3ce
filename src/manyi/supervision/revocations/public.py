"""What the public is told about a revocation: the reason in plain words, without the case.

The verification page, the register and the public notices (Art. 24) say why a title was
revoked with these words; the facts, the evidence and the proposal stay with staff.
"""

from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from manyi.supervision.models import Revocation, RevocationReason, RevocationStatus

PUBLIC_REASONS = {
    RevocationReason.LOW_SATISFACTION: _("用户满意度严重偏低"),
    RevocationReason.MAJOR_COMPLAINT: _("出现用户重大投诉"),
    RevocationReason.FAILED_REVISIT: _("回访确认未通过"),
    RevocationReason.FAILED_SPOT_CHECK: _("监督抽查不合格"),
    RevocationReason.FRAUD: _("以提供虚假材料等不正当手段骗取称号"),
    RevocationReason.MISLEADING: _("违规宣传、误导消费"),
}


def public_reason(reason: str) -> str:
    """The reason category of a revocation as the public reads it."""
    return str(PUBLIC_REASONS.get(reason, ""))


def with_revocation_reason(titles):
    """`titles` annotated with `revocation_reason`: the public words of the decided revocation
    of each title ("" for a title never revoked). One subquery, so a list page stays at one
    query however many titles it shows."""
    words = Case(
        *(When(reason=code, then=Value(str(text))) for code, text in PUBLIC_REASONS.items()),
        default=Value(""),
        output_field=CharField(),
    )
    revoked = (
        Revocation.objects.filter(title=OuterRef("pk"), status=RevocationStatus.REVOKED)
        .order_by("-decided_at")
        .annotate(words=words)
        .values("words")[:1]
    )
    return titles.annotate(revocation_reason=Subquery(revoked, output_field=CharField()))
