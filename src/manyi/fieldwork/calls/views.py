"""The interviewer's call queue and call screen, and the manager's sharing of the sample."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.applications.customers.rows import mask_phone
from manyi.common.forms import add_validation_errors
from manyi.common.listing import paginate
from manyi.fieldwork import selectors as fieldwork_selectors
from manyi.fieldwork.access import ASSIGN_INTERVIEWERS, CALL
from manyi.fieldwork.calls import selectors, services
from manyi.fieldwork.calls.forms import InterviewersForm, OutcomeForm, ReassignForm
from manyi.fieldwork.filters import QueueFilter
from manyi.fieldwork.questions import for_form, questions_of, read_answers

INTERVIEWER = (Role.SURVEYOR,)
PER_PAGE = 50
LATER_PAGE = "later_page"


@role_required(*INTERVIEWER)
def call_queue(request):
    """The queue a page at a time, narrowed by survey, state or name; the callbacks booked for
    later are a second list with its own page (``later_page``)."""
    listing = paginate(request, selectors.queue(request.user), QueueFilter)
    later = Paginator(selectors.later_callbacks(request.user), PER_PAGE).get_page(
        request.GET.get(LATER_PAGE)
    )
    later_query = request.GET.copy()
    later_query.pop(LATER_PAGE, None)
    return render(
        request,
        "fieldwork/calls/queue.html",
        {
            **listing.context(),
            "rows": [(c, mask_phone(c.customer.phone)) for c in listing.page],
            "later": later,
            "later_query": later_query.urlencode(),
            "today": selectors.today_figures(request.user),
        },
    )


@require_POST
@role_required(*INTERVIEWER)
def call_start(request, pk):
    contact = fieldwork_selectors.contact_for_interviewer(request.user, pk)
    try:
        services.start_call(contact=contact, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("fieldwork:call_queue")
    return redirect("fieldwork:call", pk=contact.pk)


def _call_page(
    request, contact, attempt, *, outcome_form=None, answers=None, errors=None, status=200
):
    survey = contact.survey
    return render(
        request,
        "fieldwork/calls/call.html",
        {
            "contact": contact,
            "survey": survey,
            "attempt": attempt,
            "phone": contact.customer.phone,
            "outcome_form": outcome_form or OutcomeForm(),
            "questions": for_form(questions_of(survey.questionnaire), answers, errors),
            "errors": errors,
            "intro": survey.questionnaire.intro_en
            if request.LANGUAGE_CODE.startswith("en") and survey.questionnaire.intro_en
            else survey.questionnaire.intro_zh,
        },
        status=status,
    )


def _active(request, pk):
    """The contact and the call under way; without one the number is not shown (404)."""
    contact = fieldwork_selectors.contact_for_interviewer(request.user, pk)
    attempt = services.open_attempt(contact, request.user)
    if attempt is None or not CALL.allows(request.user, contact):
        raise Http404
    return contact, attempt


@role_required(*INTERVIEWER)
def call(request, pk):
    contact, attempt = _active(request, pk)
    return _call_page(request, contact, attempt)


@require_POST
@role_required(*INTERVIEWER)
def call_outcome(request, pk):
    contact, attempt = _active(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.record_outcome(
                attempt=attempt,
                outcome=form.cleaned_data["outcome"],
                callback_at=form.cleaned_data["callback_at"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("已记录通话结果"))
            return redirect("fieldwork:call_queue")
    return _call_page(request, contact, attempt, outcome_form=form, status=400)


@require_POST
@role_required(*INTERVIEWER)
def call_interview(request, pk):
    contact, attempt = _active(request, pk)
    try:
        services.complete_interview(attempt=attempt, data=request.POST, by=request.user)
    except ValidationError as exc:
        answers, _errors = read_answers(
            questions_of(contact.survey.questionnaire), request.POST, partial=True
        )
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        if not errors:
            messages.error(request, "；".join(exc.messages))
        return _call_page(request, contact, attempt, answers=answers, errors=errors, status=400)
    messages.success(request, _("访问已完成，问卷已保存"))
    return redirect("fieldwork:call_queue")


@role_required(Role.SURVEY_MANAGER)
def assign_interviewers(request, pk):
    """Share the unassigned sample (the first form) or move contacts between two (`op=move`)."""
    survey = fieldwork_selectors.survey_for(request.user, pk)
    if not ASSIGN_INTERVIEWERS.allows(request.user, survey):
        raise PermissionDenied
    memberships = list(services.firm_interviewers(survey.firm))
    holders = selectors.holders(survey)
    loads = selectors.open_load([m.user_id for m in memberships] + [u.pk for u in holders])
    moving = request.method == "POST" and request.POST.get("op") == "move"
    sharing = request.method == "POST" and not moving
    form = InterviewersForm(request.POST if sharing else None, memberships=memberships, loads=loads)
    move_form = ReassignForm(
        request.POST if moving else None, holders=holders, memberships=memberships, loads=loads
    )
    if sharing and form.is_valid():
        try:
            counts = services.assign_interviewers(
                survey=survey, interviewers=list(form.cleaned_data["interviewers"]), by=request.user
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("已分配 %(n)d 个样本") % {"n": sum(counts.values())})
            return redirect("fieldwork:survey_detail", pk=survey.pk)
    if moving and move_form.is_valid():
        data = move_form.cleaned_data
        try:
            moved = services.reassign(
                survey=survey,
                from_interviewer=data["from_interviewer"],
                to_interviewer=data["to_interviewer"],
                count=data["count"],
                by=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(exc, move_form)
        else:
            messages.success(request, _("已转移 %(n)d 个样本") % {"n": moved})
            return redirect("fieldwork:assign_interviewers", pk=survey.pk)
    return render(
        request,
        "fieldwork/calls/assign.html",
        {
            "survey": survey,
            "form": form,
            "move_form": move_form,
            "table": selectors.interviewer_table(survey),
            "unassigned": selectors.unassigned_open(survey),
        },
    )
