"""Everything the measures ask before an application may go to the agency, listed all at once
(一次性告知): the applicant sees every missing part in one go, not one refusal at a time."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.applications.forms.specs import MATERIALS, count_chars, form_spec
from manyi.applications.forms.validation import validate_form
from manyi.applications.models import Application, AttachmentKind, CustomerListStatus
from manyi.campaigns.models import CampaignCategory
from manyi.campaigns.selectors import ban_in_force, is_open_for
from manyi.common.punctuation import join_words, labelled, local_date
from manyi.training.requirements import training_problems

# Evidence the measures ask of each category (另请提供…复印件).
REQUIRED_EVIDENCE = {
    "brand": AttachmentKind.TRADEMARK,
    "product": AttachmentKind.TRADEMARK,
    "enterprise": AttachmentKind.BUSINESS_LICENCE,
    "engineering": AttachmentKind.AWARD,
}


def material_problems(application: Application) -> list[str]:
    problems = []
    for item in MATERIALS:
        text = getattr(application, item.key) or ""
        n = count_chars(text)
        title = item.title_for(application.category)
        if n == 0:
            problems.append(_("请填写材料“%(title)s”") % {"title": title})
        elif item.min_chars and n < item.min_chars:
            problems.append(
                _("“%(title)s”只有 %(n)d 字，应不少于 %(min)d 字")
                % {"title": title, "n": n, "min": item.min_chars}
            )
        elif item.max_chars and n > item.max_chars:
            problems.append(
                _("“%(title)s”有 %(n)d 字，应不超过 %(max)d 字")
                % {"title": title, "n": n, "max": item.max_chars}
            )
    return problems


def form_problems(application: Application) -> list[str]:
    spec = form_spec(application.category)
    errors = validate_form(
        spec,
        application.form_data,
        chosen_trades=set(application.chosen_trades),
        reasons=application.empty_reasons,
        organisation_name=application.organisation.name,
        for_submission=True,
    )
    return [labelled(form_number(spec.number), message) for message in errors.values()]


def form_number(number: str) -> str:
    """附件4-3 as the reader's language names it (Annex 4-3 in English)."""
    return _("附件%(n)s") % {"n": number.removeprefix("附件")}


def agency_problems(application: Application) -> list[str]:
    """The recommending agency: chosen, allowed to recommend (not disqualified, recognised and
    not suspended: the same words as `access.RECOMMEND` refuses with), confirmed as the
    applicant's, and with places."""
    from manyi.accounts.models import AgencyMembership
    from manyi.applications.access import agency_disqualified, recognition_words
    from manyi.campaigns.selectors import quota_of

    agency = application.agency
    if agency is None:
        return [_("尚未选择推荐单位（推进机构），请在申报页选择")]
    if agency.disqualified_on is not None:
        return list(agency_disqualified().messages)
    if words := recognition_words(agency):
        return [words]
    confirmed = AgencyMembership.objects.filter(
        enterprise_id=application.organisation_id, agency=agency, confirmed_at__isnull=False
    ).exists()
    if not confirmed:
        return [_("推进机构尚未确认贵单位的会员关系（%(agency)s）") % {"agency": agency}]
    if quota_of(application.campaign, agency, application.category) <= 0:
        return [no_places_message(application.campaign, agency, application.category)]
    return []


def no_places_message(campaign, agency, category: str) -> str:
    """Said at start and at submission: this agency has no places; these agencies have."""
    from manyi.campaigns.categories import Category
    from manyi.campaigns.selectors import agencies_with_quota

    others = [a.name for a in agencies_with_quota(campaign, category) if a.pk != agency.pk]
    message = _("%(agency)s 在“%(category)s”类别没有推荐名额，不能由其推荐") % {
        "agency": agency,
        "category": Category(category).label,
    }
    if others:
        message += _("；有名额的推荐单位：%(others)s") % {"others": join_words(others)}
    return message


def submission_problems(application: Application) -> list[str]:
    organisation = application.organisation
    campaign = application.campaign
    problems: list[str] = []
    ban = ban_in_force(organisation.uscc or "")
    if ban is not None:
        problems.append(
            _("根据《管理办法》第二十六条，该单位在 %(date)s 之前不得申报")
            % {"date": local_date(ban.ends_on)}
        )
    if not is_open_for(campaign, organisation, application.category):
        problems.append(_("申报已截止或该类别未开放"))
    problems += agency_problems(application)
    problems += training_problems(application)
    for _key, _label, check in PARTS:
        problems += check(application)
    return problems


