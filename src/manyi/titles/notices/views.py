"""Notices and objections.

Public (no account): the notices by year, a notice's page and PDF, the objection form during a
公示, and the objector's private follow-up page. Staff: the objection list and page, the
evidence download, assigning an investigator, recording the outcome, and the grant.
Thin: the services check and change, these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import public, role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.evidence import download_name
from manyi.common.context import client_ip
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.common.responses import private_page
from manyi.titles.access import (
    ASSIGN_INVESTIGATOR,
    DECIDE_OBJECTION,
    GRANT,
    OBJECT,
    SEE_OBJECTOR,
    reads_decisions,
)
from manyi.titles.models import NoticeKind
from manyi.titles.notices import selectors, services
from manyi.titles.notices.filters import NoticeFilter, ObjectionFilter
from manyi.titles.notices.forms import ObjectionForm, OutcomeForm

HANDLERS = (*PROGRAMME_STAFF, Role.EXPERT)


# ------------------------------------------------------------------------------------------
# Public


@public
def notice_list(request):
    listing = paginate(request, selectors.public_notices(), NoticeFilter)
    return render(request, "titles/notices/list.html", listing.context())


@public
def notice_detail(request, pk):
    notice = selectors.public_notice(pk)
    user = request.user
    return render(
        request,
        "titles/notices/detail.html",
        {
            "notice": notice,
            "entries": selectors.notice_entries(notice),
            "is_publicity": notice.kind == NoticeKind.PUBLICITY,
            "can_object": OBJECT.allows(user, notice),
            "can_grant": user.is_authenticated and GRANT.allows(user, notice),
            "staff_view": user.is_authenticated and reads_decisions.test(user),
        },
    )


@public
@require_GET
def notice_pdf(request, pk):
    notice = selectors.public_notice(pk)
    pdf = services.notice_pdf(notice=notice)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


@public
@never_cache
def objection_create(request, pk):
    """The objection form. On success the private follow-up link is shown once, on this
    response only (it is never stored, so it cannot be shown again)."""
    notice = selectors.public_notice(pk)
    refusal = None
    try:
        OBJECT.require(request.user, notice)
    except ValidationError as exc:
        refusal = exc.messages[0]
    decisions = list(services.objectable_decisions(notice)) if refusal is None else []
    form = ObjectionForm(request.POST or None, request.FILES or None, decisions=decisions)
    if request.method == "POST" and refusal is None:
        ip = client_ip(request)
        if not services.objection_allowed(ip):
            form.is_valid()
            form.add_error(None, services.rate_refusal())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                objection, token = services.submit_objection(
                    notice=notice,
                    application=data["application"],
                    name=data["name"],
                    contact=data["contact"],
                    reasons=data["reasons"],
                    evidence=data["evidence"],
                    ip=ip,
                )
            except ValidationError as exc:
                add_validation_errors(exc, form)
            else:
                return private_page(
                    request,
                    "titles/notices/objection_received.html",
                    {
                        "notice": notice,
                        "objection": objection,
                        "follow_url": request.build_absolute_uri(
                            reverse("titles:objection_follow", args=[token])
                        ),
                    },
                )
    return render(
        request,
        "titles/notices/objection_form.html",
        {"notice": notice, "form": form, "refusal": refusal},
    )


@public
@never_cache
def objection_follow(request, token):
    """The objector's private page: status and outcome, nothing of anyone else."""
    objection = services.find_objection(token)
    if objection is None:
        raise Http404
    return private_page(request, "titles/notices/objection_follow.html", {"objection": objection})


# ------------------------------------------------------------------------------------------
# Staff


@role_required(*HANDLERS)
def objection_list(request):
    listing = paginate(request, selectors.objections_for(request.user), ObjectionFilter)
    return render(request, "titles/notices/objection_list.html", listing.context())


@role_required(*HANDLERS)
def objection_detail(request, pk):
    objection = selectors.objection_for(request.user, pk)
    user = request.user
    can_assign = ASSIGN_INVESTIGATOR.allows(user, objection)
    return render(
        request,
        "titles/notices/objection_detail.html",
        {
            "objection": objection,
            "can_see_objector": SEE_OBJECTOR.allows(user, objection),
            "can_assign": can_assign,
            "can_decide": DECIDE_OBJECTION.allows(user, objection),
            "candidates": selectors.investigator_candidates(objection) if can_assign else [],
            "outcome_form": OutcomeForm(),
        },
    )


@require_GET
@role_required(*HANDLERS)
def objection_evidence(request, pk):
    objection = selectors.objection_for(request.user, pk)
    if not SEE_OBJECTOR.allows(request.user, objection):
        raise PermissionDenied
    if not objection.evidence_path:
        raise Http404
    handle = services.open_objection_evidence(objection=objection, by=request.user)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(
            objection.evidence_name, objection.evidence_type, fallback="evidence"
        ),
        content_type=objection.evidence_type or "application/octet-stream",
    )


def _to_objection(objection):
    return redirect(reverse("titles:objection_detail", args=[objection.pk]))


@require_POST
@role_required(*PROGRAMME_STAFF)
def objection_assign(request, pk):
    objection = selectors.objection_for(request.user, pk)
    investigator = selectors.candidate(objection, request.POST.get("investigator", ""))
    try:
        services.assign_investigator(
            objection=objection, by=request.user, investigator=investigator
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已指定调查人，并已通知"))
    return _to_objection(objection)


@require_POST
@role_required(*HANDLERS)
def objection_decide(request, pk):
    objection = selectors.objection_for(request.user, pk)
    try:
        services.decide_objection(
            objection=objection,
            by=request.user,
            outcome=request.POST.get("outcome", ""),
            findings=request.POST.get("findings", ""),
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("调查结论已记录"))
    return _to_objection(objection)


@require_POST
@role_required(*PROGRAMME_STAFF)
def notice_grant(request, pk):
    notice = selectors.public_notice(pk)
    try:
        announcement = services.grant_notice(notice=notice, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
        return redirect(reverse("titles:notice_detail", args=[notice.pk]))
    if announcement is None:
        messages.info(request, _("公示已办结：拟授予名单均已撤回，没有授予称号"))
        return redirect(reverse("titles:notice_detail", args=[notice.pk]))
    messages.success(request, _("称号已授予，公告已发布"))
    return redirect(reverse("titles:notice_detail", args=[announcement.pk]))
