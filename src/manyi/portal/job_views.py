"""The 后台任务 page: what the task workers are doing, did, and gave up on."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.listing import paginate
from manyi.portal.jobs import JobFilter, background_jobs

AUDITORS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)


@require_safe
@role_required(*AUDITORS)
def jobs(request):
    listing = paginate(request, background_jobs(request.user), JobFilter)
    return render(request, "common/jobs.html", listing.context())
