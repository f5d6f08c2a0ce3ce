"""Staff's side of the web survey: send invitations and reminders, watch them go out."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.common.punctuation import semicolon
from manyi.fieldwork import selectors
from manyi.fieldwork.access import READERS, SEND_INVITATIONS, VIEW_SURVEY
from manyi.fieldwork.web import services
from manyi.fieldwork.web.selectors import invitation_panel


def _send(request, pk, service, done_message):
    survey = selectors.survey_for(request.user, pk)
    if not SEND_INVITATIONS.allows(request.user, survey):
        raise PermissionDenied
    try:
        count = service(survey=survey, by=request.user)
    except ValidationError as exc:
        messages.error(request, semicolon().join(exc.messages))
    else:
        messages.success(request, done_message % {"n": count})
    return redirect(reverse("fieldwork:survey_detail", args=[survey.pk]) + "#invitations")


@require_POST
@role_required(*READERS)
def send_invitations(request, pk):
    return _send(
        request,
        pk,
        services.send_invitations,
        _("正在发送 %(n)s 份网上问卷邀请，本页显示发送进度"),
    )


@require_POST
@role_required(*READERS)
def send_reminders(request, pk):
    return _send(
        request,
        pk,
        services.send_reminders,
        _("正在发送 %(n)s 份提醒，每份附新链接，原链接随即失效"),
    )


@require_GET
@role_required(*READERS)
def invitation_progress(request, pk):
    """The invitations panel alone: htmx polls it every 2 s while a run is under way."""
    survey = selectors.survey_for(request.user, pk)
    if not VIEW_SURVEY.allows(request.user, survey):
        raise PermissionDenied
    return render(
        request, "fieldwork/sections/invitations.html", invitation_panel(survey, request.user)
    )
