"""Placeholder views, replaced by the training package's own."""

from django.http import HttpResponse

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role


@role_required(*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)
def index(request):
    return HttpResponse("training")
