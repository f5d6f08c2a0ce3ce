"""The only code that changes campaigns, their categories and quotas, bans and reopenings.

Every function checks that `by` may manage campaigns (association admin or committee staff),
writes an activity-log entry in the same transaction, and queues its mail with `queue_email`
(delivered by the worker only after the transaction commits).
"""

from collections import Counter
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Membership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.accounts.uscc import normalise_uscc, validate_uscc
from manyi.campaigns.access import UNPUBLISH, can_manage_campaigns
from manyi.campaigns.categories import Category
from manyi.campaigns.models import (
    BAN_YEARS,
    CAMPAIGN_MOVES,
    REOPENABLE_STATUSES,
    AgencyQuota,
    Ban,
    BanSource,
    Campaign,
    CampaignCategory,
    CampaignStatus,
    Reopening,
)
from manyi.common.services import log_activity, queue_email, snapshot

CAMPAIGN_FIELDS = ("title", "theme", "work_plan", "opens_at", "closes_at")
CATEGORY_FIELDS = (
    "is_open",
    "data_year",
    "satisfaction_threshold",
    "minimum_customers",
    "experts_per_application",
    "title_validity_years",
    "public_notice_days",
    "resubmission_days",
    "deficiency_days",
    "expert_workload_cap",
    "severely_low_index",
    "min_training_hours",
    "min_trained_employees",
)
# The log names each move by what staff did.
MOVE_ACTIONS = {
    (CampaignStatus.DRAFT, CampaignStatus.PUBLISHED): "campaign.publish",
    (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED): "campaign.close",
    (CampaignStatus.CLOSED, CampaignStatus.ARCHIVED): "campaign.archive",
    (CampaignStatus.CLOSED, CampaignStatus.PUBLISHED): "campaign.reopen",
}
# Which move tells the agencies, and with which email template.
MOVE_EMAILS = {
    CampaignStatus.PUBLISHED: "campaign_published",
    CampaignStatus.CLOSED: "campaign_closed",
}


def default_title(year: int) -> str:
    # The official name of the call, stored as data in the measures' words: not translated.
    return f"申报{year}年广州市实施用户满意工程先进单位"


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March, so no day of the term is lost."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _require_manager(by) -> None:
    if not can_manage_campaigns(by):
        raise PermissionDenied(_("只有协会管理员和用户委员会工作人员可以管理申报活动"))


def _refuse_if_archived(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.ARCHIVED:
        raise ValidationError(_("已归档的申报活动不能修改"))


def _check_window(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("截止时间应晚于开始受理时间")})


@transaction.atomic
def create_campaign(
    *,
    by,
    year: int,
    opens_at: datetime,
    closes_at: datetime,
    theme: str = "",
    work_plan: str = "",
    title: str = "",
) -> Campaign:
    """Create a year's campaign as a draft, with the five categories open and default settings.

    Side effects, in order: the Campaign (and its first history row), five CampaignCategory
    rows whose data year is the campaign's (`default_data_year`), an activity-log entry.
    """
    _require_manager(by)
    _check_window(opens_at, closes_at)
    if Campaign.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s年的申报活动已存在") % {"year": year}})
    campaign = Campaign(
        year=year,
        title=title.strip() or default_title(year),
        theme=theme.strip(),
        work_plan=work_plan.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=by,
    )
    campaign.full_clean()
    campaign._history_user = by
    campaign.save()
    CampaignCategory.objects.bulk_create(
        CampaignCategory(campaign=campaign, category=category, data_year=default_data_year(year))
        for category in Category.values
    )
    log_activity(
        actor=by,
        action="campaign.create",
        obj=campaign,
        after=snapshot(campaign, ("year", "status", *CAMPAIGN_FIELDS)),
    )
    return campaign


def default_data_year(year: int) -> int:
    """The data year of every category unless staff change one: the year before the campaign
    ("以2017年度数据为准" in the 2018 call)."""
    return year - 1


def data_year_differences(categories) -> dict | None:
    """The categories whose data year differs from the others', for a warning to staff.

    The measures' service form printed 2016 where the other forms printed 2017: a slip more
    likely than a rule, so a difference is shown, not refused. ``usual`` is the year most of
    ``categories`` use (on a tie, the later one); ``others`` the categories that differ.
    None when all agree.
    """
    categories = list(categories)
    years = Counter(c.data_year for c in categories)
    if len(years) < 2:
        return None
    usual = max(years, key=lambda year: (years[year], year))
    return {"usual": usual, "others": [c for c in categories if c.data_year != usual]}


