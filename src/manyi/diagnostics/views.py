"""Placeholder views, replaced by the diagnostics package's own."""

from django.http import HttpResponse

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role


@role_required(*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT)
def diagnosis_list(request):
    return HttpResponse("diagnostics")
