"""The collection link of an enterprise's own survey (/q/<token>/): the questionnaire for its
customers, no account needed.

The token is not a secret kept from the public (it is printed as a QR code), so the form is
CSRF-protected like any public form, and the page gives the browser a random cookie that
allows one response per browser (`collection`). A closed, expired, unknown or already
answered link gets a page saying so, never an error.
"""

import secrets

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from manyi.accounts.decorators import public
from manyi.common.context import client_ip
from manyi.fieldwork.questions import for_form, questions_of
from manyi.fieldwork.responses import AlreadyAnswered, SurveyNotInField
from manyi.selfmeasure import collection
from manyi.selfmeasure.collection import COOKIE, LinkState

# Each state of a link that takes no answer: the HTTP status of its page.
REFUSALS = {
    LinkState.UNKNOWN: 404,
    LinkState.NOT_YET: 200,
    LinkState.EXPIRED: 410,
    LinkState.CLOSED: 410,
    LinkState.ANSWERED: 200,
}


def _about(survey) -> dict:
    # The questionnaire's own introduction speaks of the programme's third-party survey; the
    # page says instead that the enterprise runs this one itself.
    return {"survey": survey, "enterprise": survey.organisation.name}


def _with_cookie(request, response, cookie: str):
    if request.COOKIES.get(COOKIE) != cookie:
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=collection.COOKIE_MAX_AGE,
            path="/q/",
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _refusal(request, state, survey=None):
    context = {"state": str(state)}
    if survey is not None:
        context |= _about(survey)
    return render(request, "selfmeasure/public/unavailable.html", context, status=REFUSALS[state])


def _form(request, survey, cookie, *, answers=None, errors=None, stamp=None, problem=""):
    context = {
        **_about(survey),
        "questions": for_form(questions_of(survey.questionnaire), answers=answers, errors=errors),
        "errors": errors or {},
        "problem": problem,
        "started": stamp or collection.start_stamp(survey),
    }
    page = render(request, "selfmeasure/public/answer.html", context)
    return _with_cookie(request, page, cookie)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """GET: the questionnaire. POST: one complete response of this browser."""
    survey = collection.find_survey(token)
    state = collection.state_of(survey)
    if state != LinkState.OPEN:
        return _refusal(request, state, survey)
    cookie = request.COOKIES.get(COOKIE) or secrets.token_urlsafe(24)
    if collection.has_answered(survey, cookie):
        return _refusal(request, LinkState.ANSWERED, survey)
    if request.method == "GET":
        return _form(request, survey, cookie)
    stamp = request.POST.get("started", "")
    ip = client_ip(request)
    answers, errors = collection.read_form(survey, request.POST)
    if not collection.allowed(ip):
        return _form(
            request, survey, cookie, answers=answers, stamp=stamp, problem=collection.rate_refusal()
        )
    if errors:
        return _form(request, survey, cookie, answers=answers, errors=errors, stamp=stamp)
    try:
        response = collection.record_own_response(
            survey=survey,
            answers=answers,
            cookie=cookie,
            started=collection.started_at(survey, stamp),
            ip=ip,
        )
    except AlreadyAnswered:
        return _refusal(request, LinkState.ANSWERED, survey)
    except SurveyNotInField:
        return _refusal(request, LinkState.CLOSED, survey)
    template = "screened_out" if collection.SCREENED_OUT in response.flags else "thanks"
    page = render(request, f"selfmeasure/public/{template}.html", _about(survey))
    return _with_cookie(request, page, cookie)
