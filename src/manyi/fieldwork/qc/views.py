"""Quality control pages: flagged responses and their review, the call-back verification.

The survey firm's manager decides; programme staff read the same pages without buttons (the
buttons follow the same Actions the services enforce).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.common.forms import add_validation_errors
from manyi.common.listing import paginate
from manyi.common.punctuation import semicolon
from manyi.fieldwork import quality
from manyi.fieldwork.access import (
    DRAW_VERIFICATION,
    REVIEW_RESPONSE,
    VERIFY_INTERVIEW,
    contact_firm_manager,
    is_firm_manager,
    response_firm_manager,
)
from manyi.fieldwork.filters import ReviewFilter
from manyi.fieldwork.models import QcStatus
from manyi.fieldwork.qc import selectors, services
from manyi.fieldwork.qc.choices import VerifyResult
from manyi.fieldwork.qc.display import answer_rows
from manyi.fieldwork.qc.forms import ReviewForm, VerifyForm
from manyi.fieldwork.questions import questions_of
from manyi.fieldwork.selectors import survey_for

REVIEWERS = (*PROGRAMME_STAFF, Role.SURVEY_MANAGER)


def _refusal(action, user, obj) -> str:
    """The words a person is told when `action` refuses on the object's state."""
    try:
        action.require(user, obj)
    except ValidationError as exc:
        return semicolon().join(exc.messages)
    return ""


@require_GET
@role_required(*REVIEWERS)
def review_list(request):
    listing = paginate(request, selectors.review_queue(request.user), ReviewFilter)
    return render(request, "fieldwork/qc/review_list.html", listing.context())


@role_required(*REVIEWERS)
def response_detail(request, pk):
    response = selectors.response_for(request.user, pk)
    is_manager = response_firm_manager.test(request.user, response)
    can_review = REVIEW_RESPONSE.allows(request.user, response)
    form = ReviewForm(request.POST or None) if is_manager else None
    if request.method == "POST":
        if not is_manager:
            raise PermissionDenied
        if not can_review:
            messages.error(request, _refusal(REVIEW_RESPONSE, request.user, response))
            return redirect("fieldwork:response_detail", pk=response.pk)
        if form.is_valid():
            try:
                services.review_response(response=response, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):  # decided by someone else meanwhile
                    messages.error(request, semicolon().join(exc.messages))
                    return redirect("fieldwork:response_detail", pk=response.pk)
                add_validation_errors(exc, form)
            else:
                messages.success(
                    request,
                    _("已复核通过该回答")
                    if response.qc_status == QcStatus.APPROVED
                    else _("已剔除该回答"),
                )
                return redirect(reverse("fieldwork:review_list") + f"?survey={response.survey_id}")
    return render(
        request,
        "fieldwork/qc/response_detail.html",
        {
            "response": response,
            "survey": response.survey,
            "rows": answer_rows(questions_of(response.questionnaire), response.answers),
            "flags": quality.flag_words(response.qc_flags),
            # The firm's manager works with the customer; programme staff need no name here.
            "show_customer": is_manager,
            "can_review": can_review,
            "form": form if can_review else None,
        },
    )


@require_GET
@role_required(*REVIEWERS)
def verification(request, pk):
    survey = survey_for(request.user, pk)
    contacts = selectors.verification_contacts(survey)
    rows = [(c, VERIFY_INTERVIEW.allows(request.user, c)) for c in contacts]
    return render(
        request,
        "fieldwork/qc/verification.html",
        {
            "survey": survey,
            "rows": rows,
            "counts": selectors.quality_counts(survey)["verify"],
            "show_customer": is_firm_manager.test(request.user, survey),
            "can_draw": DRAW_VERIFICATION.allows(request.user, survey),
        },
    )


@require_POST
@role_required(Role.SURVEY_MANAGER)
def verification_draw(request, pk):
    survey = survey_for(request.user, pk)
    if not is_firm_manager.test(request.user, survey):
        raise PermissionDenied
    try:
        chosen = services.draw_verification(survey=survey, by=request.user)
    except ValidationError as exc:
        messages.error(request, semicolon().join(exc.messages))
    else:
        messages.success(request, _("已抽取 %(n)s 个电话访问进行回访复核") % {"n": len(chosen)})
    return redirect("fieldwork:verification", pk=survey.pk)


@role_required(Role.SURVEY_MANAGER)
def verify_contact(request, pk):
    contact = selectors.verify_contact_for(request.user, pk)
    if not contact_firm_manager.test(request.user, contact):
        raise PermissionDenied
    can_verify = VERIFY_INTERVIEW.allows(request.user, contact)
    form = VerifyForm(request.POST or None) if can_verify else None
    if request.method == "POST":
        if not can_verify:
            messages.error(request, _refusal(VERIFY_INTERVIEW, request.user, contact))
            return redirect("fieldwork:verification", pk=contact.survey_id)
        if form.is_valid():
            try:
                services.record_verification(contact=contact, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):  # recorded by someone else meanwhile
                    messages.error(request, semicolon().join(exc.messages))
                    return redirect("fieldwork:verification", pk=contact.survey_id)
                add_validation_errors(exc, form)
            else:
                messages.success(request, _("回访结果已记录"))
                return redirect("fieldwork:verification", pk=contact.survey_id)
    # The number is shown (and its sight logged) only while the call-back is still to make.
    phone = services.open_verification(contact=contact, by=request.user) if can_verify else ""
    return render(
        request,
        "fieldwork/qc/verify_contact.html",
        {
            "contact": contact,
            "survey": contact.survey,
            "response": getattr(contact, "response", None),
            "phone": phone,
            "result_label": VerifyResult(contact.verify_result).label
            if contact.verify_result in VerifyResult.values
            else "",
            "form": form,
        },
    )
