"""Dashboard panels of supervision/revocations (collected by supervision/dashboard.py).

Committee staff see the cases waiting for their study (and what is still to be recalled);
the association's administrator sees the proposals waiting for a decision."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.panels import panel
from manyi.common.punctuation import labelled
from manyi.supervision.models import RecallStatus, Revocation, RevocationStatus

SHOWN = 5


def _items(cases) -> list[str]:
    return [f"{c.title.number} {c.title.organisation.name}" for c in cases[:SHOWN]]


def _waiting(status):
    return (
        Revocation.objects.filter(status=status)
        .select_related("title__organisation")
        .order_by("opened_at", "pk")
    )


def panels(user) -> list[dict]:
    found = []
    url = reverse("supervision:revocation_list")
    if has_role(user, Role.COMMITTEE_STAFF):
        opened = _waiting(RevocationStatus.OPENED)
        items = _items(opened)
        to_recall = (
            Revocation.objects.filter(status=RevocationStatus.REVOKED)
            .filter(Q(certificate=RecallStatus.TO_RECALL) | Q(plaque=RecallStatus.TO_RECALL))
            .count()
        )
        if to_recall:
            items.append(labelled(_("证书、牌匾待收回"), to_recall))
        found.append(
            panel(
                _("待研究的撤销案件"),
                count=opened.count(),
                items=items,
                url=f"{url}?status={RevocationStatus.OPENED}",
                link_text=_("研究撤销案件"),
                empty=_("暂无待研究的撤销案件") if not items else "",
            )
        )
    if has_role(user, Role.ASSOCIATION_ADMIN):
        proposed = _waiting(RevocationStatus.PROPOSED)
        items = _items(proposed)
        found.append(
            panel(
                _("待决定的撤销建议"),
                count=proposed.count(),
                items=items,
                url=f"{url}?status={RevocationStatus.PROPOSED}",
                link_text=_("决定撤销建议"),
                empty=_("暂无待决定的撤销建议") if not items else "",
            )
        )
    return found
