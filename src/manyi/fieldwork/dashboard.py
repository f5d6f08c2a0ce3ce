"""Dashboard panels of the third-party survey (collected by ``portal.dashboard``).

Programme staff see the current campaign's surveys by status and the flagged responses
waiting; a survey firm's manager the firm's work to review; an interviewer the calls to make;
an applicant only whether its survey is under way or its result released (no figures before).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.common.panels import panel
from manyi.common.punctuation import labelled
from manyi.fieldwork.models import (
    ContactStatus,
    QcStatus,
    Response,
    SampledContact,
    Survey,
    SurveyPurpose,
    SurveyStatus,
)
from manyi.fieldwork.selectors import firm_ids_of
from manyi.fieldwork.states import APPLICANT_WORDING, OPEN_CONTACT

PANEL_ORDER = 24
# The applicant's panels: its latest surveys, newest first.
APPLICANT_PANELS = 3


def panels(user) -> list[dict]:
    found = []
    if has_role(user, *PROGRAMME_STAFF):
        found.append(_staff_panel())
    if has_role(user, Role.SURVEY_MANAGER):
        found.append(_manager_panel(user))
    if has_role(user, Role.SURVEYOR):
        found.append(_interviewer_panel(user))
    if has_role(user, Role.ENTERPRISE_USER):
        found += _applicant_panels(user)
    return found


def _staff_panel() -> dict:
    from manyi.campaigns.selectors import current_campaign

    campaign = current_campaign()
    counts = (
        dict(
            Survey.objects.filter(campaign=campaign)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if campaign
        else {}
    )
    waiting = Response.objects.filter(
        qc_status=QcStatus.FLAGGED, survey__status=SurveyStatus.IN_FIELD
    ).count()
    items = [
        labelled(label, counts[value]) for value, label in SurveyStatus.choices if counts.get(value)
    ]
    if waiting:
        items.append(labelled(_("待调查机构复核的回答"), waiting))
    return panel(
        _("第三方用户评价调查"),
        count=sum(counts.values()),
        items=items,
        url=reverse("fieldwork:survey_list"),
        link_text=_("全部调查"),
        empty=_("本年度尚未委托调查"),
    )


def _manager_panel(user) -> dict:
    firms = [o.pk for o in organisations_for(user, Role.SURVEY_MANAGER)]
    in_field = Q(survey__firm_id__in=firms, survey__status=SurveyStatus.IN_FIELD)
    surveys = Survey.objects.filter(firm_id__in=firms, status=SurveyStatus.IN_FIELD).count()
    flagged = Response.objects.filter(in_field, qc_status=QcStatus.FLAGGED).count()
    to_verify = SampledContact.objects.filter(
        in_field, verify_selected=True, verify_result=""
    ).count()
    return panel(
        _("待复核的问卷回答"),
        count=flagged,
        items=[
            labelled(_("调查中的项目"), surveys),
            labelled(_("待回访复核的访问"), to_verify),
        ],
        url=reverse("fieldwork:review_list"),
        link_text=_("复核回答"),
    )


def _interviewer_panel(user) -> dict:
    counts = SampledContact.objects.filter(
        interviewer=user,
        is_reserve=False,
        status__in=OPEN_CONTACT,
        survey__status=SurveyStatus.IN_FIELD,
        survey__firm_id__in=firm_ids_of(user),
    ).aggregate(
        open=Count("pk"),
        due=Count(
            "pk",
            filter=Q(status=ContactStatus.CALLBACK, callback_at__lte=timezone.now()),
        ),
    )
    return panel(
        _("我的电话访问"),
        count=counts["open"],
        items=[labelled(_("已到时间的预约回拨"), counts["due"])] if counts["due"] else [],
        # Reversed here, not at import: the call queue belongs to the calls package.
        url=reverse("fieldwork:call_queue"),
        link_text=_("打开访问队列"),
        empty=_("暂无待拨打的用户"),
    )


def _applicant_panels(user) -> list[dict]:
    from manyi.applications.selectors import applications

    words = {"under_way": _("第三方调查进行中"), "released": _("调查结果已发布")}
    surveys = (
        Survey.objects.filter(application__in=applications(user), purpose=SurveyPurpose.APPLICATION)
        .select_related("application")
        .order_by("-assigned_at")[:APPLICANT_PANELS]
    )
    return [
        panel(
            _("第三方用户评价调查"),
            items=[
                labelled(s.application.get_category_display(), words[APPLICANT_WORDING[s.status]])
            ],
            url=reverse("applications:detail", args=[s.application_id]),
            link_text=_("查看申报"),
        )
        for s in surveys
    ]