@transaction.atomic
def update_campaign(*, campaign: Campaign, by, data: dict) -> Campaign:
    """Change a campaign's title, theme, work plan or dates; the log keeps before and after.

    Only the changed fields are written, so a concurrent move of the status is not undone.
    Side effects: the changed fields (and a history row), an activity-log entry.
    """
    _require_manager(by)
    _refuse_if_archived(campaign)
    changed = [f for f in CAMPAIGN_FIELDS if f in data and getattr(campaign, f) != data[f]]
    if not changed:
        return campaign
    _check_window(
        data.get("opens_at", campaign.opens_at), data.get("closes_at", campaign.closes_at)
    )
    before = snapshot(campaign, changed)
    for field in changed:
        setattr(campaign, field, data[field])
    if not campaign.title.strip():
        campaign.title = default_title(campaign.year)
    campaign.full_clean()
    campaign._history_user = by
    campaign.save(update_fields=[*changed, "updated_at"])
    log_activity(
        actor=by,
        action="campaign.update",
        obj=campaign,
        before=before,
        after=snapshot(campaign, changed),
    )
    return campaign


@transaction.atomic
def set_category(*, campaign_category: CampaignCategory, by, data: dict) -> CampaignCategory:
    """Open or close a category and change its settings (data year, threshold, …).

    Side effects: the changed fields, an activity-log entry with before and after.
    """
    _require_manager(by)
    campaign = campaign_category.campaign
    _refuse_if_archived(campaign)
    if data.get("data_year") is not None and data["data_year"] > campaign.year:
        raise ValidationError({"data_year": _("数据年度不能晚于申报年度")})
    changed = [f for f in CATEGORY_FIELDS if f in data and getattr(campaign_category, f) != data[f]]
    if not changed:
        return campaign_category
    before = snapshot(campaign_category, changed)
    for field in changed:
        setattr(campaign_category, field, data[field])
    campaign_category.full_clean()
    campaign_category.save(update_fields=changed)
    # Read back what the database keeps (e.g. 82.5 is stored as 82.50), so the log says that.
    campaign_category.refresh_from_db(fields=changed)
    log_activity(
        actor=by,
        action="campaign.category_update",
        obj=campaign_category,
        before={"category": campaign_category.category, **before},
        after={"category": campaign_category.category, **snapshot(campaign_category, changed)},
    )
    return campaign_category


@transaction.atomic
def set_quota(
    *, campaign: Campaign, agency: Organisation, category: str, quota: int | None, by
) -> AgencyQuota | None:
    """Give an agency a number of recommendations in a category; 0 or None takes it away.

    An agency with no quota row for a category may not recommend in it. Side effects: the
    AgencyQuota row created, changed or deleted, an activity-log entry (none if nothing changed).
    """
    _require_manager(by)
    _refuse_if_archived(campaign)
    if agency.kind != OrgKind.AGENCY:
        raise ValidationError(_("只有推进机构可以获得推荐名额"))
    if category not in Category.values:
        raise ValidationError(_("未知的申报类别"))
    if quota is not None and quota < 0:
        raise ValidationError({"quota": _("推荐名额不能为负数")})
    rows = AgencyQuota.objects.select_for_update().filter(
        campaign=campaign, agency=agency, category=category
    )
    existing = rows.first()
    old = existing.quota if existing else None
    new = quota or None
    if old == new:
        return existing
    if new is None:
        rows.delete()
        row = None
    else:
        row, _created = AgencyQuota.objects.update_or_create(
            campaign=campaign, agency=agency, category=category, defaults={"quota": new}
        )
    key = {"agency": agency.pk, "category": category}
    log_activity(
        actor=by,
        action="campaign.quota_set",
        obj=campaign,
        organisation=agency,
        before={**key, "quota": old},
        after={**key, "quota": new},
    )
    return row


