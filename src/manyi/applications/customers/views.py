"""Pages of the customer list (附件3): see, upload, follow the check, download; shared contacts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from manyi.accounts.access import has_role
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications import access, selectors
from manyi.applications.customers import selectors as customer_selectors
from manyi.applications.customers import services as customer_lists
from manyi.applications.customers.filters import CustomerFilter
from manyi.applications.customers.forms import CustomerListForm
from manyi.applications.customers.progress import PROGRESS_CHECKED, import_progress
from manyi.applications.customers.selectors import display_phone
from manyi.applications.models import CustomerListStatus
from manyi.campaigns.selectors import current_campaign, visible_campaigns
from manyi.common.jobs import JobKind, job_for
from manyi.common.jobs.sweeper import recover_if_stalled
from manyi.common.listing import paginate

READERS = access.READERS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page_context(request, application, *, form=None) -> dict:
    """Everything the customer-list page shows, with phones masked for readers who need it."""
    full = access.SEE_FULL_PHONES.allows(request.user, application)
    current = customer_selectors.current_list(application)
    latest = customer_selectors.latest_upload(application)
    listing = None
    if current is not None:
        listing = paginate(request, current.customers.order_by("row", "pk"), CustomerFilter)
        for customer in listing.page:
            customer.shown_phone = display_phone(customer.phone, full=full)
    return {
        "application": application,
        "current": current,
        "latest": latest if latest != current else None,
        **_progress(latest, _import_job(latest)),
        **(listing.context() if listing else {"page": None}),
        "full_phones": full,
        "is_applicant": access.is_applicant.test(request.user, application),
        "can_upload": access.UPLOAD_CUSTOMER_LIST.allows(request.user, application),
        "form": form or CustomerListForm(),
        "minimum": customer_selectors.minimum_customers(application),
    }


def _import_job(latest):
    """The job of the upload being checked (one indexed read), else None."""
    if latest is None or latest.status != CustomerListStatus.CHECKING:
        return None
    return job_for(JobKind.CUSTOMER_IMPORT, latest.pk)


def _progress(latest, job) -> dict:
    """The bar, and the import's job while it runs (to say that an interrupted one restarted)."""
    progress = import_progress(latest) if latest else 0
    return {"progress": progress, "inserting": progress >= PROGRESS_CHECKED, "job": job}


@require_safe
@role_required(*READERS)
def customers(request, pk):
    application = selectors.application_for(request.user, pk)
    return render(request, "applications/customers/page.html", _page_context(request, application))


@require_POST
@role_required(Role.ENTERPRISE_USER)
def upload(request, pk):
    application = selectors.own_application_for(request.user, pk)
    form = CustomerListForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            customer_lists.upload_customer_list(
                application=application, by=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("用户名单已上传，正在检查，请稍候"))
            return redirect("applications:customers", pk=application.pk)
    context = _page_context(request, application, form=form)
    return render(request, "applications/customers/page.html", context)


@require_safe
@role_required(*READERS)
def status(request, pk):
    """Polled by htmx every second while a list is checked; reloads the page when it is done.

    Someone watching the bar is the first to notice a dead worker: a stalled import is
    requeued (or, after the last attempt, rejected with its message) at once, not at the next
    sweep.
    """
    application = selectors.application_for(request.user, pk)
    latest = customer_selectors.latest_upload(application)
    if latest is None:
        raise Http404
    job = _import_job(latest)
    if recover_if_stalled(job):
        latest.refresh_from_db()
        job.refresh_from_db()
    response = render(
        request,
        "applications/customers/_status.html",
        {
            "application": application,
            "latest": latest,
            "current": customer_selectors.current_list(application),
            **_progress(latest, job),
            "full_phones": access.SEE_FULL_PHONES.allows(request.user, application),
        },
    )
    if latest.status != CustomerListStatus.CHECKING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_safe
@role_required(*READERS)
def download(request, pk):
    application = selectors.application_for(request.user, pk)
    current = customer_selectors.current_list(application)
    if current is None:
        raise Http404
    data = customer_lists.export_customer_list(customer_list=current, by=request.user)
    response = HttpResponse(data, content_type=XLSX)
    filename = _("用户名单-%(name)s.xlsx") % {"name": application.organisation.name}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
@role_required(Role.ENTERPRISE_USER)
def template(request, pk):
    application = selectors.own_application_for(request.user, pk)
    response = HttpResponse(customer_selectors.customer_template(application), content_type=XLSX)
    filename = _("附件3-用户名单-%(name)s.xlsx") % {"name": application.organisation.name}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
@role_required(*PROGRAMME_STAFF)
def shared_contacts(request):
    """Phones on the current lists of several applicants in one campaign (programme staff)."""
    campaigns = list(visible_campaigns(request.user).order_by("-year"))
    campaign = None
    year = request.GET.get("year", "")
    if year.isdecimal():
        campaign = next((c for c in campaigns if c.year == int(year)), None)
        if campaign is None:
            raise Http404
    else:
        campaign = current_campaign() or (campaigns[0] if campaigns else None)
    listing, rows = None, []
    if campaign is not None:
        listing = paginate(request, customer_selectors.shared_phones(request.user, campaign))
        rows = customer_selectors.shared_contacts(campaign, listing.page.object_list)
    # The same rule as the lists themselves: full numbers for the committee only here.
    full = has_role(request.user, Role.COMMITTEE_STAFF)
    for row in rows:
        row["shown_phone"] = display_phone(row["phone"], full=full)
    return render(
        request,
        "applications/customers/shared_contacts.html",
        {
            **(listing.context() if listing else {}),
            "campaign": campaign,
            "campaigns": campaigns,
            "rows": rows,
            "full_phones": full,
        },
    )
