"""Reads scoped to the user.

- Programme staff: every data set of the programme, and the enterprises' own measurements that
  their enterprise has shared.
- An agency: its own data sets, and the shared measurements of its confirmed member enterprises.
- An enterprise: its own measurements only (private or shared).
Nothing of an enterprise's own measurement is visible to anyone else until it shares it.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.common.listing import count_per_row
from manyi.surveys.models import MeasurementRun, ResponseDataset, Visibility


def _visible(user, prefix: str = "") -> Q:
    """The condition on ResponseDataset (through ``prefix``) for what ``user`` may read."""
    org = f"{prefix}organisation_id"
    visibility = f"{prefix}visibility"
    allowed = Q(pk__in=[])
    if has_role(user, *PROGRAMME_STAFF):
        allowed |= Q(**{f"{visibility}__in": [Visibility.PROGRAMME, Visibility.SHARED]})
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    if agencies:
        members = AgencyMembership.objects.filter(
            agency_id__in=agencies, confirmed_at__isnull=False
        ).values("enterprise_id")
        allowed |= Q(**{f"{org}__in": agencies}) & ~Q(**{visibility: Visibility.PRIVATE})
        allowed |= Q(**{f"{org}__in": members, visibility: Visibility.SHARED})
    enterprises = [o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)]
    if enterprises:
        allowed |= Q(**{f"{org}__in": enterprises})
    return allowed


def datasets(user) -> QuerySet[ResponseDataset]:
    qs = ResponseDataset.objects.select_related("organisation", "uploaded_by").annotate(
        run_count=count_per_row(MeasurementRun.objects.all(), "dataset")
    )
    return qs.filter(_visible(user))


def survey_years(user) -> list[int]:
    """The survey years of the data sets the user may read, newest first (a list's filter)."""
    return list(
        ResponseDataset.objects.filter(_visible(user))
        .order_by("-survey_year")
        .values_list("survey_year", flat=True)
        .distinct()
    )


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
    return qs.filter(_visible(user, "dataset__"))


def run_for(user, pk: int) -> MeasurementRun:
    return get_object_or_404(runs(user), pk=pk)


def owns_dataset(user, dataset: ResponseDataset) -> bool:
    """The enterprise whose own measurement this is (it alone shares or unshares it)."""
    return dataset.visibility != Visibility.PROGRAMME and dataset.organisation_id in {
        o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)
    }
