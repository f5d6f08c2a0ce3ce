"""Reads scoped to the user: programme staff see every data set, an agency its own."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.surveys.models import MeasurementRun, ResponseDataset


def datasets(user) -> QuerySet[ResponseDataset]:
    qs = ResponseDataset.objects.select_related("organisation", "uploaded_by").annotate(
        run_count=Count("runs")
    )
    if has_role(user, *PROGRAMME_STAFF):
        return qs
    own = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    return qs.filter(organisation_id__in=own)


def dataset_for(user, pk: int) -> ResponseDataset:
    return get_object_or_404(datasets(user), pk=pk)


def same_data(user, dataset: ResponseDataset) -> QuerySet[ResponseDataset]:
    """The other data sets this user may see whose file is the very same (same SHA-256)."""
    return (
        datasets(user)
        .filter(sha256=dataset.sha256)
        .exclude(pk=dataset.pk)
        .order_by("uploaded_at", "pk")
    )


def runs(user) -> QuerySet[MeasurementRun]:
    qs = MeasurementRun.objects.select_related("dataset", "dataset__organisation", "created_by")
    if has_role(user, *PROGRAMME_STAFF):
        return qs
    own = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    return qs.filter(dataset__organisation_id__in=own)


def run_for(user, pk: int) -> MeasurementRun:
    return get_object_or_404(runs(user), pk=pk)
