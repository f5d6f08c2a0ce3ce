"""The training a campaign category may require before an organisation applies (Art. 18).

`CampaignCategory.min_training_hours` and `min_trained_employees` set it; zero asks nothing.
What counts: an enrolment whose employee belongs to the applicant, attended, scored at or
above the class's pass mark, in a class that started in the campaign's year or the year before.
"""

from decimal import Decimal

from django.db.models import F, Sum
from django.utils.translation import gettext as _

from manyi.campaigns.models import CampaignCategory
from manyi.training.models import ClassStatus, Enrolment


def passed_enrolments(organisation_id: int, *, since_year: int):
    """The applicant's employees' passed enrolments in classes from `since_year` on."""
    return Enrolment.objects.filter(
        employee__organisation_id=organisation_id,
        attended=True,
        score__gte=F("training_class__pass_score"),
        training_class__starts_at__year__gte=since_year,
    ).exclude(training_class__status=ClassStatus.CANCELLED)


def training_done(organisation_id: int, *, since_year: int) -> tuple[Decimal, int]:
    """(hours passed in all, employees with at least one pass) since `since_year`."""
    qs = passed_enrolments(organisation_id, since_year=since_year)
    hours = qs.aggregate(total=Sum("training_class__hours"))["total"] or Decimal(0)
    people = qs.values("employee_id").distinct().count()
    return hours, people


def training_problems(application) -> list[str]:
    setting = CampaignCategory.objects.filter(
        campaign_id=application.campaign_id, category=application.category
    ).first()
    if setting is None or (not setting.min_training_hours and not setting.min_trained_employees):
        return []
    hours, people = training_done(
        application.organisation_id, since_year=application.campaign.year - 1
    )
    problems = []
    if hours < setting.min_training_hours:
        problems.append(
            _(
                "本单位职工培训考核合格学时合计 %(have)s 学时，申报本类别至少需要 %(need)s 学时（第十八条）"
            )
            % {"have": f"{hours:g}", "need": f"{setting.min_training_hours:g}"}
        )
    if people < setting.min_trained_employees:
        problems.append(
            _("本单位培训考核合格的职工 %(have)d 人，申报本类别至少需要 %(need)d 人（第十八条）")
            % {"have": people, "need": setting.min_trained_employees}
        )
    return problems
