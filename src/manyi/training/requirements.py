"""The training a campaign category may require before an organisation applies (Art. 18).

`CampaignCategory.min_training_hours` and `min_trained_employees` set it; zero asks nothing.
What counts: an enrolment whose employee belongs to the applicant, attended, scored at or
above the class's pass mark, in a class not cancelled that started in the campaign's year or
the year before (a campaign of 2026 counts the classes of 2025 and 2026).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus
from manyi.training.models import ClassStatus, Enrolment


def passed_enrolments(organisation_id: int, *, since_year: int, until_year: int | None = None):
    """The applicant's employees' passed enrolments in classes from `since_year` on (to
    `until_year` included, when given)."""
    qs = Enrolment.objects.filter(
        employee__organisation_id=organisation_id,
        attended=True,
        score__gte=F("training_class__pass_score"),
        training_class__starts_at__year__gte=since_year,
    ).exclude(training_class__status=ClassStatus.CANCELLED)
    if until_year is not None:
        qs = qs.filter(training_class__starts_at__year__lte=until_year)
    return qs


def training_done(
    organisation_id: int, *, since_year: int, until_year: int | None = None
) -> tuple[Decimal, int]:
    """(hours passed in all, employees with at least one pass) in the window."""
    qs = passed_enrolments(organisation_id, since_year=since_year, until_year=until_year)
    hours = qs.aggregate(total=Sum("training_class__hours"))["total"] or Decimal(0)
    people = qs.values("employee_id").distinct().count()
    return hours, people


def window(campaign_year: int) -> tuple[int, int]:
    """The years whose classes count for a campaign: the year before and its own."""
    return campaign_year - 1, campaign_year


def hours_text(hours) -> str:
    """Hours as people write them: 16, 7.5 (never 16.0)."""
    return f"{Decimal(hours).normalize():f}"


def training_problems(application) -> list[str]:
    """What the applicant's training lacks for its category, in words (empty: nothing)."""
    setting = CampaignCategory.objects.filter(
        campaign_id=application.campaign_id, category=application.category
    ).first()
    if setting is None or (not setting.min_training_hours and not setting.min_trained_employees):
        return []
    since, until = window(application.campaign.year)
    hours, people = training_done(application.organisation_id, since_year=since, until_year=until)
    years = {"since": since, "until": until}
    problems = []
    if hours < setting.min_training_hours:
        problems.append(
            _(
                "本单位职工 %(since)d—%(until)d 年培训考核合格学时合计 %(have)s 学时，"
                "申报本类别至少需要 %(need)s 学时（第十八条）"
            )
            % {**years, "have": hours_text(hours), "need": hours_text(setting.min_training_hours)}
        )
    if people < setting.min_trained_employees:
        problems.append(
            _(
                "本单位 %(since)d—%(until)d 年培训考核合格的职工 %(have)d 人，"
                "申报本类别至少需要 %(need)d 人（第十八条）"
            )
            % {**years, "have": people, "need": setting.min_trained_employees}
        )
    return problems


@dataclass
class Requirement:
    campaign: object
    category: object
    need_hours: Decimal
    need_people: int
    have_hours: Decimal
    have_people: int
    since_year: int
    until_year: int

    @property
    def met(self) -> bool:
        return self.have_hours >= self.need_hours and self.have_people >= self.need_people


def requirements_for(organisation) -> list[Requirement]:
    """Each category of a published campaign not yet closed that asks for training, with
    what the organisation has in the window the submission check counts (the campaign's year
    and the year before)."""
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.PUBLISHED, closes_at__gt=timezone.now()
    )
    settings = (
        CampaignCategory.objects.filter(campaign__in=campaigns, is_open=True)
        .filter(Q(min_training_hours__gt=0) | Q(min_trained_employees__gt=0))
        .select_related("campaign")
        .order_by("campaign__year", "id")
    )
    done: dict[int, tuple[Decimal, int]] = {}
    found = []
    for setting in settings:
        since, until = window(setting.campaign.year)
        if since not in done:
            done[since] = training_done(organisation.pk, since_year=since, until_year=until)
        hours, people = done[since]
        found.append(
            Requirement(
                campaign=setting.campaign,
                category=setting,
                need_hours=setting.min_training_hours,
                need_people=setting.min_trained_employees,
                have_hours=hours,
                have_people=people,
                since_year=since,
                until_year=until,
            )
        )
    return found
