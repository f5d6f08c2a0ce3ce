"""Revocation cases and the public notices.

Staff (the three offices read; committee staff act; the administrator decides): the list of
cases, the list of certificates and plaques to recall, a case's page with a form for each move
its Action allows, opening a case from a title, publishing the year's notice.
Public (no account): the notices, a notice's page and its PDF.
Thin: the selectors read, the services check and change, these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import public, role_required
from manyi.accounts.roles import Role
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.common.permissions import flags
from manyi.supervision.access import READERS
from manyi.supervision.models import DisciplineNoticeKind, RevocationReason, RevocationStatus
from manyi.supervision.revocations import notices, selectors, services
from manyi.supervision.revocations.access import OPEN, PUBLISH_NOTICE, case_flags
from manyi.supervision.revocations.filters import NoticeFilter, RecallFilter, RevocationFilter
from manyi.supervision.revocations.forms import (
    DecideForm,
    DismissForm,
    EvidenceForm,
    OpenForm,
    ProposeForm,
    PublishForm,
    RecallForm,
)

ACTORS = (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


def _to_case(case):
    return redirect(reverse("supervision:revocation_detail", args=[case.pk]))


# ------------------------------------------------------------------------------------------
# Staff: lists and the case's page


@role_required(*READERS)
def revocation_list(request):
    listing = paginate(request, selectors.cases_for(request.user), RevocationFilter)
    return render(
        request,
        "supervision/revocations/list.html",
        {**listing.context(), "can_publish": PUBLISH_NOTICE.allows(request.user, None)},
    )


@role_required(*READERS)
def revocation_recall_list(request):
    listing = paginate(request, selectors.to_recall(request.user), RecallFilter)
    return render(request, "supervision/revocations/recall_list.html", listing.context())


@role_required(*READERS)
def revocation_detail(request, pk):
    case = selectors.case_for(request.user, pk)
    allowed = case_flags(request.user, case)
    context = {
        "case": case,
        "title": case.title,
        "origin": selectors.origin_of(case),
        "evidence": selectors.evidence_of(case),
        "sanctions": selectors.sanctions_of(case),
        "criticism": selectors.criticism_of(case),
        "ban": selectors.ban_of(case),
        "is_fraud": case.reason == RevocationReason.FRAUD,
        **allowed,
    }
    if allowed["can_propose"]:
        context["propose_form"] = ProposeForm()
        context["dismiss_form"] = DismissForm()
    if allowed["can_decide"]:
        context["decide_form"] = DecideForm(
            initial={"effective_on": timezone.localdate()}
            | (
                {"criticism": notices.criticism_text(case, decided_on=timezone.localdate())}
                if context["is_fraud"]
                else {}
            )
        )
    if allowed["can_recall"]:
        context["recall_form"] = RecallForm()
    if allowed["can_add_evidence"]:
        context["evidence_form"] = EvidenceForm()
    return render(request, "supervision/revocations/detail.html", context)


# ------------------------------------------------------------------------------------------
# Staff: the moves


@role_required(*ACTORS)
def revocation_open(request, number):
    title = selectors.title_for_opening(request.user, number)
    refusal = None
    try:
        OPEN.require(request.user, title)
    except ValidationError as exc:
        refusal = exc.messages[0]
    form = OpenForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                title=title,
                by=request.user,
                reason=data["reason"],
                facts=data["facts"],
                proposed=data["proposed"],
                proposal=data["proposal"],
                evidence=data["evidence"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request,
                _("已立案，撤销建议已报协会决定")
                if case.status == RevocationStatus.PROPOSED
                else _("已立案，待用户委员会研究"),
            )
            return _to_case(case)
    return render(
        request,
        "supervision/revocations/open.html",
        {
            "title": title,
            "form": form,
            "refusal": refusal,
            "cases": selectors.cases_of_title(title),
        },
    )


def _act(request, case, form, act, done: str):
    """Run a move with a valid form's data; say why when it is refused."""
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_case(case)
    try:
        act(form.cleaned_data)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, done)
    return _to_case(case)


