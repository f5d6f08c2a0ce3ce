"""The one door that grants a title: `grant_title`.

Granting moves the application to 已授予称号 through `applications.services.move_application`,
numbers the title (`numbering.next_title_number`, under a row lock), records its validity from
the category's `title_validity_years`, logs and mails the applicant after commit.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from manyi.applications.services import move_application
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.campaigns.services import add_years
from manyi.common.services import log_activity, queue_email
from manyi.titles.models import Title, TitleStatus
from manyi.titles.numbering import next_title_number


def title_subject(application) -> str:
    """What the title names: the brand, product, project or service named in the form, else the
    organisation (the 企业 title names the enterprise itself)."""
    data = application.form_data or {}
    for key in ("brand_name", "product_name", "project_name", "service_name"):
        value = (data.get(key) or "").strip()
        if value:
            return value[:200]
    return application.organisation.name


def validity_years(application) -> int:
    years = (
        CampaignCategory.objects.filter(
            campaign_id=application.campaign_id, category=application.category
        )
        .values_list("title_validity_years", flat=True)
        .first()
    )
    return years or CampaignCategory._meta.get_field("title_validity_years").default


@transaction.atomic
def grant_title(*, application, by, announcement=None, on=None) -> Title:
    """Grant the title of an application in 公示 whose period ended without an upheld objection.

    `by` is the person granting, or None when the scheduled task grants at the period's end.
    Side effects, in order: the application's move to AWARDED (and its log entry and mail), the
    Title with its new number, an activity-log entry, the applicant's mail after commit.
    """
    move_application(application=application, to=Status.AWARDED, by=by)
    decision = getattr(application, "decision", None)
    start = on or timezone.localdate()
    title = Title.objects.create(
        number=next_title_number(year=application.campaign.year, category=application.category),
        application=application,
        organisation=application.organisation,
        category=application.category,
        subject=title_subject(application),
        year=application.campaign.year,
        benchmark=bool(decision and decision.benchmark),
        valid_from=start,
        valid_until=add_years(start, validity_years(application)),
        status=TitleStatus.VALID,
        status_since=start,
        announcement=announcement,
    )
    log_activity(
        actor=by or "worker",
        action="title.grant",
        obj=title,
        organisation=application.organisation,
        after={
            "number": title.number,
            "application": application.number,
            "valid_until": title.valid_until,
            "benchmark": title.benchmark,
        },
    )
    url = reverse("titles:certificate", args=[title.number])
    for membership in application.organisation.memberships.filter(is_active=True).select_related(
        "user"
    ):
        queue_email(
            to=membership.user.email,
            template="title_granted",
            context={"title": title, "application": application, "url": url},
        )
    return title
