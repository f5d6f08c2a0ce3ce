"""Third-party surveys of title holders (Art. 22): launched by committee staff, run by the
survey firm exactly like an application's survey, and judged against the severely-low line.

- `launch_holder_surveys`: for each chosen valid title, a fieldwork Survey of purpose HOLDER
  on the title's application (`fieldwork.sampling.assignment.assign_holder_survey`: the same
  questionnaire, design and customer list as the application survey) and a `HolderSurvey`
  with the line in force; all or nothing.
- `assess_holder_survey`: once the survey's measurement is done, the index is stored; below
  the line a revocation case is opened by the system for a person to decide. Assessed once.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.campaigns.models import DEFAULT_SEVERELY_LOW_INDEX, Campaign, CampaignCategory
from manyi.common.punctuation import labelled, local_date
from manyi.common.services import log_activity
from manyi.supervision.holders.access import ASSESS, LAUNCH
from manyi.supervision.models import HolderSurvey, RevocationReason
from manyi.titles.models import Title, TitleStatus

OFFICIAL_LANGUAGE = "zh-hans"


def severely_low_of(title: Title) -> Decimal:
    """The severely-low line of the title's campaign category (Art. 22)."""
    value = (
        CampaignCategory.objects.filter(
            campaign_id=title.application.campaign_id, category=title.category
        )
        .values_list("severely_low_index", flat=True)
        .first()
    )
    return Decimal(value if value is not None else DEFAULT_SEVERELY_LOW_INDEX)


def campaign_of_launch(title: Title, field_opens) -> Campaign:
    """The campaign a holder survey counts in: the one of the year its fieldwork opens (so
    its phones are kept apart from that year's other surveys, and not from the title's own
    application survey), else the title's own."""
    return Campaign.objects.filter(year=field_opens.year).first() or title.application.campaign


def _title_problem(title: Title) -> str:
    if title.status != TitleStatus.VALID:
        return _("称号%(status)s，不能再调查") % {"status": title.get_status_display()}
    if title.valid_until < timezone.localdate():
        return _("称号已过有效期（%(day)s）") % {"day": local_date(title.valid_until)}
    if HolderSurvey.objects.filter(title=title, assessed_at__isnull=True).exists():
        return _("已有一项尚未判定的获证后调查")
    return ""


def launch_holder_surveys(
    *, titles, firm, field_opens, field_closes, by, **design
) -> list[HolderSurvey]:
    """Give a later survey of each chosen title holder to a survey firm, all or nothing.

    `design`: the sample design settings of `assign_survey` (margin, confidence, …). Refused,
    with nothing stored, when no title is chosen, the firm or the field period is not valid
    (errors by field), or any title is not valid, has expired, already has a survey awaiting
    its assessment, or its application has no accepted customer list or its category no
    published questionnaire (each such title named with its reason). Side effects, in one
    transaction, per title, in order: the fieldwork Survey (purpose HOLDER, logged
    "survey.assign"); the HolderSurvey with the severely-low line of the title's campaign
    category; an activity-log entry "holder_survey.launch".
    """
    from manyi.fieldwork.sampling.assignment import assign_holder_survey

    LAUNCH.require(by, None)
    titles = list(titles)
    if not titles:
        raise ValidationError({"titles": _("请至少选择一个称号")})
    if field_opens is None:
        raise ValidationError({"field_opens": _("请填写调查开始日期")})
    launched, problems = [], []
    with transaction.atomic():
        locked = list(
            Title.objects.select_for_update(of=("self",))
            .select_related("organisation", "application__organisation", "application__campaign")
            .filter(pk__in=[t.pk for t in titles])
            .order_by("number")
        )
        for title in locked:
            name = f"{title.number} {title.organisation.name}"
            problem = _title_problem(title)
            if problem:
                problems.append(labelled(name, problem))
                continue
            try:
                with transaction.atomic():
                    survey = assign_holder_survey(
                        application=title.application,
                        campaign=campaign_of_launch(title, field_opens),
                        firm=firm,
                        field_opens=field_opens,
                        field_closes=field_closes,
                        by=by,
                        **design,
                    )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):  # the firm, period or design: the whole launch
                    raise
                problems += [labelled(name, message) for message in exc.messages]
                continue
            holder_survey = HolderSurvey.objects.create(
                title=title, survey=survey, severely_low=severely_low_of(title), launched_by=by
            )
            log_activity(
                actor=by,
                action="holder_survey.launch",
                obj=holder_survey,
                organisation=title.organisation,
                after={
                    "title": title.number,
                    "survey": survey.pk,
                    "firm": firm.name,
                    "field": [field_opens.isoformat(), field_closes.isoformat()],
                    "severely_low": holder_survey.severely_low,
                },
            )
            launched.append(holder_survey)
        if problems:  # raised inside the transaction: every survey made above is undone
            raise ValidationError(problems)
    return launched