@transaction.atomic
def move_campaign(*, campaign: Campaign, to: str, by, reason: str = "") -> Campaign:
    """Publish, close, archive, or reopen (closed → published, only before closes_at).

    The update is guarded by the state the caller saw: of two staff pressing at once, one
    succeeds and the other is told politely. Side effects, in order: the status (and a history
    row), an activity-log entry with before and after, and on publish or close an email to
    every agency's staff (sent after commit).
    """
    _require_manager(by)
    current = campaign.status
    if to not in CAMPAIGN_MOVES.get(current, ()):
        raise ValidationError(
            _("申报活动不能从“%(from)s”改为“%(to)s”")
            % {
                "from": CampaignStatus(current).label,
                "to": CampaignStatus(to).label if to in CampaignStatus.values else to,
            }
        )
    now = timezone.now()
    if to == CampaignStatus.PUBLISHED:
        if campaign.closes_at <= now:
            raise ValidationError(_("截止时间已过，请先修改截止时间再发布"))
        if not campaign.categories.filter(is_open=True).exists():
            raise ValidationError(_("请至少开放一个申报类别再发布"))
    updated = Campaign.objects.filter(pk=campaign.pk, status=current).update(
        status=to, updated_at=now
    )
    if not updated:
        raise ValidationError(_("该申报活动的状态刚被其他同事修改，请刷新页面后再试"))
    campaign.refresh_from_db()
    Campaign.history.bulk_history_create(
        [campaign], update=True, default_user=by, default_change_reason=reason[:100]
    )
    log_activity(
        actor=by,
        action=MOVE_ACTIONS[(current, to)],
        obj=campaign,
        before={"status": current},
        after={"status": to},
        note=reason,
    )
    if to in MOVE_EMAILS:
        _tell_agencies(
            campaign=campaign,
            template=MOVE_EMAILS[to],
            reopened=current != CampaignStatus.DRAFT,
            before_opening=now < campaign.opens_at,
        )
    return campaign


@transaction.atomic
def unpublish_campaign(*, campaign: Campaign, by, reason: str = "") -> Campaign:
    """Take a published campaign back to draft: allowed only while it has no application.

    `access.UNPUBLISH` says who and when; the update is guarded by the published state and by
    there being no application, so an application started meanwhile keeps it published.
    Side effects, in order: the status (and a history row), an activity-log entry with before
    and after, and an email to every agency's staff that the call is withdrawn (after commit).
    """
    UNPUBLISH.require(by, campaign)
    updated = Campaign.objects.filter(
        pk=campaign.pk, status=CampaignStatus.PUBLISHED, applications__isnull=True
    ).update(status=CampaignStatus.DRAFT, updated_at=timezone.now())
    if not updated:
        raise ValidationError(_("该申报活动的状态刚被其他同事修改或已有申报，请刷新页面后再试"))
    campaign.refresh_from_db()
    Campaign.history.bulk_history_create(
        [campaign], update=True, default_user=by, default_change_reason=reason[:100]
    )
    log_activity(
        actor=by,
        action="campaign.unpublish",
        obj=campaign,
        before={"status": CampaignStatus.PUBLISHED},
        after={"status": CampaignStatus.DRAFT},
        note=reason,
    )
    _tell_agencies(campaign=campaign, template="campaign_unpublished", reopened=False)
    return campaign


def _tell_agencies(
    *, campaign: Campaign, template: str, reopened: bool, before_opening: bool = False
) -> None:
    quotas: dict[int, list[AgencyQuota]] = {}
    for quota in campaign.quotas.all():
        quotas.setdefault(quota.agency_id, []).append(quota)
    staff = Membership.objects.filter(
        role=Role.AGENCY_STAFF,
        is_active=True,
        organisation__kind=OrgKind.AGENCY,
        organisation__is_active=True,
    ).select_related("user", "organisation")
    for membership in staff:
        queue_email(
            to=membership.user.email,
            template=template,
            context={
                "campaign": campaign,
                "agency": membership.organisation,
                "quotas": [
                    {"category": q.get_category_display(), "quota": q.quota}
                    for q in quotas.get(membership.organisation_id, [])
                ],
                "reopened": reopened,
                "before_opening": before_opening,
                "url": reverse("campaigns:detail", args=[campaign.year]),
            },
        )


