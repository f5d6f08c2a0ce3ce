from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts import selectors, services
from manyi.accounts.access import (
    can_edit_organisation,
    has_role,
    is_enterprise_user_of,
    memberships,
)
from manyi.accounts.decorators import login_required, public, role_required
from manyi.accounts.filters import (
    AgencyMemberFilter,
    ExpertFilter,
    InvitationFilter,
    OrganisationFilter,
)
from manyi.accounts.forms import (
    AcceptInvitationForm,
    AgencyJoinForm,
    DeclineMemberForm,
    ExpertProfileForm,
    InviteForm,
    OrganisationForm,
)
from manyi.accounts.models import Organisation
from manyi.accounts.roles import (
    INVITERS,
    OWN_ORGANISATION_INVITERS,
    PROGRAMME_STAFF,
    Role,
)
from manyi.common.forms import add_validation_errors
from manyi.common.listing import paginate
from manyi.common.pagecache import kept_for_reader


@login_required
def my_organisation(request):
    own = memberships(request.user)
    if not own:
        messages.info(request, _("您尚未加入任何组织"))
        return redirect("dashboard")
    return redirect("accounts:organisation_detail", pk=own[0].organisation_id)


@role_required(*PROGRAMME_STAFF)
@kept_for_reader
def organisation_list(request):
    listing = paginate(request, selectors.organisation_list(request.user), OrganisationFilter)
    return render(request, "accounts/organisation_list.html", listing.context())


@login_required
def organisation_detail(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.colleagues(organisation),
            "agency_memberships": selectors.agency_memberships_of(organisation)
            if organisation.is_enterprise
            else [],
            "can_edit": can_edit_organisation(request.user, organisation),
            "can_join_agency": organisation.is_enterprise
            and is_enterprise_user_of(request.user, organisation),
            "can_invite": _invitable_roles(request.user, organisation),
            "invitations": selectors.open_invitations(request.user).filter(
                organisation=organisation
            ),
        },
    )


@login_required
def agency_join(request, pk):
    """The enterprise asks another (regional or industry) agency to take it as a member."""
    organisation = selectors.organisation_for(request.user, pk)
    if not organisation.is_enterprise or not is_enterprise_user_of(request.user, organisation):
        raise PermissionDenied
    form = AgencyJoinForm(request.POST or None, agencies=selectors.joinable_agencies(organisation))
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        try:
            services.request_agency_membership(
                organisation=organisation, agency=agency, by=request.user
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request,
                _("已向 %(agency)s 申请加入，该机构确认后即可选择其作为推荐单位")
                % {"agency": agency},
            )
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "accounts/agency_join.html",
        {
            "organisation": organisation,
            "form": form,
            "agency_memberships": selectors.agency_memberships_of(organisation),
        },
    )


def _invitable_roles(user, organisation) -> list[str]:
    roles = set()
    for m in memberships(user):
        roles |= set(INVITERS.get(m.role, ()))
        if m.organisation_id == organisation.pk:
            roles |= set(OWN_ORGANISATION_INVITERS.get(m.role, ()))
        if m.is_manager and m.organisation_id == organisation.pk:
            roles.add(m.role)
    from manyi.accounts.roles import ROLE_ORG_KINDS

    return [r for r in Role.values if r in roles and organisation.kind in ROLE_ORG_KINDS[r]]


