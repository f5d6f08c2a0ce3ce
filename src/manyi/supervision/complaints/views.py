"""Complaints.

Public (no account): the complaint form and the complainant's private follow-up page. Staff:
the list and a complaint's page, triage, the investigator, findings, the answer or dismissal,
and the complainant's files. Thin: the services check and change, these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import public, role_required
from manyi.accounts.roles import Role
from manyi.applications.evidence import download_name
from manyi.common.context import client_ip
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.common.responses import private_page
from manyi.supervision.access import READERS, reads_supervision
from manyi.supervision.complaints import selectors, services
from manyi.supervision.complaints.access import SEE_COMPLAINANT, complaint_flags
from manyi.supervision.complaints.filters import ComplaintFilter
from manyi.supervision.complaints.forms import (
    AnswerForm,
    ComplaintForm,
    DismissForm,
    FindingsForm,
    TriageForm,
)
from manyi.supervision.models import ComplaintStatus

PER_PAGE = 50
# Who handles complaints; who may open the pages (an expert only the ones given to them).
HANDLERS = (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)
OPENERS = (*READERS, Role.EXPERT)

# What the complainant reads: the state in plain words, nothing internal.
PUBLIC_STATUS = {
    ComplaintStatus.RECEIVED: gettext_lazy("已收到，等待受理"),
    ComplaintStatus.INVESTIGATING: gettext_lazy("已受理，正在调查核实"),
    ComplaintStatus.ANSWERED: gettext_lazy("已答复"),
    ComplaintStatus.DISMISSED: gettext_lazy("不予受理"),
}


# ------------------------------------------------------------------------------------------
# Public


@public
@never_cache
def complaint_new(request):
    """The complaint form (``?title=<number>`` fills in what it is about). On success the
    private follow-up link is shown once, on this response only (it is never stored)."""
    initial = {"about": (request.GET.get("title") or "").strip()[:40]}
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        ip = client_ip(request)
        if not services.complaint_allowed(ip):
            form.is_valid()
            form.add_error(None, services.rate_refusal())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                complaint, token = services.submit_complaint(
                    about=data["about"],
                    facts=data["facts"],
                    name=data["name"],
                    contact=data["contact"],
                    consent=data["consent"],
                    evidence=data["evidence"],
                    ip=ip,
                )
            except ValidationError as exc:
                add_validation_errors(exc, form)
            else:
                return private_page(
                    request,
                    "supervision/complaints/received.html",
                    {
                        "complaint": complaint,
                        "follow_url": request.build_absolute_uri(
                            reverse("supervision:complaint_follow", args=[token])
                        ),
                    },
                )
    return render(request, "supervision/complaints/form.html", {"form": form})


@public
@never_cache
def complaint_follow(request, token):
    """The complainant's private page: the state in plain words, the answer, the dates; no
    staff name, no internal note."""
    complaint = services.find_complaint(token)
    if complaint is None:
        raise Http404
    return private_page(
        request,
        "supervision/complaints/follow.html",
        {
            "complaint": complaint,
            "status_words": PUBLIC_STATUS[complaint.status],
            "files": complaint.evidence.filter(uploaded_by__isnull=True).count(),
        },
    )


# ------------------------------------------------------------------------------------------
# Staff


@role_required(*OPENERS)
def complaint_list(request):
    listing = paginate(request, selectors.complaints_for(request.user), ComplaintFilter)
    return render(request, "supervision/complaints/list.html", listing.context())


def _case_url(case) -> str | None:
    return reverse("supervision:revocation_detail", args=[case.pk])


@role_required(*OPENERS)
def complaint_detail(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    allowed = complaint_flags(request.user, complaint)
    existing = selectors.case_in_progress(complaint) if complaint.major else None
    triage_form = TriageForm(
        initial={
            "title_number": complaint.title.number if complaint.title_id else "",
            "organisation_name": complaint.organisation.name if complaint.organisation_id else "",
            "major": complaint.major,
            "note": complaint.triage_note,
        }
    )
    return render(
        request,
        "supervision/complaints/detail.html",
        {
            "complaint": complaint,
            **allowed,
            "staff_view": reads_supervision.test(request.user),
            "evidence": (
                list(selectors.evidence_of(complaint)) if allowed["can_see_complainant"] else []
            ),
            "evidence_count": selectors.evidence_of(complaint).count(),
            "cases": [(c, _case_url(c)) for c in selectors.cases_of(complaint)],
            "existing_case": (existing, _case_url(existing)) if existing else None,
            "triage_form": triage_form,
            "suggestions": (
                selectors.suggestions(complaint)
                if allowed["can_triage"] and not complaint.title_id
                else []
            ),
            "candidates": (
                selectors.investigator_candidates(complaint) if allowed["can_assign"] else []
            ),
            "findings_form": FindingsForm(initial={"findings": complaint.findings}),
            "answer_form": AnswerForm(),
            "dismiss_form": DismissForm(),
            "history": selectors.history(complaint),
        },
    )


def _to_complaint(complaint):
    return redirect(reverse("supervision:complaint_detail", args=[complaint.pk]))


@require_POST
@role_required(*HANDLERS)
def complaint_triage(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_complaint(complaint)
    data = form.cleaned_data
    try:
        result = services.triage_complaint(
            complaint=complaint,
            by=request.user,
            major=data["major"],
            title_number=data["title_number"],
            organisation_name=data["organisation_name"],
            note=data["note"],
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("分类处理已记录"))
        if result.opened is not None:
            messages.info(request, _("重大投诉：系统已对该称号立案，待研究是否撤销"))
        elif result.existing is not None:
            messages.info(
                request, _("该称号已有正在处理的撤销案件，本投诉已在投诉页面注明，未重复立案")
            )
    return _to_complaint(complaint)


@require_POST
@role_required(*HANDLERS)
def complaint_assign(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    investigator = selectors.candidate(complaint, request.POST.get("investigator", ""))
    try:
        services.assign_investigator(
            complaint=complaint, by=request.user, investigator=investigator
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已指定调查人，并已通知"))
    return _to_complaint(complaint)


@require_POST
@role_required(*HANDLERS, Role.EXPERT)
def complaint_findings(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    form = FindingsForm(request.POST, request.FILES)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_complaint(complaint)
    try:
        services.record_findings(
            complaint=complaint,
            by=request.user,
            findings=form.cleaned_data["findings"],
            evidence=form.cleaned_data["evidence"],
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("调查情况已记录"))
    return _to_complaint(complaint)


@require_POST
@role_required(*HANDLERS)
def complaint_answer(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    try:
        services.answer_complaint(
            complaint=complaint, by=request.user, answer=request.POST.get("answer", "")
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已答复，投诉人凭查询链接可见"))
    return _to_complaint(complaint)


@require_POST
@role_required(*HANDLERS)
def complaint_dismiss(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    try:
        services.dismiss_complaint(
            complaint=complaint, by=request.user, answer=request.POST.get("answer", "")
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已决定不予受理，投诉人凭查询链接可见理由"))
    return _to_complaint(complaint)


@require_GET
@role_required(*OPENERS)
def complaint_evidence(request, pk, evidence):
    complaint = selectors.complaint_for(request.user, pk)
    if not SEE_COMPLAINANT.allows(request.user, complaint):
        raise PermissionDenied
    item = get_object_or_404(selectors.evidence_of(complaint), pk=evidence)
    try:
        handle = services.open_complaint_evidence(
            complaint=complaint, evidence=item, by=request.user
        )
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(item.name, item.content_type, fallback="evidence"),
        content_type=item.content_type or "application/octet-stream",
    )
