"""Ending a membership: the enterprise answers an invitation or leaves; the agency ends a
membership or withdraws its invitation. Leaving and ending have a page of their own that says
why it is not possible yet, or asks for the reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.agencies import membership as services
from manyi.agencies import selectors
from manyi.agencies.access import END_MEMBERSHIP, LEAVE
from manyi.agencies.forms import ReasonForm
from manyi.common.forms import add_validation_errors, tell_refusal


def _to_enterprise(membership):
    return redirect("accounts:organisation_detail", pk=membership.enterprise_id)


@require_POST
@role_required(Role.ENTERPRISE_USER)
def membership_accept(request, pk):
    membership = selectors.membership_for_enterprise(request.user, pk)
    try:
        services.accept_invitation(membership=membership, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(
            request,
            _("已接受邀请，贵单位已成为 %(agency)s 的会员企业") % {"agency": membership.agency},
        )
    return _to_enterprise(membership)


@require_POST
@role_required(Role.ENTERPRISE_USER)
def membership_decline(request, pk):
    membership = selectors.membership_for_enterprise(request.user, pk)
    try:
        services.decline_invitation(
            membership=membership, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已谢绝 %(agency)s 的邀请") % {"agency": membership.agency})
    return _to_enterprise(membership)


def _posted(request):
    """The POST data (even empty: withdrawing an invitation needs no reason), else None."""
    return request.POST if request.method == "POST" else None


def _refusal(action, user, membership) -> str:
    """Why the act is not possible now, in words ("" when it is)."""
    try:
        action.require(user, membership)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@require_http_methods(["GET", "POST"])
@role_required(Role.ENTERPRISE_USER)
def membership_leave(request, pk):
    membership = selectors.membership_for_enterprise(request.user, pk)
    form = ReasonForm(_posted(request), label=_("退出的原因（将告知该推进机构）"))
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_agency(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("已退出 %(agency)s") % {"agency": membership.agency})
            return _to_enterprise(membership)
    return render(
        request,
        "agencies/members/leave.html",
        {
            "membership": membership,
            "form": form,
            "refusal": _refusal(LEAVE, request.user, membership),
            "breadcrumbs": [
                (
                    membership.enterprise.name,
                    reverse("accounts:organisation_detail", args=[membership.enterprise_id]),
                ),
                (_("退出推进机构"), None),
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.AGENCY_STAFF)
def membership_end(request, pk):
    membership = selectors.membership_for_agency(request.user, pk)
    invitation = membership.confirmed_at is None
    form = ReasonForm(
        _posted(request),
        label=_("撤回邀请的说明（可选）") if invitation else _("解除会员关系的原因（将告知企业）"),
        required=not invitation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request,
                (_("已撤回对 %(org)s 的邀请") if invitation else _("已解除与 %(org)s 的会员关系"))
                % {"org": membership.enterprise.name},
            )
            return redirect(f"{reverse('agencies:dashboard')}?agency={membership.agency_id}")
    return render(
        request,
        "agencies/members/end.html",
        {
            "membership": membership,
            "invitation": invitation,
            "form": form,
            "refusal": _refusal(END_MEMBERSHIP, request.user, membership),
            "breadcrumbs": [
                (_("本机构概况"), reverse("agencies:dashboard")),
                (_("撤回邀请") if invitation else _("解除会员关系"), None),
            ],
        },
    )
