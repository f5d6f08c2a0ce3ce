"""Improvement plans: made from one of the enterprise's own measurements, the actions it
derives from the importance–performance map, and whether the next measurement moved the
targeted drivers. Enterprise users only; a plan is never shown to anyone else (404).

A plan answering a diagnosis (Art. 15) has the same page, with the report's recommendations in
place of the map: each action names the recommendation it answers. The diagnosing agency and
group read its progress on the diagnosis's own page, not here.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.forms import BootstrapMixin, add_validation_errors, tell_refusal
from manyi.common.punctuation import bracketed
from manyi.diagnostics.models import Priority
from manyi.selfmeasure import plans, progress, selectors
from manyi.selfmeasure.access import action_flags
from manyi.selfmeasure.forms import DATE, ActionForm, DoneForm
from manyi.surveys.words import run_labels

ENTERPRISE = (Role.ENTERPRISE_USER,)


class RecommendationActionForm(BootstrapMixin, forms.Form):
    """An action of a plan answering a diagnosis: it names the report's recommendation it
    answers (kept here beside the one page that uses it; the services check the rest)."""

    driver = forms.ChoiceField(label=_("针对的改进建议"))
    description = forms.CharField(
        label=_("改进措施"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    owner = forms.CharField(label=_("负责部门或负责人"), max_length=100)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)

    def __init__(self, *args, recommendations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].choices = [
            (r["key"], recommendation_words(r)) for r in recommendations
        ]


def recommendation_words(recommendation: dict, length: int = 40) -> str:
    """ "R2（高）缩短…": a recommendation in a choice list."""
    text = recommendation["text"]
    short = text if len(text) <= length else text[: length - 1] + "…"
    priority = Priority(recommendation["priority"]).label
    return f"{recommendation['key']}{bracketed(priority)} {short}"


def _action_form(plan, data=None, *, initial=None):
    if plan.diagnosis_id is not None:
        return RecommendationActionForm(
            data, recommendations=plans.recommendations_of(plan), initial=initial
        )
    return ActionForm(data, run=plan.run, labels=run_labels(plan.run), initial=initial)


@require_POST
@role_required(*ENTERPRISE)
def plan_create(request, pk):
    run = selectors.own_run_for(request.user, pk)
    try:
        plan = plans.create_plan(run=run, by=request.user, title=request.POST.get("title", ""))
    except ValidationError as exc:
        tell_refusal(request, exc)
        return redirect("surveys:run_detail", pk=run.pk)
    messages.success(request, _("改进计划已创建，请根据重要性–表现分析添加改进措施"))
    return redirect("selfmeasure:plan_detail", pk=plan.pk)


def _proposals(plan, labels, targeted) -> dict:
    found = progress.proposals(plan.run)
    for row in (*found["constructs"], *found["indicators"]):
        name = row.get("indicator") or row["lv"]
        row["name"] = labels.get(name, row.get("label") or name)
        row["driver_name"] = labels.get(row["lv"], row["lv"])
        row["targeted"] = (row["lv"], row.get("indicator", "")) in targeted
    return found


def _diagnosis_plan_page(request, plan, form=None, *, status=200):
    """The page of a plan answering a diagnosis: its actions, each beside the recommendation it
    answers, and the report's recommendations with how many actions answer each."""
    recommendations = plans.recommendations_of(plan)
    by_key = {r["key"]: r for r in recommendations}
    actions = list(plan.actions.select_related("done_by"))
    today = timezone.localdate()
    for action in actions:
        action.plan = plan
        action.flags = action_flags(request.user, action)
        action.overdue = plans.is_overdue(action, today)
        action.recommendation = by_key.get(action.driver)
        action.driver_name = action.driver
    rows = []
    for r in recommendations:
        answering = [a for a in actions if a.driver == r["key"]]
        rows.append(
            {
                **r,
                "priority_label": Priority(r["priority"]).label,
                "actions": len(answering),
                "done": sum(1 for a in answering if a.is_done),
            }
        )
    return render(
        request,
        "selfmeasure/plan_detail.html",
        {
            "plan": plan,
            "diagnosis": plan.diagnosis,
            "actions": actions,
            "overdue_count": sum(1 for a in actions if a.overdue),
            "recommendations": rows,
            "form": form or _action_form(plan, initial={"driver": request.GET.get("driver", "")}),
            "done_form": DoneForm(),
        },
        status=status,
    )


