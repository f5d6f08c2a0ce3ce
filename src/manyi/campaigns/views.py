from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from manyi.accounts.access import has_role
from manyi.accounts.decorators import public, role_required
from manyi.accounts.roles import Role
from manyi.campaigns import selectors, services
from manyi.campaigns.access import MANAGER_ROLES, UNPUBLISH, can_manage_campaigns
from manyi.campaigns.categories import (
    CLIENT_APPRAISAL_POINTS,
    CUSTOMER_LIST_COLUMNS,
    FORMS,
    TEN_POINTS,
    Category,
    materials,
)
from manyi.campaigns.filters import BanFilter, ReopeningFilter
from manyi.campaigns.forms import (
    BanForm,
    CampaignForm,
    CategoryForm,
    LiftBanForm,
    MoveForm,
    QuotaForm,
    ReopeningForm,
)
from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus
from manyi.common.forms import add_validation_errors
from manyi.common.listing import paginate
from manyi.common.templatetags.manyi import cn_date

MOVE_DONE = {
    CampaignStatus.PUBLISHED: gettext_lazy("申报活动已发布，各推进机构已收到通知"),
    CampaignStatus.CLOSED: gettext_lazy("申报活动已截止受理"),
    CampaignStatus.ARCHIVED: gettext_lazy("申报活动已归档"),
    CampaignStatus.DRAFT: gettext_lazy("申报活动已撤回为草稿，各推进机构已收到通知"),
}
# A campaign closed before its opening time never accepted anything: it is not "截止受理".
CLOSED_BEFORE_OPENING = gettext_lazy("申报活动已关闭（未开始受理），各推进机构已收到通知")
CLOSE_BEFORE_OPENING_LABEL = gettext_lazy("关闭（未开始受理）")


@public
def campaign_list(request):
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": selectors.campaign_list(request.user),
            "can_manage": can_manage_campaigns(request.user),
        },
    )


@public
def current(request):
    """The link to give out: the current campaign, and in words whether it is open."""
    current = selectors.current_campaign_state()
    if current is None:
        messages.info(request, _("目前没有正在进行的申报活动"))
        return redirect("campaigns:list")
    if not current.is_open:
        messages.info(request, current.headline())
    return redirect("campaigns:detail", year=current.campaign.year)


@public
def campaign_detail(request, year):
    """What to submit and by when; agencies also see their quotas, staff the controls."""
    campaign = selectors.campaign_for(request.user, year)
    categories = [
        {"setting": c, "form": FORMS[c.category]}
        for c in selectors.campaign_categories(campaign, open_only=True)
    ]
    open_codes = {str(c["setting"].category) for c in categories}
    can_manage = can_manage_campaigns(request.user)
    user = request.user
    not_yet_open = (
        campaign.status == CampaignStatus.PUBLISHED and timezone.now() < campaign.opens_at
    )
    context = {
        "campaign": campaign,
        "categories": categories,
        "accepting": campaign.is_accepting(),
        "not_yet_open": not_yet_open,
        "ten_points": TEN_POINTS,
        "customer_columns": CUSTOMER_LIST_COLUMNS,
        "appraisal_points": CLIENT_APPRAISAL_POINTS,
        "open_codes": open_codes,
        "materials": materials(Category.ENTERPRISE),
        "brand_products_item": FORMS[Category.BRAND].products_item,
        "can_manage": can_manage,
        "data_years": (
            services.data_year_differences(c["setting"] for c in categories) if can_manage else None
        ),
        "next_moves": _move_buttons(campaign, not_yet_open) if can_manage else [],
        "can_unpublish": UNPUBLISH.allows(user, campaign),
        "quotas": (
            list(selectors.quotas_for_agency(user, campaign))
            if has_role(user, Role.AGENCY_STAFF)
            else None
        ),
        "my_reopenings": (
            list(selectors.my_reopenings(user, campaign))
            if has_role(user, Role.ENTERPRISE_USER)
            else []
        ),
        "my_bans": selectors.my_bans(user) if has_role(user, Role.ENTERPRISE_USER) else [],
    }
    return render(request, "campaigns/campaign_detail.html", context)


def _move_buttons(campaign, not_yet_open: bool) -> list[tuple[str, str]]:
    """The move buttons; closing before the opening time says so instead of 截止受理."""
    return [
        (to, CLOSE_BEFORE_OPENING_LABEL if to == CampaignStatus.CLOSED and not_yet_open else label)
        for to, label in campaign.next_moves()
    ]