def confirmation_problems(application: Application) -> list[str]:
    """附件2: signed by the responsible person, with the application's category ticked."""
    confirmation = application.campaign.confirmations.filter(
        organisation_id=application.organisation_id
    ).first()
    if confirmation is None or not confirmation.signer:
        return [_("请填写并由负责人签署活动确认表（附件2）")]
    if application.category not in confirmation.data.get("categories", []):
        return [
            _("活动确认表（附件2）中未勾选“%(category)s”")
            % {"category": application.get_category_display()}
        ]
    return []


def evidence_problems(application: Application) -> list[str]:
    kind = REQUIRED_EVIDENCE.get(application.category)
    if kind and not application.attachments.filter(kind=kind).exists():
        return [_("请上传%(kind)s") % {"kind": AttachmentKind(kind).label}]
    return []


# The forms print 企业名称（公章） and 附件2 asks 负责人签字 and 单位公章: the applicant uploads
# the signed and sealed paper of each, scanned (checked by content like all evidence).
SIGNED_SCANS = (AttachmentKind.SIGNED_CONFIRMATION, AttachmentKind.SIGNED_FORM)


def signed_scans(application: Application) -> list[dict]:
    """Each signed and sealed scan the application needs, with whether it was uploaded."""
    present = set(
        application.attachments.filter(kind__in=SIGNED_SCANS).values_list("kind", flat=True)
    )
    return [
        {"kind": kind, "label": AttachmentKind(kind).label, "present": kind in present}
        for kind in SIGNED_SCANS
    ]


def signed_scan_problems(application: Application) -> list[str]:
    return [
        _("请上传%(kind)s") % {"kind": scan["label"]}
        for scan in signed_scans(application)
        if not scan["present"]
    ]


def customer_list_problems(application: Application) -> list[str]:
    minimum = (
        CampaignCategory.objects.filter(
            campaign_id=application.campaign_id, category=application.category
        )
        .values_list("minimum_customers", flat=True)
        .first()
        or 30
    )
    current = application.customer_lists.filter(
        is_current=True, status=CustomerListStatus.ACCEPTED
    ).first()
    if current is None:
        return [_("请上传用户名单（附件3）")]
    if current.row_count < minimum:
        return [
            _("用户名单只有 %(n)d 个用户，至少需要 %(min)d 个")
            % {"n": current.row_count, "min": minimum}
        ]
    return []


def appraisal_problems(application: Application) -> list[str]:
    if application.category != "engineering":
        return []
    # The client's appraisal (续表4-4) is sent by the recommending agency after submission:
    # the applicant only proposes the client's contact.
    appraisal = getattr(application, "client_appraisal", None)
    if appraisal is None or not appraisal.contact_email:
        return [
            _(
                "工程类须填写建设单位（用户）联系人，以便推荐单位发送满意度评价鉴定意见"
                "（续表4-4）的评价链接"
            )
        ]
    return []


# The parts of an application the applicant completes, in the order of the detail page; each
# check is the one submission runs, so "done" on the page means submission will not refuse it.
PARTS = (
    ("confirmation", gettext_lazy("活动确认表（附件2）"), confirmation_problems),
    ("form", gettext_lazy("申请表"), form_problems),
    ("materials", gettext_lazy("企业实施用户满意工程情况介绍（四项材料）"), material_problems),
    ("evidence", gettext_lazy("证明材料"), evidence_problems),
    ("signed_scans", gettext_lazy("签字盖章的活动确认表和申请表扫描件"), signed_scan_problems),
    ("customers", gettext_lazy("用户名单（附件3）"), customer_list_problems),
    (
        "appraisal",
        gettext_lazy("建设单位（用户）满意度评价鉴定意见（续表4-4）"),
        appraisal_problems,
    ),
)


def part_status(application: Application) -> list[dict]:
    """Done or not for each part the application has (续表4-4 for engineering only), with the
    problems that keep a part from being done."""
    rows = []
    for key, label, check in PARTS:
        if key == "appraisal" and application.category != "engineering":
            continue
        problems = check(application)
        rows.append({"key": key, "label": label, "done": not problems, "problems": problems})
    return rows
