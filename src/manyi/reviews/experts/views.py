"""The expert pool's pages: the expert's declaration, their assignments (list, one assignment
with the application to read, the PDF, declining), and the staff's acts on the review page
(draw, replace). Thin: the services check and change, these translate HTTP."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.applications.documents.services import export_application_pdf
from manyi.common.forms import tell_refusal
from manyi.common.listing import paginate
from manyi.reviews import selectors as review_selectors
from manyi.reviews.access import DECLINE, READ_ASSIGNMENT, SIGN_DECLARATION
from manyi.reviews.experts import reading, selectors, services
from manyi.reviews.experts.filters import AssignmentFilter
from manyi.reviews.experts.forms import DeclarationForm, ReasonForm

STAFF = (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


# ------------------------------------------------------------------------------------------
# The expert


@role_required(Role.EXPERT)
def experts_declaration(request, year):
    campaign = selectors.campaign_for_declaration(request.user, year)
    declaration = selectors.declaration_of(request.user, campaign)
    can_sign = declaration is None and SIGN_DECLARATION.allows(request.user, campaign)
    query = request.GET.get("q", "").strip()[:100]
    chosen = request.POST.getlist("conflicts") if request.method == "POST" else []
    chosen += request.GET.getlist("org")
    shown = selectors.enterprises_by_id(chosen) | selectors.enterprises_by_id(
        [o.pk for o in selectors.enterprises_named(query)]
    )
    form = DeclarationForm(
        request.POST if request.method == "POST" and can_sign else None,
        enterprises=shown.order_by("name"),
        initial={"conflicts": [int(c) for c in chosen if str(c).isdecimal()]},
    )
    if request.method == "POST" and can_sign and form.is_valid():
        try:
            services.sign_declaration(
                expert=request.user,
                campaign=campaign,
                conflicts=list(form.cleaned_data["conflicts"]),
                competitors=form.cleaned_data["competitors"],
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("声明已签署，可以接受本年度的评审指派"))
        return redirect("reviews:experts_declaration", year=campaign.year)
    return render(
        request,
        "reviews/experts/declaration.html",
        {
            "campaign": campaign,
            "declaration": declaration,
            "can_sign": can_sign,
            "wording": services.declaration_wording(campaign=campaign, expert=request.user),
            "form": form,
            "query": query,
            "chosen": [c for c in chosen if str(c).isdecimal()],
            "searched": bool(query),
        },
    )


@require_GET
@role_required(Role.EXPERT)
def experts_assignments(request):
    listing = paginate(request, selectors.assignments_of(request.user), AssignmentFilter)
    for assignment in listing.page:
        assignment.can_decline = DECLINE.allows(request.user, assignment)
    return render(
        request,
        "reviews/experts/assignments.html",
        {
            **listing.context(),
            "awaiting": selectors.campaigns_awaiting_declaration(request.user),
            "reason_form": ReasonForm(),
        },
    )


@require_GET
@role_required(Role.EXPERT)
def experts_assignment(request, pk):
    assignment = selectors.assignment_for(request.user, pk)
    application = assignment.application
    can_read = READ_ASSIGNMENT.allows(request.user, assignment)
    return render(
        request,
        "reviews/experts/assignment.html",
        {
            "assignment": assignment,
            "application": application,
            "can_read": can_read,
            "can_decline": DECLINE.allows(request.user, assignment),
            "materials": reading.materials_of(application) if can_read else [],
            "facts": reading.key_facts(application) if can_read else [],
            "reason_form": ReasonForm(),
        },
    )


@require_GET
@role_required(Role.EXPERT)
def experts_assignment_pdf(request, pk):
    assignment = selectors.assignment_for(request.user, pk)
    if not READ_ASSIGNMENT.allows(request.user, assignment):
        raise PermissionDenied
    application = assignment.application
    pdf = export_application_pdf(application=application, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="application-{application.campaign.year}-{application.pk}.pdf"'
    )
    return response


@require_POST
@role_required(Role.EXPERT)
def experts_decline(request, pk):
    assignment = selectors.assignment_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写谢绝原因"))
        return redirect("reviews:experts_assignment", pk=assignment.pk)
    try:
        services.decline_assignment(
            assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
        return redirect("reviews:experts_assignment", pk=assignment.pk)
    messages.success(request, _("已谢绝该评审任务，用户委员会已另行指派专家"))
    return redirect("reviews:experts_assignments")


# ------------------------------------------------------------------------------------------
# Committee staff, from the review page


def _to_review(application_id):
    return redirect(reverse("reviews:detail", args=[application_id]) + "#experts")


@require_POST
@role_required(*STAFF)
def experts_draw(request, pk):
    application = review_selectors.application_for_review(request.user, pk)
    try:
        record = services.draw_experts(application=application, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(
            request,
            _("已抽取 %(n)d 位专家（随机种子 %(seed)d），已邮件通知")
            % {"n": record.needed, "seed": record.seed},
        )
    return _to_review(application.pk)


@require_POST
@role_required(*STAFF)
def experts_replace(request, pk):
    assignment = selectors.assignment_for_staff(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写替换原因"))
        return _to_review(assignment.application_id)
    try:
        new = services.replace_expert(
            assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(
            request,
            _("已替换为 %(name)s，已邮件通知两位专家") % {"name": new.expert.display_name},
        )
    return _to_review(assignment.application_id)