@login_required
def organisation_edit(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    if not can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(
        request.POST or None, instance=Organisation.objects.get(pk=organisation.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                organisation=organisation, by=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("单位资料已保存"))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request, "accounts/organisation_edit.html", {"organisation": organisation, "form": form}
    )


@login_required
def invite(request):
    """Staff invite into any organisation; a manager invites colleagues into their own."""
    organisation_id = request.GET.get("organisation") or request.POST.get("organisation")
    allowed_orgs = selectors.visible_organisations(request.user)
    roles: set[str] = set()
    for m in memberships(request.user):
        roles |= set(INVITERS.get(m.role, ()))
        roles |= set(OWN_ORGANISATION_INVITERS.get(m.role, ()))
        if m.is_manager:
            roles.add(m.role)
    if not roles:
        raise PermissionDenied
    if not has_role(request.user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        allowed_orgs = allowed_orgs.filter(
            pk__in=[
                m.organisation_id
                for m in memberships(request.user)
                if m.is_manager or m.role in OWN_ORGANISATION_INVITERS
            ]
        )
    initial = {"organisation": organisation_id} if organisation_id else {}
    form = InviteForm(
        request.POST or None, organisations=allowed_orgs, roles=sorted(roles), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                by=request.user,
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        except PermissionDenied:
            form.add_error(None, _("您无权向该组织发出此角色的邀请"))
        else:
            messages.success(
                request, _("邀请已发送至 %(email)s") % {"email": form.cleaned_data["email"]}
            )
            return redirect("accounts:organisation_detail", pk=form.cleaned_data["organisation"].pk)
    return render(request, "accounts/invite.html", {"form": form})


@role_required(Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
def invitation_list(request):
    invitations = selectors.open_invitations(request.user).order_by("-created_at", "-pk")
    listing = paginate(request, invitations, InvitationFilter)
    return render(request, "accounts/invitation_list.html", listing.context())


@require_POST
@login_required
def invitation_revoke(request, pk):
    invitation = get_object_or_404(selectors.open_invitations(request.user), pk=pk)
    services.revoke_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("邀请已撤回"))
    if has_role(request.user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        return redirect("accounts:invitation_list")
    return redirect("accounts:organisation_detail", pk=invitation.organisation_id)


@public
def accept_invitation(request, token):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.email != invitation.email:
        return render(
            request, "accounts/invitation_invalid.html", {"wrong_account": True}, status=403
        )
    existing = user or selectors.User.objects.filter(email=invitation.email).first()
    form = (
        None
        if existing
        else AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    )
    if existing and not user:
        messages.info(request, _("该邮箱已有账户，请先登录，再打开邀请链接"))
        return redirect(f"{_login_url()}?next={request.path}")
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            accepted = services.accept_invitation(
                token=token,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else None,
                user=user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("home")
        if user is None:
            login(request, accepted, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("欢迎加入 %(org)s") % {"org": invitation.organisation})
        return redirect("dashboard")
    return render(
        request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form}
    )


def _login_url():
    from django.urls import reverse

    return reverse("account_login")


@role_required(Role.AGENCY_STAFF)
@kept_for_reader
def agency_members(request):
    members = selectors.agency_members(request.user)
    # Requests waiting for an answer first: with thousands of members they would otherwise
    # hide on a later page.
    listing = paginate(request, members.order_by(*selectors.WAITING_FIRST), AgencyMemberFilter)
    return render(
        request,
        "accounts/agency_members.html",
        {
            **listing.context(),
            "members": listing.page,
            "waiting": members.filter(confirmed_at__isnull=True).count(),
            "decline_form": DeclineMemberForm(),
        },
    )


@require_POST
@role_required(Role.AGENCY_STAFF)
def agency_member_decide(request, pk):
    # The pending request first: an enterprise may also be a confirmed member of another of
    # the user's agencies. When none is pending, the service says a colleague answered.
    membership = (
        selectors.agency_members(request.user)
        .filter(enterprise_id=pk)
        .order_by(F("confirmed_at").asc(nulls_first=True), "pk")
        .first()
    )
    if membership is None:
        raise Http404
    organisation = membership.enterprise
    accept = request.POST.get("decision") == "accept"
    form = DeclineMemberForm(request.POST)
    reason = form.data.get("reason", "") if not accept else ""
    try:
        services.confirm_agency_membership(
            membership=membership, by=request.user, accept=accept, reason=reason
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if accept:
            messages.success(request, _("已确认 %(org)s 为会员企业") % {"org": organisation})
        else:
            messages.success(request, _("已告知 %(org)s 不予确认") % {"org": organisation})
    return redirect("accounts:agency_members")


@role_required(*PROGRAMME_STAFF, Role.AGENCY_STAFF)
def expert_list(request):
    listing = paginate(request, selectors.experts(request.user), ExpertFilter)
    return render(
        request, "accounts/expert_list.html", {**listing.context(), "experts": listing.page}
    )


@role_required(Role.EXPERT)
def expert_profile(request):
    profile = selectors.expert_profile_of(request.user)
    form = ExpertProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_expert_profile(user=request.user, by=request.user, data=form.cleaned_data)
        messages.success(request, _("专家资料已保存"))
        return redirect("accounts:expert_profile")
    return render(request, "accounts/expert_profile.html", {"form": form})
