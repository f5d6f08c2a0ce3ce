"""Yearly training plans (Art. 18): the list, a plan with planned against done, and the
enterprise's form. Its agencies (confirmed members) and programme staff read them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.listing import paginate
from manyi.training import access, plans, selectors
from manyi.training.filters import PlanFilter
from manyi.training.forms import PlanForm, PlanItemFormSet
from manyi.training.models import TrainingPlan
from manyi.training.views import ENTERPRISE, READERS, crumbs


def _plans_crumbs(*trail):
    return crumbs((_("年度培训计划"), reverse("training:plan_list")), *trail)


@role_required(*READERS)
def plan_list(request):
    user = request.user
    qs = selectors.plans_for(user).order_by("-year", "organisation__name", "pk")
    listing = paginate(request, qs, PlanFilter)
    this_year = timezone.localdate().year
    return render(
        request,
        "training/plan_list.html",
        {
            **listing.context(),
            "enterprise": access.is_enterprise(user),
            "plan_years": [this_year, this_year + 1],
            "breadcrumbs": crumbs((_("年度培训计划"), "")),
        },
    )


@role_required(*READERS)
def plan_detail(request, pk):
    plan = selectors.plan_for(request.user, pk)
    return render(
        request,
        "training/plan_detail.html",
        {
            "plan": plan,
            "items": list(plan.items.all()),
            "progress": selectors.plan_progress(plan),
            "can_edit": access.SAVE_PLAN.allows(request.user, plan.organisation),
            "breadcrumbs": _plans_crumbs(
                (_("%(year)d年度") % {"year": plan.year} + " · " + plan.organisation.name, "")
            ),
        },
    )


def _items(formset) -> list[dict]:
    """The rows kept: every saved item not ticked for deletion, and the blank rows filled in."""
    items = []
    for index, form in enumerate(formset.forms):
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        if index >= formset.initial_form_count() and not form.has_changed():
            continue
        items.append({key: form.cleaned_data[key] for key in plans.ITEM_FIELDS})
    return items


@role_required(*ENTERPRISE)
def plan_edit(request, year):
    """The enterprise's plan for `year`, created on first save."""
    if not 2000 <= year <= 2100:
        raise Http404
    organisation = organisations_for(request.user, Role.ENTERPRISE_USER)[0]
    plan = TrainingPlan.objects.filter(organisation=organisation, year=year).first()
    initial_items = [
        {key: getattr(item, key) for key in plans.ITEM_FIELDS}
        for item in (plan.items.all() if plan else [])
    ]
    data = request.POST or None
    form = PlanForm(data, initial={"aims": plan.aims if plan else ""})
    formset = PlanItemFormSet(data, initial=initial_items, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = plans.save_plan(
                by=request.user,
                organisation=organisation,
                year=year,
                aims=form.cleaned_data["aims"],
                items=_items(formset),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(year)d年度培训计划已保存") % {"year": year})
            return redirect("training:plan_detail", pk=saved.pk)
    return render(
        request,
        "training/plan_form.html",
        {
            "form": form,
            "formset": formset,
            "year": year,
            "plan": plan,
            "breadcrumbs": _plans_crumbs((_("%(year)d年度") % {"year": year}, "")),
        },
    )
