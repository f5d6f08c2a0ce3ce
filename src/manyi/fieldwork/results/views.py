"""Closing the fieldwork, releasing the result, the run's status while it computes, and the
exports of the responses. Thin: the services check and change, these translate HTTP."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.fieldwork import selectors
from manyi.fieldwork.access import EXPORT_RESPONSES, READERS, VIEW_RESULT
from manyi.fieldwork.results import exports, services


def _to_result(survey):
    return redirect(reverse("fieldwork:survey_detail", args=[survey.pk]) + "#result")


def _act(request, pk, service, done: str):
    """Run a closing or releasing service on the survey and tell the person how it went."""
    survey = selectors.survey_for(request.user, pk)
    try:
        service(survey=survey, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _to_result(survey)


@require_POST
@role_required(*READERS)
def close_fieldwork(request, pk):
    return _act(
        request, pk, services.close_fieldwork, _("调查已结束：调查数据已保存，满意度指数正在计算")
    )


@require_POST
@role_required(*READERS)
def release_result(request, pk):
    return _act(request, pk, services.release_result, _("调查结果已发布，已通知申报单位"))


@require_GET
@role_required(*READERS)
def result_status(request, pk):
    """Polled by htmx while the run computes; tells the page to reload once it is finished."""
    survey = selectors.survey_for(request.user, pk)
    if not VIEW_RESULT.allows(request.user, survey):
        raise PermissionDenied
    run = survey.run
    response = render(request, "fieldwork/_result_run_status.html", {"survey": survey, "run": run})
    if run is not None and run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_GET
@role_required(*READERS)
def export_responses(request, pk):
    survey = selectors.survey_for(request.user, pk)
    if not EXPORT_RESPONSES.allows(request.user, survey):
        raise PermissionDenied
    file_format = request.GET.get("format", "csv")
    if file_format not in exports.FORMATS:
        messages.error(request, _("不支持该导出格式，请选择 CSV、Excel 或 SPSS"))
        return _to_result(survey)
    export = exports.export_responses(survey=survey, by=request.user, file_format=file_format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