@transaction.atomic
def add_ban(
    *,
    by,
    uscc: str,
    organisation_name: str,
    reason: str,
    decided_on: date,
    source: str = BanSource.FRAUD,
) -> Ban:
    """Record that no application is accepted from this USCC for five years (Art. 26).

    ends_on is decided_on plus five years: the ban holds up to the day before. Side effects:
    the Ban row, an activity-log entry (linked to the organisation if it is registered).
    """
    _require_manager(by)
    code = normalise_uscc(uscc)
    try:
        validate_uscc(code)
    except ValidationError as exc:
        raise ValidationError({"uscc": exc.messages}) from exc
    errors = {}
    if not organisation_name.strip():
        errors["organisation_name"] = _("请填写单位名称")
    if not reason.strip():
        errors["reason"] = _("请写明事由")
    if source not in BanSource.values:
        errors["source"] = _("请选择依据")
    if errors:
        raise ValidationError(errors)
    ends_on = add_years(decided_on, BAN_YEARS)
    overlapping = Ban.objects.filter(
        uscc=code, lifted_at__isnull=True, decided_on__lt=ends_on, ends_on__gt=decided_on
    ).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "uscc": _("该单位已在禁止申报期内（%(start)s 至 %(end)s），无需重复登记")
                % {"start": overlapping.decided_on, "end": overlapping.ends_on}
            }
        )
    ban = Ban(
        uscc=code,
        organisation_name=organisation_name.strip(),
        reason=reason.strip(),
        source=source,
        decided_on=decided_on,
        ends_on=ends_on,
        created_by=by,
    )
    ban.full_clean()
    ban.save()
    log_activity(
        actor=by,
        action="ban.add",
        obj=ban,
        organisation=Organisation.objects.filter(uscc=code).first(),
        after=snapshot(ban, ("uscc", "organisation_name", "source", "decided_on", "ends_on")),
        note=ban.reason,
    )
    return ban


@transaction.atomic
def lift_ban(*, ban: Ban, by, reason: str) -> Ban:
    """Lift a ban before its term ends (e.g. the decision was overturned), with a reason.

    Guarded by the old state: a ban is lifted once. Side effects: lifted_at, lifted_by and
    lift_reason; an activity-log entry with before and after.
    """
    _require_manager(by)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明解除原因")})
    fields = ("lifted_at", "lifted_by_id", "lift_reason")
    before = snapshot(ban, fields)
    updated = Ban.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=by, lift_reason=reason.strip()
    )
    if not updated:
        raise ValidationError(_("该禁止申报记录已被解除"))
    ban.refresh_from_db()
    log_activity(
        actor=by,
        action="ban.lift",
        obj=ban,
        organisation=Organisation.objects.filter(uscc=ban.uscc).first(),
        before=before,
        after=snapshot(ban, fields),
        note=ban.lift_reason,
    )
    return ban


@transaction.atomic
def reopen_for_applicant(
    *,
    campaign: Campaign,
    organisation: Organisation,
    category: str,
    until: datetime,
    reason: str,
    by,
) -> Reopening:
    """Let one enterprise submit or change one category after closing time, until `until`.

    Side effects, in order: the Reopening row, an activity-log entry with the reason, and an
    email to the enterprise's people (sent after commit).
    """
    _require_manager(by)
    if campaign.status not in REOPENABLE_STATUSES:
        raise ValidationError(_("只有已发布或已截止的申报活动可以单独开放"))
    errors = {}
    if organisation.kind != OrgKind.ENTERPRISE:
        errors["organisation"] = _("只能为申报企业单独开放")
    elif Ban.objects.in_force(timezone.localdate()).filter(uscc=organisation.uscc).exists():
        errors["organisation"] = _("该单位在禁止申报期内，不能单独开放")
    if not campaign.categories.filter(category=category, is_open=True).exists():
        errors["category"] = _("该类别本年度未开放申报")
    if until <= timezone.now():
        errors["until"] = _("开放截止时间应晚于当前时间")
    if not reason.strip():
        errors["reason"] = _("请写明单独开放的原因")
    if errors:
        raise ValidationError(errors)
    reopening = Reopening.objects.create(
        campaign=campaign,
        organisation=organisation,
        category=category,
        until=until,
        reason=reason.strip(),
        created_by=by,
    )
    log_activity(
        actor=by,
        action="campaign.reopen_for_applicant",
        obj=reopening,
        organisation=organisation,
        after=snapshot(reopening, ("campaign_id", "organisation_id", "category", "until")),
        note=reopening.reason,
    )
    for member in organisation.memberships.filter(is_active=True).select_related("user"):
        queue_email(
            to=member.user.email,
            template="campaign_reopening",
            context={
                "campaign": campaign,
                "enterprise": organisation,
                "category": reopening.get_category_display(),
                "until": reopening.until,
                "reason": reopening.reason,
                "url": reverse("campaigns:detail", args=[campaign.year]),
            },
        )
    return reopening
