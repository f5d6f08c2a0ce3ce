"""Titles reaching the end of their validity: the holder is reminded 90 and 30 days before and
invited to re-evaluation (复评) in a later campaign.

The expiry itself is `titles.certificates.services.expire_titles` (the verification page then
says 已过期); this package only reminds, once per title and stage (`ExpiryReminder`).
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Membership
from manyi.accounts.roles import Role
from manyi.common.services import log_activity, queue_email
from manyi.supervision.models import ExpiryReminder
from manyi.supervision.validity.selectors import STAGES, reevaluation_campaign
from manyi.titles.models import Title, TitleStatus


def due_stage(days_left: int) -> int | None:
    """The reminder due with `days_left` days to go: the nearest stage not passed yet (90
    from 90 to 31 days, 30 from 30 days to the last day), None before the first one."""
    if days_left < 0:
        return None
    due = [stage for stage in STAGES if days_left <= stage]
    return min(due) if due else None


def remind_expiring_titles(*, today=None) -> int:
    """Remind the holder of every valid title whose validity ends within 90 or 30 days.

    Each (title, stage) is reminded once. A reminder missed while the worker was down is sent
    late, but only the stage now due: a title found 25 days from its end with no reminder gets
    the 30-day one only, never the 90-day one afterwards. Revoked and expired titles get none.
    Side effects per reminder, in one transaction: the ExpiryReminder row (its uniqueness keeps
    two workers from sending twice); an activity-log entry "title.expiry_reminder"; mail to the
    holder's enterprise users naming the campaign open or coming (after commit). Returns how
    many reminders were sent.
    """
    from datetime import timedelta

    today = today or timezone.localdate()
    titles = list(
        Title.objects.filter(
            status=TitleStatus.VALID,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=max(STAGES)),
        )
        .select_related("organisation")
        .order_by("valid_until", "pk")
    )
    sent_before = set(
        ExpiryReminder.objects.filter(title__in=titles).values_list("title_id", "days")
    )
    sent = 0
    for title in titles:
        days_left = (title.valid_until - today).days
        stage = due_stage(days_left)
        if stage is None or any((title.pk, s) in sent_before for s in STAGES if s <= stage):
            continue
        if _remind(title, stage=stage, days_left=days_left):
            sent += 1
    return sent


def _remind(title: Title, *, stage: int, days_left: int) -> bool:
    emails = sorted(
        set(
            Membership.objects.filter(
                organisation_id=title.organisation_id,
                role=Role.ENTERPRISE_USER,
                is_active=True,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )
    found = reevaluation_campaign(title.year)
    campaign, is_open = found if found else (None, False)
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(title=title, days=stage)
            log_activity(
                actor=_("系统"),
                action="title.expiry_reminder",
                obj=title,
                organisation=title.organisation,
                after={
                    "days": stage,
                    "days_left": days_left,
                    "valid_until": title.valid_until,
                    "recipients": len(emails),
                    "campaign": campaign.year if campaign else None,
                },
            )
            context = {
                "title": title,
                "days_left": days_left,
                "campaign": campaign,
                "campaign_open": is_open,
                "path": reverse("titles:title_detail", args=[title.number]),
                "campaigns_path": reverse("campaigns:list"),
            }
            for email in emails:
                queue_email(to=email, template="supervision/expiry_reminder", context=context)
    except IntegrityError:
        return False  # another worker sent it a moment ago
    return True
