"""Measurement pages. The engine (numpy, scipy) is imported only by the views that compute,
so loading the URL configuration — every web and worker process does — stays light."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.access import has_role
from manyi.accounts.decorators import role_required
from manyi.common.jobs import JobKind, job_for
from manyi.common.jobs.sweeper import recover_if_stalled
from manyi.common.listing import paginate
from manyi.common.pagecache import kept_for_reader
from manyi.surveys import exports, selectors
from manyi.surveys.access import MEASURERS, READERS, may_compute
from manyi.surveys.datasets import DatasetRejected
from manyi.surveys.filters import DatasetFilter, RunFilter
from manyi.surveys.report import build_report, chart_data

# The large stored values a list never shows.
DATASET_BULK = ("columns", "numeric_columns", "group_labels", "dictionary", "binary_columns")
RUN_BULK = ("model_spec", "options", "column_map", "result", "bootstrap_result")


@role_required(*READERS)
@kept_for_reader
def dataset_list(request):
    """The data sets, a page at a time; the runs have their own page (``run_list``), so each
    list keeps its own filters and page in its URL."""
    # The list shows none of a data set's stored columns, labels or dictionary: left unread.
    datasets = selectors.datasets(request.user).defer(*DATASET_BULK).order_by("-uploaded_at", "-pk")
    listing = paginate(request, datasets, DatasetFilter)
    return render(
        request,
        "surveys/dataset_list.html",
        {**listing.context(), "can_upload": has_role(request.user, *MEASURERS)},
    )


@role_required(*READERS)
@kept_for_reader
def run_list(request):
    runs = selectors.runs(request.user).defer(*RUN_BULK).order_by("-created_at", "-pk")
    listing = paginate(request, runs, RunFilter)
    return render(
        request,
        "surveys/run_list.html",
        {**listing.context(), "can_upload": has_role(request.user, *MEASURERS)},
    )


@role_required(*MEASURERS)
def dataset_upload(request):
    from manyi.surveys import services
    from manyi.surveys.forms import DatasetUploadForm, preset_variables

    form = DatasetUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "presets": preset_variables()}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dataset = services.upload_dataset(
                by=request.user,
                upload=data["data_file"],
                title=data["title"],
                scope=data["scope"],
                industry=data["industry"],
                survey_year=data["survey_year"],
                scale_min=data["scale_min"],
                scale_max=data["scale_max"],
                group_column=data["group_column"].strip(),
                dictionary_upload=data.get("dictionary_file"),
                sample=form.sample(),
            )
        except DatasetRejected as exc:
            context["problems"] = exc.messages
            return render(request, "surveys/dataset_upload.html", context, status=400)
        messages.success(request, _("数据已通过检查并保存：%(n)d 份样本") % {"n": dataset.n_rows})
        earlier = selectors.same_data(request.user, dataset).first()
        if earlier is not None:
            messages.warning(
                request,
                _("该文件与已上传的数据集“%(title)s”完全相同（SHA-256 一致），请勿重复上传。")
                % {"title": earlier.title},
            )
        return redirect("surveys:dataset_detail", pk=dataset.pk)
    return render(request, "surveys/dataset_upload.html", context)


def _dataset_page(request, dataset, form=None, *, status=200):
    from manyi.surveys.forms import ModelChoiceForm

    return render(
        request,
        "surveys/dataset_detail.html",
        {
            "dataset": dataset,
            "form": form or ModelChoiceForm(),
            "runs": dataset.runs.select_related("created_by"),
            "can_run": may_compute(request.user, dataset),
            "same_data": selectors.same_data(request.user, dataset),
        },
        status=status,
    )


@role_required(*READERS)
def dataset_detail(request, pk):
    dataset = selectors.dataset_for(request.user, pk)
    if request.method == "POST":
        # The model chosen here (a form posted before the mapping screen existed, too).
        if not may_compute(request.user, dataset):
            raise PermissionDenied
        return _mapping_page(request, dataset)
    return _dataset_page(request, dataset)


@role_required(*MEASURERS)
def dataset_mapping(request, pk):
    """Choose a model on the data set's page, then map its indicators to the file's columns
    here (auto-matched, editable) and start the run with its settings on the same page."""
    dataset = selectors.dataset_for(request.user, pk)
    if not may_compute(request.user, dataset):
        raise PermissionDenied
    return _mapping_page(request, dataset)


def _mapping_page(request, dataset):
    from manyi.surveys import services
    from manyi.surveys.forms import ModelChoiceForm, RunForm
    from manyi.surveys.mapping import auto_match

    chosen = ModelChoiceForm(request.POST if request.method == "POST" else request.GET)
    if not chosen.is_valid():
        # A stale or forged model (or a custom JSON that does not parse): said on the data
        # set's page, where the model is chosen.
        return _dataset_page(request, dataset, chosen)
    spec = chosen.cleaned_data["model_spec"]
    model_name = chosen.cleaned_data["model_choice"]
    starting = request.method == "POST" and request.POST.get("step") == "run"
    proposed = auto_match(spec, dataset)
    form = RunForm(
        request.POST if starting else None,
        dataset=dataset,
        spec=spec,
        initial_map=proposed,
        initial={
            "title": dataset.title,
            "model_choice": model_name,
            "custom_model": chosen.cleaned_data.get("custom_model", ""),
        },
    )
    if starting and form.is_valid():
        try:
            run = services.request_run(
                by=request.user,
                dataset=dataset,
                title=form.cleaned_data["title"],
                model_name=model_name,
                model_spec=spec,
                options=form.options(),
                seed=form.cleaned_data["seed"],
                column_map=form.column_map(),
                complaint_column=form.cleaned_data["complaint_column"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已提交计算"))
            return redirect("surveys:run_detail", pk=run.pk)
    return render(
        request,
        "surveys/mapping.html",
        {
            "dataset": dataset,
            "form": form,
            "model_name": model_name,
            "unmatched": [
                field.label for ind, field in form.column_fields() if ind not in proposed
            ],
        },
        status=400 if starting else 200,
    )


@role_required(*READERS)
def run_detail(request, pk):
    run = selectors.run_for(request.user, pk)
    context = {"run": run, "can_rerun": may_compute(request.user, run.dataset)}
    if run.status == "done":
        report = build_report(run, user=request.user)
        context |= {"report": report, "charts": chart_data(report)}
    return render(request, "surveys/run_detail.html", context)


@role_required(*READERS)
def run_status(request, pk):
    """Polled by htmx while a run is computing; tells the page to reload when it is finished.

    A run whose worker died is requeued (or failed with its message) at once, not at the next
    sweep: the person watching is the first to notice.
    """
    run = selectors.run_for(request.user, pk)
    job = None
    if not run.is_finished:
        job = job_for(JobKind.MEASUREMENT_RUN, run.pk)
        if recover_if_stalled(job):
            run.refresh_from_db()
            job.refresh_from_db()
    response = render(request, "surveys/_run_status.html", {"run": run, "job": job})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@role_required(*READERS)
def run_pdf(request, pk):
    run = selectors.run_for(request.user, pk)
    if run.status != "done":
        messages.info(request, _("计算完成后才能下载报告"))
        return redirect("surveys:run_detail", pk=run.pk)
    pdf = exports.export_report_pdf(run=run, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="measurement-{run.pk}.pdf"'
    return response


@role_required(*READERS)
def run_json(request, pk):
    """The stored result with everything needed to recompute it."""
    run = selectors.run_for(request.user, pk)
    payload = exports.export_run_json(run=run, by=request.user)
    response = HttpResponse(payload, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="measurement-{run.pk}.json"'
    return response


@require_POST
@role_required(*MEASURERS)
def run_rerun(request, pk):
    run = selectors.run_for(request.user, pk)
    if not may_compute(request.user, run.dataset):
        raise PermissionDenied
    from manyi.surveys import services

    new = services.rerun(run=run, by=request.user)
    messages.success(request, _("已用相同的数据、模型、设置和随机种子重新计算"))
    return redirect("surveys:run_detail", pk=new.pk)
