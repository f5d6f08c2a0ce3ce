"""Reads of the similarity check, for programme staff only (anyone else: 404)."""

from django.db.models import Q
from django.http import Http404

from manyi.campaigns.models import Campaign
from manyi.reviews import access
from manyi.reviews.models import SimilarityFlag, SimilarityRun

RUNS_SHOWN = 10


def _check(user) -> None:
    if not access.reads_reviews.test(user):
        raise Http404


def campaign_for(user, pk) -> Campaign:
    _check(user)
    try:
        return Campaign.objects.get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def runs_of(user, campaign) -> list[SimilarityRun]:
    _check(user)
    return list(campaign.similarity_runs.select_related("requested_by")[:RUNS_SHOWN])


def flags_of_campaign(user, campaign):
    """The campaign's flags (all runs keep their reviewed flags; a run replaces open ones), the
    ones to check first; `filters.FlagFilter` narrows them."""
    _check(user)
    return (
        SimilarityFlag.objects.filter(run__campaign=campaign)
        .select_related("application__organisation", "other__organisation", "other__campaign")
        .order_by("status", "-share", "pk")
    )


def flag_for(user, pk) -> SimilarityFlag:
    _check(user)
    try:
        return SimilarityFlag.objects.select_related(
            "run__campaign",
            "application__organisation",
            "application__campaign",
            "other__organisation",
            "other__campaign",
            "reviewed_by",
        ).get(pk=pk)
    except SimilarityFlag.DoesNotExist as exc:
        raise Http404 from exc


def flags_of_application(user, application) -> list[SimilarityFlag]:
    """Flags naming the application on either side."""
    if not access.reads_reviews.test(user):
        return []
    return list(
        SimilarityFlag.objects.filter(Q(application=application) | Q(other=application))
        .select_related(
            "application__organisation",
            "application__campaign",
            "other__organisation",
            "other__campaign",
        )
        .order_by("-share", "pk")
    )


def last_run(campaign_id) -> SimilarityRun | None:
    return SimilarityRun.objects.filter(campaign_id=campaign_id).first()
