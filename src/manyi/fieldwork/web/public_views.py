"""The web questionnaire a sampled customer opens from the e-mailed link; no account needed.

The secret token in the URL is the only credential: nothing is kept in a cookie and no session
grants anything, so a forged cross-site POST would need the token itself. That is why the two
POST views are `csrf_exempt` (which also spares a respondent an expired-form error after a
long pause, and lets the load benchmark post without fetching the page first). The token is
not logged: the activity log never holds it, and Django logs the path only of 4xx replies,
which only dead links (unknown, replaced, expired, closed) get.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from manyi.accounts.decorators import public
from manyi.fieldwork.questions import for_form, questions_of
from manyi.fieldwork.responses import AlreadyAnswered
from manyi.fieldwork.web import links, respondent

# Each state of a link that cannot be answered: its page and HTTP status.
REFUSALS = {
    links.LinkState.UNKNOWN: 404,
    links.LinkState.EXPIRED: 410,
    links.LinkState.CLOSED: 410,
    links.LinkState.ANSWERED: 200,
}


def _about(contact) -> dict:
    """Who surveys whom, and until when: the top of every page of the link."""
    survey = contact.survey
    english = (get_language() or "").startswith("en")
    questionnaire = survey.questionnaire
    return {
        "enterprise": survey.application.organisation.name,
        "firm": survey.firm.name,
        "year": survey.application.campaign.year,
        "until": survey.field_closes,
        "intro": (questionnaire.intro_en if english else "") or questionnaire.intro_zh,
    }


def _refusal(request, state, contact=None):
    context = {"state": str(state)}
    if contact is not None and state != links.LinkState.UNKNOWN:
        context["enterprise"] = contact.survey.application.organisation.name
    return render(request, "fieldwork/web/unavailable.html", context, status=REFUSALS[state])


def _page(request, token, contact, *, answers, errors=None):
    questions = questions_of(contact.survey.questionnaire)
    return render(
        request,
        "fieldwork/web/answer.html",
        {
            **_about(contact),
            "token": token,
            "questions": for_form(questions, answers=answers, errors=errors),
            "errors": errors or {},
        },
    )


@public
@never_cache
@csrf_exempt  # the token is the credential: see the module's docstring
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """GET: the questionnaire with the answers saved so far. POST: submit it whole."""
    contact = links.find_contact(token)
    state = links.state_of(contact)
    if state != links.LinkState.OPEN:
        return _refusal(request, state, contact)
    if request.method == "GET":
        respondent.open_questionnaire(contact=contact)
        return _page(request, token, contact, answers=contact.draft_answers)
    try:
        response = respondent.submit_questionnaire(contact=contact, data=request.POST)
    except AlreadyAnswered:
        return _refusal(request, links.LinkState.ANSWERED, contact)
    except ValidationError as exc:
        errors = {code: messages[0] for code, messages in exc.message_dict.items()}
        return _page(request, token, contact, answers=contact.draft_answers, errors=errors)
    template = "thanks.html" if response.screening_passed else "screened_out.html"
    return render(request, f"fieldwork/web/{template}", _about(contact))


@public
@never_cache
@csrf_exempt  # the token is the credential: see the module's docstring
@require_POST
def save(request, token):
    """Autosave (htmx): the whole form posted on each change; replies with a small note."""
    contact = links.find_contact(token)
    state = links.state_of(contact)
    if state != links.LinkState.OPEN:
        return render(
            request, "fieldwork/web/_saved.html", {"state": str(state)}, status=REFUSALS[state]
        )
    respondent.save_draft(contact=contact, data=request.POST)
    return render(request, "fieldwork/web/_saved.html", {"state": "saved"})
