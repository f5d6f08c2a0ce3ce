"""Assigning surveys to a firm, and the buttons of the sample section (draw, check, release
reserve, export). The section itself is drawn by `templatetags/fieldwork_sampling.py`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.applications.models import Application
from manyi.common.forms import add_validation_errors
from manyi.common.listing import paginate
from manyi.common.punctuation import join_words, semicolon
from manyi.fieldwork.access import OPEN_ASSIGNMENTS, READERS
from manyi.fieldwork.filters import AssignFilter
from manyi.fieldwork.sampling import selectors, services
from manyi.fieldwork.sampling.forms import AssignForm
from manyi.fieldwork.selectors import survey_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_POSITIONS = 10


def _sample_url(survey) -> str:
    return reverse("fieldwork:survey_detail", args=[survey.pk]) + "#sample"


def _say_errors(request, exc: ValidationError) -> None:
    messages.error(request, semicolon().join(exc.messages))


@role_required(Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
def assign(request):
    """Recommended applications of a campaign still without a firm; tick, choose, assign."""
    if not OPEN_ASSIGNMENTS.allows(request.user, None):
        raise PermissionDenied
    campaigns = selectors.campaigns()
    chosen = request.GET.get("campaign", "")
    campaign = next((c for c in campaigns if str(c.pk) == chosen), None)
    campaign = campaign or selectors.default_campaign(campaigns)
    form = AssignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys = services.assign_surveys(
                applications=selectors.applications_by_ids(form.cleaned_data["applications"]),
                by=request.user,
                **form.commission(),
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            count = len(surveys)
            messages.success(
                request,
                ngettext("已委托 %(n)d 项调查", "已委托 %(n)d 项调查", count) % {"n": count},
            )
            if count == 1:
                return redirect("fieldwork:survey_detail", pk=surveys[0].pk)
            return redirect(
                reverse("fieldwork:survey_list") + f"?campaign={surveys[0].campaign_id}"
            )
    rows = selectors.assignable(campaign=campaign) if campaign else Application.objects.none()
    listing = paginate(request, rows, AssignFilter, campaigns=campaigns, campaign=campaign)
    ticked = set(form.cleaned_data.get("applications") or []) if form.is_bound else set()
    return render(
        request,
        "fieldwork/sampling/assign.html",
        {
            **listing.context(),
            "form": form,
            "campaign": campaign,
            "published": selectors.published_categories(),
            "ticked": ticked,
        },
    )


@require_POST
@role_required(*READERS)
def draw_sample(request, pk):
    survey = survey_for(request.user, pk)
    try:
        services.draw_sample(survey=survey, by=request.user)
    except ValidationError as exc:
        _say_errors(request, exc)
    else:
        messages.success(
            request,
            _("已抽取样本 %(sample)d 个、备用样本 %(reserve)d 个（随机种子 %(seed)s）")
            % {"sample": survey.sample_size, "reserve": survey.reserve_size, "seed": survey.seed},
        )
    return redirect(_sample_url(survey))


@require_POST
@role_required(*READERS)
def check_draw(request, pk):
    survey = survey_for(request.user, pk)
    try:
        result = services.check_draw(survey=survey, by=request.user)
    except ValidationError as exc:
        _say_errors(request, exc)
        return redirect(_sample_url(survey))
    if result.same:
        messages.success(
            request,
            _("复核通过：按保存的随机种子和名单重新抽样，结果与保存的 %(n)d 个样本完全一致")
            % {"n": result.stored},
        )
    else:
        positions = join_words(result.differing[:SHOWN_POSITIONS])
        more = "…" if len(result.differing) > SHOWN_POSITIONS else ""
        messages.error(
            request,
            _("复核未通过：重新抽样的结果有 %(count)d 处与保存的样本不同（抽样顺序 %(positions)s）")
            % {"count": len(result.differing), "positions": positions + more},
        )
    if not result.hash_matches:
        messages.warning(request, _("名单指纹与抽样时不一致：抽样后用户名单的内容有变化"))
    return redirect(_sample_url(survey))


@require_POST
@role_required(*READERS)
def release_reserve(request, pk):
    survey = survey_for(request.user, pk)
    try:
        count = services.release_reserve(
            survey=survey, by=request.user, count=request.POST.get("count")
        )
    except ValidationError as exc:
        _say_errors(request, exc)
    else:
        messages.success(request, _("已启用备用样本 %(n)d 个") % {"n": count})
    return redirect(_sample_url(survey))


@require_safe
@role_required(Role.SURVEY_MANAGER)
def export_sample(request, pk):
    survey = survey_for(request.user, pk)
    try:
        data = services.export_sample(survey=survey, by=request.user)
    except ValidationError as exc:
        _say_errors(request, exc)
        return redirect(_sample_url(survey))
    response = HttpResponse(data, content_type=XLSX)
    filename = _("调查样本-%(name)s.xlsx") % {"name": survey.application.organisation.name}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
