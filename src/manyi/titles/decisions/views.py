"""The committee's decision pages: the overview of campaigns × categories, a category's
ranking with the proposals, and the POST actions (propose, confirm, return, release).
Thin: the services check and change, these translate HTTP."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF
from manyi.common.forms import tell_refusal
from manyi.titles.access import CONFIRM, GRANT, PROPOSE, RELEASE, RETURN_DECISION
from manyi.titles.decisions import selectors, services
from manyi.titles.decisions.forms import ProposeForm, ReturnForm
from manyi.titles.models import Proposal


def _category_url(application, anchor: str = "") -> str:
    url = reverse(
        "titles:decision_category",
        kwargs={"year": application.campaign.year, "category": application.category},
    )
    return f"{url}#{anchor}" if anchor else url


@role_required(*PROGRAMME_STAFF)
def decision_index(request):
    return render(
        request, "titles/decisions/index.html", {"overview": selectors.overview(request.user)}
    )


@role_required(*PROGRAMME_STAFF)
def decision_category(request, year, category):
    campaign_category = selectors.campaign_category(request.user, year, category)
    user = request.user
    rows = selectors.ranking(campaign_category)
    for row in rows:
        decision = row.decision
        row.can_propose = PROPOSE.allows(user, row.application)
        row.can_confirm = decision is not None and CONFIRM.allows(user, decision)
        row.can_return = decision is not None and RETURN_DECISION.allows(user, decision)
    state = selectors.category_state(campaign_category)
    release, publicity = state["release"], state["publicity"]
    problems = [] if release else selectors.release_problems(campaign_category)
    return render(
        request,
        "titles/decisions/category.html",
        {
            "campaign_category": campaign_category,
            "campaign": campaign_category.campaign,
            "rows": rows,
            "release": release,
            "problems": problems,
            "can_release": release is None
            and not problems
            and RELEASE.allows(user, campaign_category),
            "sees_release": RELEASE.allows(user, campaign_category),
            "publicity": publicity,
            "announcement": state["announcement"],
            "can_grant": publicity is not None and GRANT.allows(user, publicity),
            "proposals": Proposal.choices,
            "propose_form": ProposeForm(),
            "return_form": ReturnForm(),
        },
    )


@require_POST
@role_required(*PROGRAMME_STAFF)
def decision_propose(request, pk):
    application = selectors.application_to_decide(request.user, pk)
    try:
        services.propose_decision(
            application=application,
            by=request.user,
            proposal=request.POST.get("proposal", ""),
            reasons=request.POST.get("reasons", ""),
            benchmark=bool(request.POST.get("benchmark")),
            override=bool(request.POST.get("override")),
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("评定意见已保存，待协会确认"))
    return redirect(_category_url(application, f"a-{application.pk}"))


@require_POST
@role_required(*PROGRAMME_STAFF)
def decision_confirm(request, pk):
    decision = selectors.decision_for(request.user, pk)
    try:
        services.confirm_decision(decision=decision, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("评定意见已确认"))
    return redirect(_category_url(decision.application, f"a-{decision.application_id}"))


@require_POST
@role_required(*PROGRAMME_STAFF)
def decision_return(request, pk):
    decision = selectors.decision_for(request.user, pk)
    try:
        services.return_decision(decision=decision, by=request.user, note=request.POST.get("note"))
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("评定意见已退回用户委员会重新提出"))
    return redirect(_category_url(decision.application, f"a-{decision.application_id}"))


@require_POST
@role_required(*PROGRAMME_STAFF)
def decision_release(request, year, category):
    campaign_category = selectors.campaign_category(request.user, year, category)
    try:
        services.release_decisions(
            campaign=campaign_category.campaign, category=category, by=request.user
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("评定结果已发布：拟授予名单进入公示，已通知各申报单位"))
    return redirect(
        reverse("titles:decision_category", kwargs={"year": year, "category": category})
    )
