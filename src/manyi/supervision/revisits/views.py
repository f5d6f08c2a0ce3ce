"""Revisit confirmation pages (回访确认, Art. 23).

Staff: the list, planning by hand, the seeded draw and its page, one revisit's page with its
buttons (experts, replace, notify, record, cancel). Experts: "我的回访" and the page of a
revisit they are assigned to. A title holder: its own revisits from the notice on.
Thin: the services check and change, these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.reviews.experts import reading
from manyi.reviews.experts.selectors import experts_by_id
from manyi.supervision.access import READERS, reads_supervision
from manyi.supervision.filters import TitlePickFilter
from manyi.supervision.models import RevisitStatus
from manyi.supervision.revisits import selectors, services
from manyi.supervision.revisits.access import PLAN, REPLACE_EXPERT, revisit_flags
from manyi.supervision.revisits.filters import RevisitFilter
from manyi.supervision.revisits.forms import DrawForm, PlanForm, ReasonForm, RecordForm
from manyi.supervision.selectors import title_years, titles_by_id

PER_PAGE = 50
STAFF = (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


def _page(request, rows):
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


# ------------------------------------------------------------------------------------------
# Staff


@require_GET
@role_required(*READERS)
def revisit_list(request):
    listing = paginate(request, selectors.revisits_for_staff(request.user), RevisitFilter)
    return render(
        request,
        "supervision/revisits/list.html",
        {
            **listing.context(),
            "can_plan": PLAN.allows(request.user, None),
            # The latest draws, as a reminder (each has its own page); not a list to page.
            "draws": selectors.draws_for(request.user)[:5],
        },
    )


@role_required(*STAFF)
def revisit_plan(request):
    """Valid titles without a revisit ahead: search, tick, give the date and what to prepare."""
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revisits = services.plan_revisits(
                titles=titles_by_id(data["titles"]),
                visit_on=data["visit_on"],
                prepare=data["prepare"],
                by=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            count = len(revisits)
            messages.success(
                request,
                ngettext(
                    "已安排 %(n)d 项回访；请指派专家后通知获证单位",
                    "已安排 %(n)d 项回访；请指派专家后通知获证单位",
                    count,
                )
                % {"n": count},
            )
            if count == 1:
                return redirect("supervision:revisit_detail", pk=revisits[0].pk)
            return redirect(reverse("supervision:revisit_list") + "?status=planned")
    titles = selectors.revisable_titles().order_by("-year", "category", "number")
    listing = paginate(request, titles, TitlePickFilter)
    ticked = set(form.cleaned_data.get("titles") or []) if form.is_bound else set()
    return render(
        request,
        "supervision/revisits/plan.html",
        {
            **listing.context(),
            "form": form,
            "ticked": ticked,
        },
    )


@role_required(*STAFF)
def revisit_draw(request):
    form = DrawForm(request.POST if request.method == "POST" else None, years=title_years())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.draw_revisit_holders(
                year=data["year"],
                category=data["category"],
                size=data["size"],
                visit_on=data["visit_on"],
                prepare=data["prepare"],
                by=request.user,
                seed=data["seed"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request,
                _("已抽取 %(n)d 个获证单位（随机种子 %(seed)d），已安排回访")
                % {"n": len(record.drawn), "seed": record.seed},
            )
            return redirect("supervision:revisit_draw_detail", pk=record.pk)
    return render(request, "supervision/revisits/draw.html", {"form": form})


@require_GET
@role_required(*READERS)
def revisit_draw_detail(request, pk):
    record = selectors.draw_for(request.user, pk)
    revisits = {r.title_id: r for r in record.revisits.select_related("title__organisation")}
    return render(
        request,
        "supervision/revisits/draw_detail.html",
        {
            "draw": record,
            "same": services.check_revisit_draw(record),
            "drawn": [revisits.get(title_id) for title_id in record.drawn],
        },
    )


def _case_link(case) -> str:
    return reverse("supervision:revocation_detail", args=[case.pk])


@require_GET
@role_required(*READERS, Role.EXPERT)
def revisit_detail(request, pk):
    revisit = selectors.revisit_for(request.user, pk)
    user = request.user
    experts = list(revisit.experts.select_related("expert__expert_profile").order_by("position"))
    excluded = revisit.excluded or {}
    names = experts_by_id(int(k) for k in excluded)
    cases = list(revisit.revocations.order_by("-opened_at"))
    return render(
        request,
        "supervision/revisits/detail.html",
        {
            "revisit": revisit,
            "title": revisit.title,
            "application": revisit.title.application,
            "experts": experts,
            "excluded": [(names.get(int(k)), reason) for k, reason in excluded.items()],
            "evidence": list(revisit.evidence.all()),
            "cases": [(case, _case_link(case)) for case in cases],
            "facts": reading.key_facts(revisit.title.application),
            "cancel_note": selectors.cancel_note(revisit)
            if revisit.status == RevisitStatus.CANCELLED
            else "",
            "staff_view": reads_supervision.test(user),
            "can_replace": bool(experts) and REPLACE_EXPERT.allows(user, experts[0]),
            "record_form": RecordForm(),
            "reason_form": ReasonForm(),
            **revisit_flags(user, revisit),
        },
    )


def _to_detail(revisit):
    return redirect("supervision:revisit_detail", pk=revisit.pk)


@require_POST
@role_required(*STAFF)
def revisit_experts(request, pk):
    revisit = selectors.revisit_for(request.user, pk)
    try:
        services.draw_revisit_experts(revisit=revisit, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已抽取回访专家；通知获证单位时一并通知专家"))
    return _to_detail(revisit)


@require_POST
@role_required(*STAFF)
def revisit_replace(request, pk):
    place = selectors.revisit_expert_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_detail(place.revisit)
    try:
        new = services.replace_revisit_expert(
            revisit_expert=place, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已替换为 %(name)s") % {"name": new.expert.display_name})
    return _to_detail(place.revisit)


@require_POST
@role_required(*STAFF)
def revisit_notify(request, pk):
    revisit = selectors.revisit_for(request.user, pk)
    try:
        services.notify_revisit(revisit=revisit, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已通知获证单位和回访专家"))
    return _to_detail(revisit)


@require_POST
@role_required(*STAFF, Role.EXPERT)
def revisit_record(request, pk):
    revisit = selectors.revisit_for(request.user, pk)
    form = RecordForm(request.POST, request.FILES)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_detail(revisit)
    data = form.cleaned_data
    try:
        services.record_revisit(
            revisit=revisit,
            by=request.user,
            passed=data["passed"],
            findings=data["findings"],
            evidence=data["evidence"],
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        if data["passed"]:
            messages.success(request, _("回访结果已记录：通过"))
        elif revisit.revocations.exists():
            messages.success(request, _("回访结果已记录：未通过。撤销建议已报送广州市质量协会"))
        else:
            messages.warning(
                request,
                _(
                    "回访结果已记录：未通过。该称号已有正在处理的撤销案件或已不在有效期内，未另行立案"
                ),
            )
    return _to_detail(revisit)


@require_POST
@role_required(*STAFF)
def revisit_cancel(request, pk):
    revisit = selectors.revisit_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_detail(revisit)
    try:
        services.cancel_revisit(
            revisit=revisit, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("回访已取消"))
    return _to_detail(revisit)


# ------------------------------------------------------------------------------------------
# Experts and holders


@require_GET
@role_required(Role.EXPERT)
def revisit_mine(request):
    return render(
        request,
        "supervision/revisits/mine.html",
        {"page": _page(request, selectors.revisits_of_expert(request.user)), "query": ""},
    )


@require_GET
@role_required(Role.ENTERPRISE_USER)
def revisit_holder_list(request):
    return render(
        request,
        "supervision/revisits/holder_list.html",
        {"page": _page(request, selectors.revisits_of_holder(request.user)), "query": ""},
    )
