"""The firm manager's page of API keys (create: the key shown once; revoke)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.access import organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.fieldwork.access import MANAGE_API_TOKENS
from manyi.fieldwork.api import services
from manyi.fieldwork.models import FirmApiToken


def _firm(user):
    firms = organisations_for(user, Role.SURVEY_MANAGER)
    if not firms or not MANAGE_API_TOKENS.allows(user, firms[0]):
        raise PermissionDenied
    return firms[0]


@role_required(Role.SURVEY_MANAGER)
def api_tokens(request):
    firm = _firm(request.user)
    new_key = None
    if request.method == "POST":
        try:
            _token, new_key = services.create_token(
                firm=firm, name=request.POST.get("name", ""), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return render(
        request,
        "fieldwork/api_tokens.html",
        {"firm": firm, "tokens": FirmApiToken.objects.filter(firm=firm), "new_key": new_key},
    )


@require_POST
@role_required(Role.SURVEY_MANAGER)
def api_token_revoke(request, pk):
    firm = _firm(request.user)
    token = get_object_or_404(FirmApiToken, pk=pk, firm=firm)
    try:
        services.revoke_token(token=token, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("密钥已作废，使用它的系统将无法再访问接口"))
    return redirect("fieldwork:api_tokens")


urlpatterns = [
    path("api-keys/", api_tokens, name="api_tokens"),
    path("api-keys/<int:pk>/revoke/", api_token_revoke, name="api_token_revoke"),
]
