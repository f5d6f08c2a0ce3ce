"""The shell's pages: home, dashboard, the bare logged-in "ok", and the auditors' activity
log and outbox."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from manyi.accounts.decorators import login_required, public, role_required
from manyi.accounts.roles import Role
from manyi.common.listing import paginate
from manyi.common.models import OutboxMessage
from manyi.common.pagecache import kept_for_reader
from manyi.common.services import retry_message
from manyi.events.selectors import upcoming_public
from manyi.portal import selectors, services
from manyi.portal.dashboard import panels_for
from manyi.portal.filters import ActivityFilter, OutboxFilter
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
@kept_for_reader
def dashboard(request):
    return render(request, "common/dashboard.html", {"panels": panels_for(request.user)})


@login_required
@require_safe
def ping(request):
    """The text "ok" for anyone logged in: no template, no query beyond the session, the user
    and what every page's two-factor middleware reads. The web benchmark's baseline
    (benchmarks/web_load.py), and a health check for an operator that proves sessions work.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@role_required(*AUDITORS)
@kept_for_reader
def activity_log(request):
    listing = paginate(request, selectors.activity_entries(request.user), ActivityFilter)
    return render(request, "common/activity_log.html", listing.context())


@role_required(*AUDITORS)
def activity_log_export(request):
    """The log as Excel, narrowed by the same filters as the page (every page of it)."""
    filters = ActivityFilter(request.GET, queryset=selectors.activity_entries(request.user))
    content = services.export_activity_log(
        entries=filters.qs, filters=filters.applied(), by=request.user
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="activity-log-{stamp}.xlsx"'
    return response


@role_required(*AUDITORS)
@kept_for_reader
def outbox(request):
    # The list never shows a body: the largest columns stay in the database.
    messages_qs = selectors.outbox_messages(request.user).defer("body_text", "body_html")
    listing = paginate(request, messages_qs, OutboxFilter)
    return render(request, "common/outbox.html", listing.context())


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
