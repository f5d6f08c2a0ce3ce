"""Placeholder views, replaced by the agencies package's own."""

from django.http import HttpResponse

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role


@role_required(*PROGRAMME_STAFF)
def agency_list(request):
    return HttpResponse("agencies")


@role_required(Role.AGENCY_STAFF)
def dashboard(request):
    return HttpResponse("dashboard")
