"""Public pages: the request for recognition, its private follow link, the directory of the
agencies that may recommend. No account needed."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from manyi.accounts.decorators import public
from manyi.agencies import selectors, services
from manyi.agencies.filters import DirectoryFilter
from manyi.agencies.forms import AgencyRequestForm
from manyi.agencies.models import RequestStatus
from manyi.common.context import client_ip
from manyi.common.forms import add_validation_errors
from manyi.common.listing import paginate
from manyi.common.responses import private_page

# What the applicant reads on its follow page: plain words.
PUBLIC_STATUS = {
    RequestStatus.SUBMITTED: gettext_lazy("已收到，广州市质量协会审核中"),
    RequestStatus.RECOGNISED: gettext_lazy("已认可为推进机构"),
    RequestStatus.REFUSED: gettext_lazy("不予认可"),
    RequestStatus.WITHDRAWN: gettext_lazy("已撤回"),
}


@public
@never_cache
@require_http_methods(["GET", "POST"])
def apply(request):
    """The request form. On success the private follow link is shown once (and mailed)."""
    form = AgencyRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        ip = client_ip(request)
        if not services.request_allowed(ip):
            form.is_valid()
            form.add_error(None, services.rate_refusal())
        elif form.is_valid():
            try:
                agency_request, token = services.submit_request(
                    data=form.cleaned_data,
                    evidence=form.cleaned_data.get("evidence"),
                    by=request.user,
                    ip=ip,
                )
            except ValidationError as exc:
                add_validation_errors(exc, form)
            else:
                return private_page(
                    request,
                    "agencies/public/received.html",
                    {
                        "agency_request": agency_request,
                        "follow_url": request.build_absolute_uri(
                            reverse("agencies:request_follow", args=[token])
                        ),
                    },
                )
    return render(
        request,
        "agencies/public/apply.html",
        {
            "form": form,
            "breadcrumbs": [
                (_("推进机构名录"), reverse("agencies:directory")),
                (_("申请认可"), None),
            ],
        },
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def follow(request, token):
    """The applicant's private page: the state in plain words, the reason of a refusal; a
    request still waiting may be withdrawn (POST)."""
    agency_request = selectors.find_request(token)
    if agency_request is None:
        raise Http404
    problem = ""
    if request.method == "POST":
        try:
            agency_request = services.withdraw_request(request=agency_request)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    return private_page(
        request,
        "agencies/public/follow.html",
        {
            "agency_request": agency_request,
            "status_words": PUBLIC_STATUS[agency_request.status],
            "problem": problem,
        },
    )


@public
def directory(request):
    listing = paginate(request, selectors.directory(), DirectoryFilter)
    return render(request, "agencies/public/directory.html", listing.context())