def _plan_page(request, plan, form=None, *, status=200):
    if plan.diagnosis_id is not None:
        return _diagnosis_plan_page(request, plan, form, status=status)
    labels = run_labels(plan.run)
    actions = list(plan.actions.select_related("done_by"))
    today = timezone.localdate()
    for action in actions:
        action.plan = plan
        action.flags = action_flags(request.user, action)
        action.overdue = plans.is_overdue(action, today)
        action.driver_name = labels.get(action.driver, action.driver)
        action.indicator_name = labels.get(action.indicator, action.indicator)
    targeted = {(a.driver, a.indicator) for a in actions}
    next_run = selectors.next_run(plan)
    changes = progress.driver_changes(plan.run, next_run, [a.driver for a in actions])
    for change in changes:
        change.name = labels.get(change.lv, change.lv)
    initial = {
        "driver": request.GET.get("driver", ""),
        "indicator": request.GET.get("indicator", ""),
    }
    return render(
        request,
        "selfmeasure/plan_detail.html",
        {
            "plan": plan,
            "actions": actions,
            "overdue_count": sum(1 for a in actions if a.overdue),
            "proposals": _proposals(plan, labels, targeted),
            "target_name": labels.get(plan.target_lv, plan.target_lv),
            "target_index": progress.target_index(plan.run),
            "next_run": next_run,
            "next_target_index": progress.target_index(next_run) if next_run else None,
            "changes": changes,
            "form": form or ActionForm(run=plan.run, labels=labels, initial=initial),
            "done_form": DoneForm(),
        },
        status=status,
    )


@role_required(*ENTERPRISE)
def plan_detail(request, pk):
    return _plan_page(request, selectors.plan_for(request.user, pk))


@require_POST
@role_required(*ENTERPRISE)
def action_add(request, pk):
    plan = selectors.plan_for(request.user, pk)
    form = _action_form(plan, request.POST)
    if form.is_valid():
        try:
            plans.add_action(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("改进措施已添加"))
            return redirect("selfmeasure:plan_detail", pk=plan.pk)
    return _plan_page(request, plan, form, status=400)


@role_required(*ENTERPRISE)
def action_edit(request, pk, action_pk):
    plan = selectors.plan_for(request.user, pk)
    action = selectors.action_for(plan, action_pk)
    initial = {
        f: getattr(action, f) for f in ("driver", "indicator", "description", "owner", "due_on")
    }
    form = _action_form(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_action(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("改进措施已修改"))
            return redirect("selfmeasure:plan_detail", pk=plan.pk)
    return render(
        request,
        "selfmeasure/action_form.html",
        {"plan": plan, "action": action, "form": form, **action_flags(request.user, action)},
    )


def _act(request, pk, action_pk, service, done: str, **extra):
    plan = selectors.plan_for(request.user, pk)
    action = selectors.action_for(plan, action_pk)
    try:
        service(action=action, by=request.user, **extra)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, done)
    return redirect("selfmeasure:plan_detail", pk=plan.pk)


@require_POST
@role_required(*ENTERPRISE)
def action_done(request, pk, action_pk):
    form = DoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else request.POST.get("note", "")
    return _act(request, pk, action_pk, plans.complete_action, _("已标记为完成"), note=note)


@require_POST
@role_required(*ENTERPRISE)
def action_reopen(request, pk, action_pk):
    return _act(request, pk, action_pk, plans.reopen_action, _("已重新打开"))


@require_POST
@role_required(*ENTERPRISE)
def action_delete(request, pk, action_pk):
    return _act(request, pk, action_pk, plans.delete_action, _("改进措施已删除"))
