"""The shell's pages: home, dashboard, and the auditors' activity log and outbox."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import login_required, public, role_required
from manyi.accounts.roles import Role
from manyi.common.models import OutboxMessage
from manyi.common.services import retry_message
from manyi.events.selectors import upcoming_public
from manyi.portal import selectors, services
from manyi.portal.dashboard import panels_for
from manyi.portal.forms import ActivityFilterForm
from manyi.programme.news.selectors import latest as latest_articles
from manyi.programme.plans.selectors import current_public_plan

AUDITORS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
# How many of the latest articles and upcoming events the home page shows.
HOME_NEWS = 3
HOME_EVENTS = 3


@public
def home(request):
    """The public front page: the theme of the year, the latest news, upcoming events."""
    return render(
        request,
        "common/home.html",
        {
            "plan": current_public_plan(),
            "latest_news": latest_articles(HOME_NEWS),
            "upcoming_events": upcoming_public(HOME_EVENTS),
        },
    )


@login_required
def dashboard(request):
    return render(request, "common/dashboard.html", {"panels": panels_for(request.user)})


@role_required(*AUDITORS)
def activity_log(request):
    form = ActivityFilterForm(request.GET or None)
    entries = selectors.activity_entries(request.user, form.filters() if form.is_valid() else {})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "common/activity_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@role_required(*AUDITORS)
def activity_log_export(request):
    form = ActivityFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    entries = selectors.activity_entries(request.user, filters)
    content = services.export_activity_log(entries=entries, filters=filters, by=request.user)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="activity-log-{stamp}.xlsx"'
    return response


@role_required(*AUDITORS)
def outbox(request):
    status = request.GET.get("status", "")
    messages_qs = selectors.outbox_messages(request.user, status=status)
    page = Paginator(messages_qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "common/outbox.html",
        {"page": page, "status": status, "statuses": OutboxMessage.Status.choices},
    )


@role_required(*AUDITORS)
def outbox_detail(request, pk):
    message = get_object_or_404(selectors.outbox_messages(request.user), pk=pk)
    return render(request, "common/outbox_detail.html", {"message": message})


@require_POST
@role_required(*AUDITORS)
def outbox_retry(request, pk):
    from django.contrib import messages

    message = get_object_or_404(selectors.outbox_messages(request.user), pk=pk)
    if message.status != OutboxMessage.Status.FAILED:
        messages.info(request, _("只有发送失败的邮件才能重新发送"))
    else:
        retry_message(message=message, by=request.user)
        messages.success(request, _("已重新排队发送"))
    return redirect("common:outbox_detail", pk=message.pk)
