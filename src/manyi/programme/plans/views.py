"""The plan keepers' pages (the association's administrator, the committee's staff): the plans
of every year, one plan with its activities, and each change through its service.

Thin: the services check and change; these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.programme.access import PLAN_KEEPERS
from manyi.programme.plans import activities, selectors, services
from manyi.programme.plans.access import activity_flags, plan_flags
from manyi.programme.plans.filters import ActivityFilter, PlanFilter
from manyi.programme.plans.forms import (
    ActivityForm,
    CancelForm,
    HeldForm,
    PlanForm,
    UnpublishForm,
)

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "title_en",
    "starts_on",
    "ends_on",
    "responsible_organisation",
    "responsible",
)


def _crumbs(*more):
    return [
        (_("年度工作计划"), reverse("programme:plan_public")),
        (_("计划管理"), reverse("programme:plan_manage_list")),
        *more,
    ]


def _plan_crumb(plan):
    return (
        _("%(year)d 年度") % {"year": plan.year},
        reverse("programme:plan_manage", kwargs={"pk": plan.pk}),
    )


@role_required(*PLAN_KEEPERS)
def manage_list(request):
    listing = paginate(request, selectors.managed_plans(request.user), PlanFilter)
    return render(
        request,
        "programme/plans/manage_list.html",
        {
            **listing.context(),
            "breadcrumbs": [
                (_("年度工作计划"), reverse("programme:plan_public")),
                (_("计划管理"), None),
            ],
        },
    )


@role_required(*PLAN_KEEPERS)
def plan_create(request):
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("年度计划已创建，请添加计划活动后发布"))
            return redirect("programme:plan_manage", pk=plan.pk)
    return render(
        request,
        "programme/plans/plan_form.html",
        {"form": form, "breadcrumbs": _crumbs((_("新建年度计划"), None))},
        status=400 if form.errors else 200,
    )


@role_required(*PLAN_KEEPERS)
def plan_manage(request, pk):
    plan = selectors.managed_plan(request.user, pk)
    listing = paginate(request, selectors.managed_activities(plan), ActivityFilter)
    for activity in listing.page:
        activity.plan = plan
        activity.flags = activity_flags(request.user, activity)
    return render(
        request,
        "programme/plans/manage_detail.html",
        {
            **listing.context(),
            "plan": plan,
            "counts": selectors.activity_counts(plan),
            "unpublish_form": UnpublishForm(),
            **plan_flags(request.user, plan),
            "breadcrumbs": _crumbs((_("%(year)d 年度") % {"year": plan.year}, None)),
        },
    )


@role_required(*PLAN_KEEPERS)
def plan_edit(request, pk):
    plan = selectors.managed_plan(request.user, pk)
    initial = {f: getattr(plan, f) for f in ("theme", "summary", "theme_en", "summary_en")}
    form = PlanForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("年度计划已保存"))
            return redirect("programme:plan_manage", pk=plan.pk)
    return render(
        request,
        "programme/plans/plan_form.html",
        {"form": form, "plan": plan, "breadcrumbs": _crumbs(_plan_crumb(plan), (_("修改"), None))},
        status=400 if form.errors else 200,
    )


def _move(request, service, done: str, **extra):
    try:
        service(by=request.user, **extra)
    except ValidationError as exc:
        tell_refusal(request, exc)
        return False
    messages.success(request, done)
    return True


@require_POST
@role_required(*PLAN_KEEPERS)
def plan_publish(request, pk):
    plan = selectors.managed_plan(request.user, pk)
    _move(
        request, services.publish_plan, _("年度计划已发布，公众可在“年度计划”页面查看"), plan=plan
    )
    return redirect("programme:plan_manage", pk=plan.pk)


@require_POST
@role_required(*PLAN_KEEPERS)
def plan_unpublish(request, pk):
    plan = selectors.managed_plan(request.user, pk)
    form = UnpublishForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _move(request, services.unpublish_plan, _("年度计划已撤回"), plan=plan, reason=reason)
    return redirect("programme:plan_manage", pk=plan.pk)


def _activity_form_page(request, form, *, plan, activity=None):
    return render(
        request,
        "programme/plans/activity_form.html",
        {
            "form": form,
            "plan": plan,
            "activity": activity,
            "can_edit": activity is None or activity_flags(request.user, activity)["can_edit"],
            "breadcrumbs": _crumbs(
                _plan_crumb(plan), ((_("修改活动") if activity else _("添加活动")), None)
            ),
        },
        status=400 if form.errors else 200,
    )


@role_required(*PLAN_KEEPERS)
def activity_add(request, pk):
    plan = selectors.managed_plan(request.user, pk)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activities.add_activity(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("计划活动已添加"))
            return redirect("programme:plan_manage", pk=plan.pk)
    return _activity_form_page(request, form, plan=plan)


@role_required(*PLAN_KEEPERS)
def activity_edit(request, pk):
    activity = selectors.managed_activity(request.user, pk)
    initial = {f: getattr(activity, f) for f in ACTIVITY_FIELDS}
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activities.update_activity(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("计划活动已修改"))
            return redirect("programme:plan_manage", pk=activity.plan_id)
    return _activity_form_page(request, form, plan=activity.plan, activity=activity)


def _progress_page(request, activity, form, template: str, title: str):
    return render(
        request,
        template,
        {
            "form": form,
            "activity": activity,
            "plan": activity.plan,
            **activity_flags(request.user, activity),
            "breadcrumbs": _crumbs(_plan_crumb(activity.plan), (title, None)),
        },
        status=400 if form.errors else 200,
    )


@role_required(*PLAN_KEEPERS)
def activity_held(request, pk):
    activity = selectors.managed_activity(request.user, pk)
    initial = {
        "held_on": activity.held_on or activity.ends_on,
        "outcome": activity.outcome,
        "outcome_url": activity.outcome_url,
    }
    form = HeldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activities.record_held(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("已登记为已举办"))
            return redirect("programme:plan_manage", pk=activity.plan_id)
    return _progress_page(
        request, activity, form, "programme/plans/held_form.html", _("登记举办情况")
    )


@role_required(*PLAN_KEEPERS)
def activity_cancel(request, pk):
    activity = selectors.managed_activity(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activities.cancel_activity(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("计划活动已取消"))
            return redirect("programme:plan_manage", pk=activity.plan_id)
    return _progress_page(
        request, activity, form, "programme/plans/cancel_form.html", _("取消活动")
    )


@require_POST
@role_required(*PLAN_KEEPERS)
def activity_delete(request, pk):
    activity = selectors.managed_activity(request.user, pk)
    _move(request, activities.delete_activity, _("计划活动已删除"), activity=activity)
    return redirect("programme:plan_manage", pk=activity.plan_id)
