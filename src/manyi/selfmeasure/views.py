"""The enterprise's own measurement: its hub, its own surveys and sharing a measurement.

Enterprise users only; selectors scope every object to the user's enterprise (another
enterprise's is a 404). Thin: the services check and change, these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.access import organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.fieldwork.quality import flag_words
from manyi.selfmeasure import chart, progress, selectors, services
from manyi.selfmeasure.access import survey_flags
from manyi.selfmeasure.filters import FlaggedResponseFilter
from manyi.selfmeasure.forms import OwnSurveyForm, ReopenForm
from manyi.selfmeasure.qr import link_qr_png, link_qr_svg

PER_PAGE = 10
RESPONSES_PER_PAGE = 25
# The index over time shows the latest measurements only (each carries its whole result).
SERIES_LIMIT = 20
ENTERPRISE = (Role.ENTERPRISE_USER,)


def _page(request, queryset, param: str, per_page: int = PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def _series(runs) -> list[dict]:
    rows = []
    for run in runs:
        target = progress.target_of(run)
        entry = ((run.bootstrap_result or {}).get("index") or {}).get(target) or {}
        dataset = run.dataset
        when = dataset.period_end or dataset.period_start
        rows.append(
            {
                "run": run,
                "label": f"{when:%Y-%m}" if when else str(dataset.survey_year),
                "value": progress.target_index(run),
                "interval": entry.get("percentile"),
                "n": (run.result or {}).get("n"),
            }
        )
    return rows


@role_required(*ENTERPRISE)
def index(request):
    """我的测评: the index over time, own surveys, uploaded data, measurements and plans."""
    series = _series(selectors.done_runs_over_time(request.user, SERIES_LIMIT))
    own_datasets = selectors.own_datasets(request.user).order_by("-uploaded_at", "-pk")
    return render(
        request,
        "selfmeasure/index.html",
        {
            "series": series,
            "chart": chart.index_chart(series),
            "surveys": _page(
                request, selectors.own_surveys(request.user).order_by("-created_at"), "surveys"
            ),
            "datasets": _page(request, own_datasets, "datasets"),
            "runs": _page(request, selectors.own_runs(request.user), "runs"),
            "plans": _page(request, selectors.plans(request.user).order_by("-created_at"), "plans"),
        },
    )


@role_required(*ENTERPRISE)
def survey_create(request):
    organisation = organisations_for(request.user, Role.ENTERPRISE_USER)[0]
    form = OwnSurveyForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_own_survey(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("自主调查已创建，可以发送链接或张贴二维码了"))
            return redirect("selfmeasure:survey_detail", pk=survey.pk)
    return render(request, "selfmeasure/survey_form.html", {"form": form})


def _link(request, survey) -> str:
    return request.build_absolute_uri(reverse("selfmeasure_public:answer", args=[survey.token]))


@role_required(*ENTERPRISE)
def survey_detail(request, pk):
    survey = selectors.survey_for(request.user, pk)
    link = _link(request, survey)
    counts = selectors.response_counts(survey)
    listing = paginate(
        request,
        selectors.responses_of(survey, flagged=True),
        FlaggedResponseFilter,
        per_page=RESPONSES_PER_PAGE,
    )
    for response in listing.page:
        response.survey = survey
        response.flag_words = flag_words(response.flags)
    target = survey.target_responses or 1
    return render(
        request,
        "selfmeasure/survey_detail.html",
        {
            "survey": survey,
            **survey_flags(request.user, survey),
            "link": link,
            "qr": link_qr_svg(link),
            "flagged_count": counts["flagged"],
            "excluded_count": counts["excluded"],
            "progress": min(100, round(100 * survey.usable_count / target)),
            **listing.context(),
            "reopen_form": ReopenForm(),
            "min_responses": services.MIN_RESPONSES,
        },
    )


@require_GET
@role_required(*ENTERPRISE)
def survey_qr(request, pk):
    """The collection link's QR code as a PNG to print (counters, receipts, posters)."""
    survey = selectors.survey_for(request.user, pk)
    response = HttpResponse(link_qr_png(_link(request, survey)), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="own-survey-{survey.pk}-qr.png"'
    return response


def _to_survey(survey):
    return redirect("selfmeasure:survey_detail", pk=survey.pk)


@require_POST
@role_required(*ENTERPRISE)
def survey_close(request, pk):
    survey = selectors.survey_for(request.user, pk)
    try:
        services.close_own_survey(survey=survey, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("调查已结束，正在计算满意度指数"))
    return _to_survey(survey)


@require_POST
@role_required(*ENTERPRISE)
def survey_reopen(request, pk):
    survey = selectors.survey_for(request.user, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_survey(survey)
    try:
        services.reopen_own_survey(
            survey=survey, by=request.user, closes_on=form.cleaned_data["closes_on"]
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("调查已重新开放，原链接和二维码继续有效"))
    return _to_survey(survey)


def _judge(request, pk, response_pk, service, done: str):
    survey = selectors.survey_for(request.user, pk)
    response = selectors.response_for(survey, response_pk)
    try:
        service(response=response, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, done)
    return _to_survey(survey)


@require_POST
@role_required(*ENTERPRISE)
def response_exclude(request, pk, response_pk):
    return _judge(request, pk, response_pk, services.exclude_response, _("已剔除该回答"))


@require_POST
@role_required(*ENTERPRISE)
def response_restore(request, pk, response_pk):
    return _judge(request, pk, response_pk, services.restore_response, _("已恢复该回答"))


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@require_POST
@role_required(*ENTERPRISE)
def dataset_share(request, pk):
    dataset = selectors.own_dataset_for(request.user, pk)
    try:
        services.share_measurement(dataset=dataset, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已共享：推进机构和测评项目工作人员现在可以查看这份测评"))
    return _back(request, reverse("selfmeasure:index"))


@require_POST
@role_required(*ENTERPRISE)
def dataset_unshare(request, pk):
    dataset = selectors.own_dataset_for(request.user, pk)
    try:
        services.unshare_measurement(dataset=dataset, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已取消共享：这份测评现在只有本企业可以查看"))
    return _back(request, reverse("selfmeasure:index"))