def low_index_facts(holder_survey: HolderSurvey, index: Decimal) -> str:
    """The case's facts (in Chinese: the text is the record)."""
    survey = holder_survey.survey
    with translation.override(OFFICIAL_LANGUAGE):
        return _(
            "获证后第三方用户评价调查（调查机构：%(firm)s，调查期 %(opens)s 至 %(closes)s）"
            "测得用户满意度指数 %(index)s，低于严重偏低线 %(line)s。根据《广州市实施用户满意"
            "工程管理办法》第二十二条，用户满意度严重偏低的，撤销有关组织参与活动的资格。"
        ) % {
            "firm": survey.firm.name,
            "opens": survey.field_opens.isoformat(),
            "closes": survey.field_closes.isoformat(),
            "index": index,
            "line": holder_survey.severely_low,
        }


def assess_holder_survey(*, holder_survey: HolderSurvey, by=None) -> HolderSurvey:
    """Compare a holder survey's index with its severely-low line, once.

    `by` is None when the measurement's end is heard by the system, else the committee staff
    who asked again ("重新判定"). A survey already assessed is returned unchanged. Refused while
    the survey has no finished measurement. Side effects, in one transaction, in order: the
    index and the time of the assessment; an activity-log entry "holder_survey.assess" (actor
    系统 when `by` is None); when the index is below the line and the title is valid with no
    case in progress, a revocation case opened by the system for a person to decide
    (`open_revocation`, by=None: logged, mailed to committee staff).
    """
    from manyi.fieldwork.results.summary import survey_result
    from manyi.supervision.revocations.opening import open_case_of, open_revocation

    if by is not None:
        ASSESS.require(by, holder_survey)
    with transaction.atomic():
        current = (
            HolderSurvey.objects.select_for_update(of=("self",))
            .select_related("survey__run", "survey__firm", "survey__application", "title")
            .get(pk=holder_survey.pk)
        )
        if current.assessed_at is not None:
            return current
        result = survey_result(current.survey)
        if result is None or result.index is None:
            raise ValidationError(_("调查尚未结束或测评计算尚未完成，暂不能判定"))
        index = Decimal(str(result.index)).quantize(Decimal("0.01"))
        current.index = index
        current.assessed_at = timezone.now()
        current.save(update_fields=["index", "assessed_at"])
        below = index < current.severely_low
        title = (
            Title.objects.select_for_update()
            .select_related("organisation")
            .get(pk=current.title_id)
        )
        opened = None
        if below and title.status == TitleStatus.VALID and open_case_of(title) is None:
            opened = open_revocation(
                title=title,
                reason=RevocationReason.LOW_SATISFACTION,
                facts=low_index_facts(current, index),
                by=None,
                holder_survey=current,
            )
        log_activity(
            actor=by or _("系统"),
            action="holder_survey.assess",
            obj=current,
            organisation=title.organisation,
            after={
                "index": index,
                "severely_low": current.severely_low,
                "below": below,
                "revocation": opened.pk if opened else None,
            },
        )
    holder_survey.index, holder_survey.assessed_at = current.index, current.assessed_at
    return current
