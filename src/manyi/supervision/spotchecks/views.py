"""Spot check pages: the list, the plan form, a check's page (draw, reproducibility, the drawn
items, close) and one item's page (record, evidence, rectification, revocation).
Thin: the services check and change, these translate HTTP."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import OrgKind, Role
from manyi.campaigns.categories import Category
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.supervision.access import READERS
from manyi.supervision.models import CheckResult, SpotCheckStatus
from manyi.supervision.spotchecks import selectors, services
from manyi.supervision.spotchecks.access import PLAN, RECORD, item_flags, spot_check_flags
from manyi.supervision.spotchecks.filters import SpotCheckFilter
from manyi.supervision.spotchecks.forms import PlanForm, RecordForm, RectifiedForm, RevocationForm
from manyi.supervision.spotchecks.frame import frame_of

PER_PAGE = 50
# Who acts on a check; committee staff read (the services ask the same Actions).
RECORDERS = (Role.WORKDEPT_STAFF, Role.ASSOCIATION_ADMIN)


def _page_exists(name: str) -> bool:
    """Whether another package's page is there yet (sanctions, revocations)."""
    try:
        reverse(name, args=[1]) if name.endswith("_detail") else reverse(name)
    except NoReverseMatch:
        return False
    return True


@require_GET
@role_required(*READERS)
def spotcheck_list(request):
    listing = paginate(request, selectors.spot_checks_for(request.user), SpotCheckFilter)
    return render(
        request,
        "supervision/spotchecks/list.html",
        {**listing.context(), "can_plan": PLAN.allows(request.user, None)},
    )


@role_required(*RECORDERS)
def spotcheck_create(request):
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            spot_check = services.plan_spot_check(
                by=request.user,
                name=data["name"],
                population=data["population"],
                size=data["size"],
                year=data["year"],
                category=data["category"],
                agency=data["agency"],
                weighted=data["weighted"],
                purpose=data["purpose"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("抽查计划已保存，可以抽取抽查对象"))
            return redirect("supervision:spotcheck_detail", pk=spot_check.pk)
    return render(request, "supervision/spotchecks/form.html", {"form": form})


@require_GET
@role_required(*READERS)
def spotcheck_detail(request, pk):
    spot_check = selectors.spot_check_for(request.user, pk)
    context = {
        "spot_check": spot_check,
        "category_label": Category(spot_check.category).label if spot_check.category else "",
        **spot_check_flags(request.user, spot_check),
    }
    if spot_check.status == SpotCheckStatus.PLANNED:
        if context["can_draw"]:
            members = frame_of(spot_check)
            context["preview_members"] = len(members)
            context["preview_organisations"] = len({m.organisation for m in members})
    else:
        items = selectors.items_of(spot_check)
        organisations = services.organisations_in_frame(spot_check)
        context.update(
            items=items,
            reproducible=services.check_draw(spot_check),
            organisations=organisations,
            everyone_drawn=spot_check.size >= organisations,
            pending=sum(1 for i in items if i.result == CheckResult.PENDING),
        )
    return render(request, "supervision/spotchecks/detail.html", context)


def _to_check(spot_check):
    return redirect("supervision:spotcheck_detail", pk=spot_check.pk)


@require_POST
@role_required(*RECORDERS)
def spotcheck_draw(request, pk):
    spot_check = selectors.spot_check_for(request.user, pk)
    try:
        drawn = services.draw_spot_check(spot_check=spot_check, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(
            request,
            _("已从 %(n)d 个对象中抽取 %(k)d 个")
            % {"n": drawn.population_size, "k": drawn.items.count()},
        )
    return _to_check(spot_check)


@require_POST
@role_required(*RECORDERS)
def spotcheck_close(request, pk):
    spot_check = selectors.spot_check_for(request.user, pk)
    try:
        services.close_spot_check(spot_check=spot_check, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("抽查已完成"))
    return _to_check(spot_check)


# ------------------------------------------------------------------------------------------
# One item


def _item_page(request, item, *, form=None, status=200):
    flags = item_flags(request.user, item)
    case = selectors.case_of(item)
    context = {
        "item": item,
        "spot_check": item.spot_check,
        "evidence": selectors.evidence_of(item),
        "case": case,
        "has_revocation_page": case is not None and _page_exists("supervision:revocation_detail"),
        "has_sanctions_page": (
            item.result == CheckResult.FAIL
            and item.title_id is None
            and item.organisation.kind == OrgKind.AGENCY
            and _page_exists("supervision:sanction_list")
        ),
        "form": form
        or RecordForm(
            initial={
                "result": item.result if item.result != CheckResult.PENDING else None,
                "findings": item.findings,
                "rectify_by": item.rectify_by,
            }
        ),
        "rectified_form": RectifiedForm(),
        "revocation_form": RevocationForm(initial={"facts": services.default_facts(item)})
        if flags["can_propose_revocation"]
        else None,
        **flags,
    }
    return render(request, "supervision/spotchecks/item.html", context, status=status)


def _to_item(item):
    return redirect("supervision:spotcheck_item", pk=item.pk)


@require_GET
@role_required(*READERS)
def spotcheck_item(request, pk):
    return _item_page(request, selectors.item_for(request.user, pk))


@require_POST
@role_required(*RECORDERS)
def spotcheck_record(request, pk):
    item = selectors.item_for(request.user, pk)
    if not RECORD.allows(request.user, item):
        # Said on the item's page, where the form is no longer shown.
        try:
            RECORD.require(request.user, item)
        except ValidationError as exc:
            tell_refusal(request, exc)
        return _to_item(item)
    form = RecordForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_item(
                item=item,
                by=request.user,
                result=data["result"],
                findings=data["findings"],
                rectify_by=data["rectify_by"],
                uploads=data["evidence"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("检查结论已记录"))
            return _to_item(item)
    return _item_page(request, item, form=form)


@require_POST
@role_required(*RECORDERS)
def spotcheck_rectified(request, pk):
    item = selectors.item_for(request.user, pk)
    form = RectifiedForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_item(item)
    try:
        services.confirm_rectified(item=item, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("整改已确认，已通知被抽查组织"))
    return _to_item(item)


@require_POST
@role_required(*RECORDERS)
def spotcheck_revoke(request, pk):
    item = selectors.item_for(request.user, pk)
    try:
        services.propose_revocation(item=item, by=request.user, facts=request.POST.get("facts", ""))
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("撤销称号案件已立案，已通知用户委员会"))
    return _to_item(item)