@require_POST
@role_required(*ACTORS)
def revocation_propose(request, pk):
    case = selectors.case_for(request.user, pk)
    return _act(
        request,
        case,
        ProposeForm(request.POST),
        lambda d: services.propose_revocation(case=case, by=request.user, proposal=d["proposal"]),
        _("撤销建议已报协会决定"),
    )


@require_POST
@role_required(*ACTORS)
def revocation_dismiss(request, pk):
    case = selectors.case_for(request.user, pk)
    return _act(
        request,
        case,
        DismissForm(request.POST),
        lambda d: services.dismiss_revocation(case=case, by=request.user, reasons=d["reasons"]),
        _("已记录：不提出撤销建议"),
    )


@require_POST
@role_required(Role.ASSOCIATION_ADMIN)
def revocation_decide(request, pk):
    case = selectors.case_for(request.user, pk)

    def decide(data):
        services.decide_revocation(
            case=case,
            by=request.user,
            revoke=data["outcome"] == "revoke",
            decision=data["decision"],
            effective_on=data["effective_on"],
            criticism=data["criticism"],
        )

    outcome = request.POST.get("outcome")
    return _act(
        request,
        case,
        DecideForm(request.POST),
        decide,
        _("已决定撤销称号，并已通知获证单位") if outcome == "revoke" else _("已决定不予撤销"),
    )


@require_POST
@role_required(*ACTORS)
def revocation_recall(request, pk):
    case = selectors.case_for(request.user, pk)
    return _act(
        request,
        case,
        RecallForm(request.POST),
        lambda d: services.record_recall(
            case=case, by=request.user, certificate=d["certificate"], plaque=d["plaque"], on=d["on"]
        ),
        _("收回情况已记录"),
    )


@require_POST
@role_required(*ACTORS)
def revocation_evidence(request, pk):
    case = selectors.case_for(request.user, pk)
    return _act(
        request,
        case,
        EvidenceForm(request.POST, request.FILES),
        lambda d: services.add_case_evidence(
            case=case, by=request.user, upload=d["file"], description=d["description"]
        ),
        _("材料已上传"),
    )


# ------------------------------------------------------------------------------------------
# The year's notice: publishing (the administrator)


@role_required(Role.ASSOCIATION_ADMIN)
def notice_publish(request):
    today = timezone.localdate()
    years = selectors.annual_years(today=today)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = PublishForm(data, years=years, initial={"year": years[0]})
    year = form.cleaned_data["year"] if form.is_valid() else years[0]
    if request.method == "POST" and form.is_valid():
        try:
            notice = notices.publish_annual_notice(year=year, by=request.user)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("公示已发布"))
            return redirect(reverse("supervision:notice_detail", args=[notice.pk]))
    revocations, sanctions = selectors.split_entries(selectors.annual_entries(year, today=today))
    return render(
        request,
        "supervision/notices/publish.html",
        {
            "form": form,
            "year": year,
            "revocations": revocations,
            "sanctions": sanctions,
            "published": selectors.public_notices(
                {"kind": DisciplineNoticeKind.ANNUAL, "year": str(year)}
            ),
        },
    )


# ------------------------------------------------------------------------------------------
# Public


@public
def notice_list(request):
    listing = paginate(request, selectors.published_notices(), NoticeFilter)
    return render(
        request,
        "supervision/notices/list.html",
        {
            **listing.context(),
            "superseded": selectors.superseded_ids(),
            **flags(request.user, None, {"can_publish": PUBLISH_NOTICE}),
        },
    )


@public
def notice_detail(request, pk):
    notice = selectors.public_notice(pk)
    revocations, sanctions = selectors.sections(notice)
    return render(
        request,
        "supervision/notices/detail.html",
        {
            "notice": notice,
            "revocations": revocations,
            "sanctions": sanctions,
            **selectors.versions_of(notice),
        },
    )


@public
@require_GET
def notice_pdf(request, pk):
    notice = selectors.public_notice(pk)
    response = HttpResponse(notices.notice_pdf(notice=notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="discipline-notice-{notice.pk}.pdf"'
    return response
