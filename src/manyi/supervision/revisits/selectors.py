"""Reads of revisit confirmations, scoped to the user.

Programme staff read every revisit; an expert only the revisits they are assigned to (another
is a 404); a title holder's users their own organisation's revisits from the notice on.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.models import Membership
from manyi.accounts.roles import Role
from manyi.campaigns.models import Campaign
from manyi.supervision.access import reads_supervision
from manyi.supervision.models import Revisit, RevisitDraw, RevisitExpert, RevisitStatus
from manyi.supervision.revisits.access import AHEAD, ANNOUNCED
from manyi.titles.models import Title, TitleStatus


def _revisits() -> QuerySet[Revisit]:
    return Revisit.objects.select_related(
        "title__organisation", "title__application__agency", "batch"
    )


def revisits_for_staff(user) -> QuerySet[Revisit]:
    """Every revisit, for programme staff, the latest visit first
    (``revisits.filters.RevisitFilter`` narrows them)."""
    if not reads_supervision.test(user):
        raise Http404
    return _revisits().prefetch_related("experts__expert").order_by("-visit_on", "-pk")


def revisit_for(user, pk) -> Revisit:
    """One revisit: programme staff any; an expert only one they are assigned to, from its
    notice on."""
    try:
        revisit = _revisits().select_related("title__application__campaign").get(pk=pk)
    except Revisit.DoesNotExist as exc:
        raise Http404 from exc
    if reads_supervision.test(user):
        return revisit
    # An expert is told of a revisit with the holder: a planned one is not theirs to see yet.
    if (
        has_role(user, Role.EXPERT)
        and revisit.status != RevisitStatus.PLANNED
        and revisit.experts.filter(expert_id=user.pk).exists()
    ):
        return revisit
    raise Http404


def revisit_expert_for(user, pk) -> RevisitExpert:
    """An expert's place on a revisit, for the staff who may replace them."""
    if not reads_supervision.test(user):
        raise Http404
    try:
        return RevisitExpert.objects.select_related("revisit__title", "expert").get(pk=pk)
    except RevisitExpert.DoesNotExist as exc:
        raise Http404 from exc


def revisits_of_expert(user) -> QuerySet[Revisit]:
    """The expert's own revisits ("我的回访"), those ahead first, then the newest."""
    if not has_role(user, Role.EXPERT):
        return Revisit.objects.none()
    mine = RevisitExpert.objects.filter(revisit=OuterRef("pk"), expert=user)
    return (
        _revisits()
        .filter(Exists(mine))
        .exclude(status=RevisitStatus.PLANNED)
        .prefetch_related("experts__expert")
        .order_by("-visit_on", "-pk")
    )


def revisits_of_holder(user) -> QuerySet[Revisit]:
    """The revisits of the user's enterprises' titles, from the notice on (a planned one is
    not announced yet; a cancelled one only if it had been announced)."""
    organisations = [o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)]
    if not organisations:
        return Revisit.objects.none()
    return (
        _revisits()
        .filter(title__organisation_id__in=organisations)
        .filter(
            Q(status__in=ANNOUNCED) | Q(status=RevisitStatus.CANCELLED, notified_at__isnull=False)
        )
        .prefetch_related("experts__expert")
        .order_by("-visit_on", "-pk")
    )


def upcoming_of_holder(user) -> QuerySet[Revisit]:
    return revisits_of_holder(user).filter(
        status=RevisitStatus.NOTIFIED, visit_on__gte=timezone.localdate()
    )


def draw_for(user, pk) -> RevisitDraw:
    if not reads_supervision.test(user):
        raise Http404
    try:
        return RevisitDraw.objects.select_related("drawn_by").get(pk=pk)
    except RevisitDraw.DoesNotExist as exc:
        raise Http404 from exc


def draws_for(user) -> QuerySet[RevisitDraw]:
    if not reads_supervision.test(user):
        return RevisitDraw.objects.none()
    return RevisitDraw.objects.select_related("drawn_by").order_by("-drawn_at", "-pk")


# ------------------------------------------------------------------------------------------
# Titles that may be revisited


def revisable_titles(*, on=None) -> QuerySet[Title]:
    """Valid titles still valid on `on` (today unless given) with no revisit ahead."""
    on = on or timezone.localdate()
    ahead = Revisit.objects.filter(title=OuterRef("pk"), status__in=AHEAD)
    return (
        Title.objects.filter(status=TitleStatus.VALID, valid_until__gte=on)
        .exclude(Exists(ahead))
        .select_related("organisation")
    )


def campaign_for(revisit) -> Campaign:
    """The campaign whose declarations and settings a revisit follows: the one of the visit's
    year, else the title's own."""
    return (
        Campaign.objects.filter(year=revisit.visit_on.year).first()
        or revisit.title.application.campaign
    )


def holder_emails(title) -> list[str]:
    """The title holder's active enterprise users."""
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id=title.organisation_id,
                role=Role.ENTERPRISE_USER,
                is_active=True,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def cancel_note(revisit) -> str:
    """Why a cancelled revisit was cancelled."""
    return revisit.cancel_reason
