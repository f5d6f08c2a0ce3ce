from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications import selectors, services
from manyi.applications.forms import AttachmentForm, MaterialsForm, RecommendationForm, SealForm
from manyi.applications.models import AgencySeal
from manyi.applications.states import EDITABLE, Status
from manyi.campaigns.categories import FORMS as CATEGORY_FORMS
from manyi.campaigns.categories import Category
from manyi.campaigns.selectors import campaign_categories, current_campaign, is_open_for
from manyi.common.access import role_required
from manyi.common.files import private_path
from manyi.common.services import log_activity

APPLICANT = (Role.ENTERPRISE_USER,)
READERS = (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@role_required(*READERS)
def application_list(request):
    campaign = current_campaign()
    own = organisations_for(request.user, Role.ENTERPRISE_USER)
    startable = []
    if campaign is not None and own:
        taken = set(
            selectors.applications(request.user)
            .filter(campaign=campaign, organisation=own[0])
            .values_list("category", flat=True)
        )
        startable = [
            cc
            for cc in campaign_categories(campaign, open_only=True)
            if cc.category not in taken and is_open_for(campaign, own[0], cc.category)
        ]
    return render(
        request,
        "applications/list.html",
        {
            "campaign": campaign,
            "applications": selectors.applications(request.user).order_by(
                "-campaign__year", "category"
            )[:300],
            "startable": startable,
            "forms": CATEGORY_FORMS,
            "is_applicant": bool(own),
            "can_export": has_role(request.user, *PROGRAMME_STAFF),
            "queue_count": selectors.agency_queue(request.user).count()
            if has_role(request.user, Role.AGENCY_STAFF)
            else 0,
        },
    )


@require_POST
@role_required(*APPLICANT)
def start(request):
    campaign = current_campaign()
    own = organisations_for(request.user, Role.ENTERPRISE_USER)
    category = request.POST.get("category", "")
    if campaign is None or not own or category not in Category.values:
        raise Http404
    try:
        application = services.start_application(
            by=request.user, organisation=own[0], campaign=campaign, category=category
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:list")
    messages.success(request, _("已创建申报草稿，可随时保存，提交前请补齐各部分"))
    return redirect("applications:detail", pk=application.pk)


@role_required(*READERS)
def detail(request, pk):
    application = selectors.application_for(request.user, pk)
    is_applicant = application.organisation in organisations_for(request.user, Role.ENTERPRISE_USER)
    agency_ids = {o.pk for o in organisations_for(request.user, Role.AGENCY_STAFF)}
    context = {
        "application": application,
        "form_info": CATEGORY_FORMS[application.category],
        "is_applicant": is_applicant,
        "can_edit": is_applicant and application.status in EDITABLE,
        "can_recommend": application.status == Status.SUBMITTED
        and application.agency_id in agency_ids,
        "recommendations": application.recommendations.select_related("agency"),
        "attachments": application.attachments.all(),
        "current_list": application.customer_lists.filter(is_current=True).first(),
        "confirmation": application.campaign.confirmations.filter(
            organisation=application.organisation
        ).first(),
        "appraisal": getattr(application, "client_appraisal", None),
    }
    if context["can_edit"]:
        from manyi.applications.checks import submission_problems

        context["problems"] = submission_problems(application)
    return render(request, "applications/detail.html", context)


def _editable_or_redirect(request, application):
    if application.status not in EDITABLE:
        messages.info(request, _("申报已提交，不能修改"))
        return redirect("applications:detail", pk=application.pk)
    return None


@role_required(*APPLICANT)
def edit_form(request, pk):
    from manyi.applications.form_builder import build_form_class
    from manyi.applications.form_specs import form_spec

    application = selectors.own_application_for(request.user, pk)
    if (response := _editable_or_redirect(request, application)) is not None:
        return response
    spec = form_spec(application.category)
    chosen = (
        request.POST.getlist("chosen_trades")
        if request.method == "POST"
        else application.chosen_trades
    )
    form_class = build_form_class(
        spec, chosen_trades=set(chosen), data_year=_data_year(application)
    )
    if request.method == "POST" and request.POST.get("refresh"):
        # Only the choice of sections changed: show them again with what was typed, unsaved.
        form = form_class(
            initial=request.POST.dict(), organisation_name=application.organisation.name
        )
    elif request.method == "POST":
        form = form_class(
            request.POST, organisation_name=application.organisation.name, for_submission=False
        )
        if form.is_valid():
            data, reasons = form.to_json(), form.reasons_json()
            try:
                services.save_form(
                    application=application,
                    by=request.user,
                    data=data,
                    reasons=reasons,
                    chosen_trades=chosen,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("申请表已保存"))
                return redirect("applications:detail", pk=application.pk)
    else:
        form = form_class(
            initial=form_class.initial_from(application.form_data, application.empty_reasons),
            organisation_name=application.organisation.name,
            for_submission=False,
        )
    return render(
        request,
        "applications/form.html",
        {
            "application": application,
            "form": form,
            "spec": spec,
            "chosen": set(chosen),
            "optional_sections": [s for s in spec.sections if s.optional],
            "data_note": spec.data_note_for(_data_year(application)),
        },
    )


def _data_year(application) -> int:
    cc = application.campaign.categories.filter(category=application.category).first()
    return cc.data_year if cc else application.campaign.year - 1


@role_required(*APPLICANT)
def confirmation(request, year):
    from manyi.applications.form_builder import build_form_class
    from manyi.applications.form_specs import form_spec
    from manyi.campaigns.selectors import campaign_for

    campaign = campaign_for(request.user, year)
    organisation = organisations_for(request.user, Role.ENTERPRISE_USER)[0]
    existing = campaign.confirmations.filter(organisation=organisation).first()
    spec = form_spec("confirmation")
    form_class = build_form_class(spec, chosen_trades=set(), data_year=campaign.year - 1)
    if request.method == "POST":
        form = form_class(request.POST, organisation_name=organisation.name, for_submission=True)
        if form.is_valid():
            data, reasons = form.to_json(), form.reasons_json()
            data["__reasons__"] = reasons
            try:
                services.save_confirmation(
                    by=request.user,
                    campaign=campaign,
                    organisation=organisation,
                    data=data,
                    signer=data.get("signer", ""),
                    signed_on=form.cleaned_data.get("signed_on"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("活动确认表已保存"))
                return redirect("applications:list")
    else:
        initial_data = existing.data if existing else _confirmation_prefill(spec, organisation)
        form = form_class(
            initial=form_class.initial_from(
                initial_data, (existing.data or {}).get("__reasons__", {}) if existing else {}
            ),
            organisation_name=organisation.name,
            for_submission=True,
        )
    return render(
        request,
        "applications/confirmation.html",
        {
            "campaign": campaign,
            "form": form,
            "spec": spec,
            "organisation": organisation,
            "confirmation": existing,
        },
    )


def _confirmation_prefill(spec, organisation) -> dict:
    from manyi.applications.form_specs import all_fields

    return {
        f.key: getattr(organisation, f.prefill)
        for f in all_fields(spec)
        if f.prefill and getattr(organisation, f.prefill, None) not in (None, "")
    }


@role_required(*APPLICANT)
def edit_materials(request, pk):
    application = selectors.own_application_for(request.user, pk)
    if (response := _editable_or_redirect(request, application)) is not None:
        return response
    initial = {k: getattr(application, k) for k in ("profile", "products", "measures", "outlook")}
    form = MaterialsForm(request.POST or None, initial=initial, category=application.category)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_materials(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("材料已保存"))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request, "applications/materials.html", {"application": application, "form": form}
    )


@role_required(*READERS)
def attachments(request, pk):
    application = selectors.application_for(request.user, pk)
    is_applicant = application.organisation in organisations_for(request.user, Role.ENTERPRISE_USER)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not is_applicant:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_attachment(
                    application=application,
                    by=request.user,
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, _("已上传"))
                return redirect("applications:attachments", pk=application.pk)
    return render(
        request,
        "applications/attachments.html",
        {
            "application": application,
            "form": form,
            "attachments": application.attachments.all(),
            "can_edit": is_applicant and application.status in EDITABLE,
        },
    )


@role_required(*READERS)
def attachment_download(request, pk, attachment_pk):
    application = selectors.application_for(request.user, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    log_activity(
        actor=request.user,
        action="application.attachment_download",
        obj=application,
        organisation=application.organisation,
        after={"file": attachment.original_name},
    )
    return FileResponse(
        open(private_path(attachment.file_path), "rb"),
        as_attachment=True,  # noqa: SIM115 - FileResponse closes it
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
@role_required(*APPLICANT)
def attachment_delete(request, pk, attachment_pk):
    application = selectors.own_application_for(request.user, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        services.remove_attachment(attachment=attachment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("applications:attachments", pk=application.pk)


@require_POST
@role_required(*APPLICANT)
def submit(request, pk):
    application = selectors.own_application_for(request.user, pk)
    try:
        services.submit_application(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, _("尚不能提交，请补齐以下各项："))
        for problem in _errors(exc):
            messages.warning(request, problem)
    else:
        messages.success(
            request, _("已提交至推荐单位 %(agency)s") % {"agency": application.organisation.agency}
        )
    return redirect("applications:detail", pk=application.pk)


@require_POST
@role_required(*APPLICANT)
def withdraw(request, pk):
    application = selectors.own_application_for(request.user, pk)
    try:
        services.withdraw_application(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤回申报"))
    return redirect("applications:detail", pk=application.pk)


@role_required(Role.AGENCY_STAFF)
def recommend(request, pk):
    application = selectors.application_for(request.user, pk)
    agency_ids = {o.pk for o in organisations_for(request.user, Role.AGENCY_STAFF)}
    if application.agency_id not in agency_ids:
        raise Http404
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommend(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("推荐意见已提交"))
            return redirect("applications:agency_queue")
    seal = AgencySeal.objects.filter(agency_id=application.agency_id).first()
    return render(
        request,
        "applications/recommend.html",
        {
            "application": application,
            "form": form,
            "seal": seal,
            "problems_free": application.status == Status.SUBMITTED,
        },
    )


@role_required(Role.AGENCY_STAFF)
def agency_queue(request):
    from manyi.campaigns.selectors import quotas_for_agency

    campaign = current_campaign()
    quotas = []
    if campaign is not None:
        used = {}
        for app in selectors.applications(request.user).filter(
            campaign=campaign, status=Status.RECOMMENDED
        ):
            used[(app.agency_id, app.category)] = used.get((app.agency_id, app.category), 0) + 1
        quotas = [
            {"quota": q, "used": used.get((q.agency_id, q.category), 0)}
            for q in quotas_for_agency(request.user, campaign)
        ]
    return render(
        request,
        "applications/agency_queue.html",
        {
            "queue": selectors.agency_queue(request.user),
            "decided": selectors.applications(request.user)
            .filter(status__in=[Status.RECOMMENDED, Status.NOT_RECOMMENDED, Status.RETURNED])
            .order_by("-decided_at")[:100],
            "quotas": quotas,
            "campaign": campaign,
        },
    )


@role_required(Role.AGENCY_STAFF)
def agency_seal(request):
    agency = organisations_for(request.user, Role.AGENCY_STAFF)[0]
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_seal(agency=agency, by=request.user, upload=form.cleaned_data["image"])
        except ValidationError as exc:
            form.add_error("image", exc)
        else:
            messages.success(request, _("公章已保存"))
            return redirect("applications:agency_seal")
    return render(
        request,
        "applications/agency_seal.html",
        {
            "form": form,
            "agency": agency,
            "seal": AgencySeal.objects.filter(agency=agency).first(),
        },
    )


@role_required(Role.AGENCY_STAFF)
def agency_seal_image(request):
    agency = organisations_for(request.user, Role.AGENCY_STAFF)[0]
    seal = get_object_or_404(AgencySeal, agency=agency)
    return FileResponse(open(private_path(seal.file_path), "rb"), content_type=seal.content_type)  # noqa: SIM115
