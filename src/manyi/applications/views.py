"""The application's own pages: list, start, the forms, materials, evidence, submit, withdraw.

Each view loads through a scoped selector, asks ``applications.access`` what the user may do,
calls a service and renders. The agency's pages are in ``agency/``, the customer list in
``customers/``, the client appraisal in ``appraisals/``, downloads in ``documents/``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.accounts.selectors import agency_named_by
from manyi.applications import access, selectors, services
from manyi.applications.agency.selectors import agency_choices, agency_queue
from manyi.applications.customers.selectors import current_list
from manyi.applications.evidence import download_name
from manyi.applications.filters import ApplicationFilter
from manyi.applications.forms.pages import AttachmentForm, MaterialsForm, ReopenConfirmationForm
from manyi.campaigns.categories import FORMS as CATEGORY_FORMS
from manyi.campaigns.categories import Category
from manyi.campaigns.selectors import current_campaign, my_bans
from manyi.common.listing import paginate
from manyi.common.pagecache import kept_for_reader

APPLICANT = (Role.ENTERPRISE_USER,)
READERS = access.READERS


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@role_required(*READERS)
@kept_for_reader
def application_list(request):
    campaign = current_campaign()
    own = organisations_for(request.user, Role.ENTERPRISE_USER)
    # A banned enterprise (Art. 26) is told why up front, and offered nothing to start.
    bans = my_bans(request.user) if own else []
    startable = (
        selectors.startable_categories(request.user, campaign, own[0])
        if campaign is not None and own and not bans
        else []
    )
    confirmation = (
        selectors.confirmation_for(campaign, own[0]) if campaign is not None and own else None
    )
    listing = paginate(
        request,
        selectors.for_list(selectors.applications(request.user)).order_by(*selectors.NEWEST_FIRST),
        ApplicationFilter,
    )
    return render(
        request,
        "applications/list.html",
        {
            **listing.context(),
            "campaign": campaign,
            "startable": startable,
            "my_bans": bans,
            # Which agency recommends: a choice when the enterprise has more than one.
            "start_options": agency_choices(own[0], campaign, startable) if startable else [],
            "confirmation": confirmation,
            "ticked": [
                Category(c).label
                for c in (confirmation.data.get("categories", []) if confirmation else [])
                if c in Category.values
            ],
            "forms": CATEGORY_FORMS,
            "is_applicant": bool(own),
            "can_export": has_role(request.user, *PROGRAMME_STAFF),
            "queue_count": agency_queue(request.user).count()
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
    agency = agency_named_by(request.POST.get("agency", ""))
    try:
        application = services.start_application(
            by=request.user,
            organisation=own[0],
            campaign=campaign,
            category=category,
            agency=agency,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:list")
    messages.success(request, _("已创建申报草稿，可随时保存，提交前请补齐各部分"))
    return redirect("applications:detail", pk=application.pk)


@role_required(*READERS)
def detail(request, pk):
    from manyi.applications.submission import part_status, signed_scans

    application = selectors.application_for(request.user, pk)
    context = {
        "application": application,
        "form_info": CATEGORY_FORMS[application.category],
        **access.application_flags(request.user, application),
        "recommendations": application.recommendations.select_related("agency"),
        "attachments": application.attachments.all(),
        "current_list": current_list(application),
        "confirmation": selectors.confirmation_of(application),
        # The 附件2 version the application was (last) submitted with, if any.
        "confirmation_version": application.confirmation_version,
        "signed_scans": signed_scans(application),
        "appraisal": getattr(application, "client_appraisal", None),
        # Done or not for each part, by the checks submission makes.
        "parts": part_status(application),
    }
    context["can_edit_confirmation"] = context["is_applicant"] and access.EDIT_CONFIRMATION.allows(
        request.user, context["confirmation"]
    )
    if context["can_submit"]:
        from manyi.applications.submission import submission_problems

        context["problems"] = submission_problems(application)
    return render(request, "applications/detail.html", context)


def _editable_or_redirect(request, application):
    if not access.in_editable_state.test(request.user, application):
        messages.info(request, _("申报已提交，不能修改"))
        return redirect("applications:detail", pk=application.pk)
    return None


@role_required(*APPLICANT)
def edit_form(request, pk):
    from manyi.applications.forms.builder import build_form_class
    from manyi.applications.forms.specs import form_spec

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
        spec, chosen_trades=set(chosen), data_year=selectors.data_year_of(application)
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
            "data_note": spec.data_note_for(selectors.data_year_of(application)),
            "draft_version": selectors.draft_version(application, "form"),
        },
    )


@role_required(*APPLICANT)
def confirmation(request, year):
    from manyi.applications.forms.builder import build_form_class
    from manyi.applications.forms.prefill import prefilled_form_data
    from manyi.applications.forms.specs import form_spec
    from manyi.campaigns.selectors import campaign_for

    campaign = campaign_for(request.user, year)
    organisation = organisations_for(request.user, Role.ENTERPRISE_USER)[0]
    existing = selectors.confirmation_for(campaign, organisation)
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
        initial_data = (
            existing.data if existing else prefilled_form_data("confirmation", organisation)
        )
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
            # Locked once an application went out with it, until staff reopen it.
            "can_save": access.EDIT_CONFIRMATION.allows(request.user, existing),
        },
    )


@require_POST
@role_required(Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)
def confirmation_reopen(request, pk):
    """Staff reopen the locked 附件2 of an application's applicant (a reason is required)."""
    application = selectors.application_for(request.user, pk)
    confirmation = selectors.confirmation_of(application)
    if confirmation is None:
        raise Http404
    form = ReopenConfirmationForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.reopen_confirmation(confirmation=confirmation, by=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("活动确认表已重新开放，已通知申报单位"))
    return redirect("applications:application_confirmation", pk=application.pk)


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
        request,
        "applications/materials.html",
        {
            "application": application,
            "form": form,
            "draft_version": selectors.draft_version(application, "materials"),
        },
    )


@role_required(*READERS)
def attachments(request, pk):
    application = selectors.application_for(request.user, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not access.is_applicant.test(request.user, application):
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
            "can_edit": access.EDIT.allows(request.user, application),
        },
    )


@role_required(*READERS)
def attachment_download(request, pk, attachment_pk):
    application = selectors.application_for(request.user, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    handle = services.open_evidence(attachment=attachment, by=request.user)
    # Named by the type its content was found to be, never by the extension it came with.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(
            attachment.original_name, attachment.content_type, fallback=f"evidence-{attachment.pk}"
        ),
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
        messages.success(request, _("已提交至推荐单位 %(agency)s") % {"agency": application.agency})
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
