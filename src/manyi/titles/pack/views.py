"""The decision pack's download: a ZIP streamed from a temporary file (nothing left behind)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.applications.selectors import application_for
from manyi.titles.pack import services


@require_GET
@role_required(Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
def decision_pack(request, pk):
    application = application_for(request.user, pk)
    try:
        pack = services.build_decision_pack(application=application, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("reviews:detail", args=[application.pk]))
    response = FileResponse(
        pack.file, as_attachment=True, filename=pack.filename, content_type="application/zip"
    )
    response["Content-Length"] = str(pack.size)
    return response