@role_required(*MANAGER_ROLES)
def campaign_create(request):
    form = CampaignForm(
        request.POST or None, creating=True, initial={"year": selectors.next_free_year()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.create_campaign(
                by=request.user,
                year=data["year"],
                title=data["title"],
                theme=data["theme"],
                work_plan=data["work_plan"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("已创建申报活动草稿，请核对各类别的设置和推荐名额后发布"))
            return redirect("campaigns:edit", year=campaign.year)
    return render(request, "campaigns/campaign_form.html", {"form": form, "creating": True})


@role_required(*MANAGER_ROLES)
def campaign_edit(request, year):
    campaign = selectors.managed_campaign(request.user, year)
    data = request.POST or None
    form = CampaignForm(data, instance=Campaign.objects.get(pk=campaign.pk))
    category_forms = [
        (
            setting,
            CategoryForm(
                data, instance=CampaignCategory.objects.get(pk=setting.pk), prefix=setting.category
            ),
        )
        for setting in selectors.campaign_categories(campaign)
    ]
    all_forms = [form, *(f for _s, f in category_forms)]
    if request.method == "POST" and all(f.is_valid() for f in all_forms):
        target = form
        try:
            with transaction.atomic():
                services.update_campaign(campaign=campaign, by=request.user, data=form.cleaned_data)
                for setting, category_form in category_forms:
                    target = category_form
                    services.set_category(
                        campaign_category=setting, by=request.user, data=category_form.cleaned_data
                    )
        except ValidationError as exc:
            add_validation_errors(exc, target)
        else:
            messages.success(request, _("申报活动已保存"))
            return redirect("campaigns:detail", year=campaign.year)
    return render(
        request,
        "campaigns/campaign_form.html",
        {
            "form": form,
            "campaign": campaign,
            "category_forms": [(s, FORMS[s.category], f) for s, f in category_forms],
        },
    )


@role_required(*MANAGER_ROLES)
def campaign_quotas(request, year):
    """The agency × category table of recommendation quotas."""
    campaign = selectors.managed_campaign(request.user, year)
    form = QuotaForm(
        request.POST or None,
        agencies=list(selectors.quota_agencies()),
        table=selectors.quota_table(campaign),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for agency, category, quota in form.changes():
                    services.set_quota(
                        campaign=campaign,
                        agency=agency,
                        category=category,
                        quota=quota,
                        by=request.user,
                    )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("推荐名额已保存"))
            return redirect("campaigns:quotas", year=campaign.year)
    return render(
        request,
        "campaigns/quotas.html",
        {"campaign": campaign, "form": form, "categories": Category.choices},
    )


@require_POST
@role_required(*MANAGER_ROLES)
def campaign_move(request, year):
    campaign = selectors.managed_campaign(request.user, year)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要执行的操作"))
    elif form.cleaned_data["seen"] and form.cleaned_data["seen"] != campaign.status:
        # What the person saw is no longer so: say it rather than act on a stale page.
        messages.warning(
            request,
            _("该申报活动的状态刚被其他同事修改为“%(status)s”，请确认后再操作")
            % {"status": campaign.get_status_display()},
        )
    else:
        to = form.cleaned_data["to"]
        before_opening = timezone.now() < campaign.opens_at
        reason = form.cleaned_data["reason"]
        try:
            if to == CampaignStatus.DRAFT:
                services.unpublish_campaign(campaign=campaign, by=request.user, reason=reason)
            else:
                services.move_campaign(campaign=campaign, to=to, by=request.user, reason=reason)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if to == CampaignStatus.CLOSED and before_opening:
                messages.success(request, CLOSED_BEFORE_OPENING)
            else:
                messages.success(request, MOVE_DONE[to])
    return redirect("campaigns:detail", year=campaign.year)


@role_required(*MANAGER_ROLES)
def campaign_reopenings(request, year):
    campaign = selectors.managed_campaign(request.user, year)
    form = ReopeningForm(
        request.POST or None,
        campaign=campaign,
        initial={"organisation": request.GET.get("organisation")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reopen_for_applicant(
                campaign=campaign,
                organisation=data["organisation"],
                category=data["category"],
                until=data["until"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request,
                _("已为 %(org)s 单独开放，并已通知该单位") % {"org": data["organisation"]},
            )
            return redirect("campaigns:reopenings", year=campaign.year)
    reopenings = selectors.reopenings(request.user, campaign).order_by("-created_at", "-pk")
    listing = paginate(request, reopenings, ReopeningFilter)
    return render(
        request,
        "campaigns/reopenings.html",
        {
            "campaign": campaign,
            "form": form,
            **listing.context(),
            "reopenings": listing.page,
            "now": timezone.now(),
        },
    )


@role_required(*MANAGER_ROLES)
def ban_list(request):
    listing = paginate(request, selectors.bans(request.user), BanFilter)
    today = timezone.localdate()
    for ban in listing.page:
        ban.is_in_force = ban.in_force_on(today)
    return render(request, "campaigns/ban_list.html", listing.context())


@role_required(*MANAGER_ROLES)
def ban_add(request):
    form = BanForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ban = services.add_ban(
                by=request.user,
                uscc=data["uscc"],
                organisation_name=data["organisation_name"],
                reason=data["reason"],
                decided_on=data["decided_on"],
                source=data["source"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request,
                _("已登记：%(name)s 在 %(end)s 前不再受理其申报")
                % {"name": ban.organisation_name, "end": cn_date(ban.ends_on)},
            )
            return redirect("campaigns:ban_list")
    return render(request, "campaigns/ban_form.html", {"form": form})


@role_required(*MANAGER_ROLES)
def ban_lift(request, pk):
    ban = selectors.ban_for(request.user, pk)
    if ban.lifted_at is not None:
        messages.info(request, _("该禁止申报记录已被解除"))
        return redirect("campaigns:ban_list")
    form = LiftBanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_ban(ban=ban, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request, _("已解除对 %(name)s 的禁止申报") % {"name": ban.organisation_name}
            )
            return redirect("campaigns:ban_list")
    return render(request, "campaigns/ban_lift.html", {"ban": ban, "form": form})
