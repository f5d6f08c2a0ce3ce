"""Violations and sanctions: the lists and pages every programme office reads, the forms of
those who record violations (committee and work department) and of the administrator, who
decides sanctions, and committee staff's page of applications to hand to another agency.
Thin: the services check and change, these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.supervision.access import READERS
from manyi.supervision.sanctions import selectors, services
from manyi.supervision.sanctions.access import (
    REINSTATE,
    disqualification_in_force,
    list_flags,
    violation_flags,
)
from manyi.supervision.sanctions.filters import ReassignFilter, SanctionFilter, ViolationFilter
from manyi.supervision.sanctions.forms import (
    DisableAccountForm,
    DisqualifyForm,
    EvidenceForm,
    ReinstateForm,
    RemoveExpertForm,
    RevokeForm,
    ViolationForm,
)

RECORDERS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF)
COMMITTEE = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)


# ------------------------------------------------------------------------------------------
# Sanctions


@role_required(*READERS)
def sanction_list(request):
    user = request.user
    flags = list_flags(user)
    listing = paginate(request, selectors.sanctions(user), SanctionFilter)
    return render(
        request,
        "supervision/sanctions/list.html",
        {
            **listing.context(),
            "pending_count": selectors.pending_reassignment(user).count()
            if flags["can_reassign"]
            else 0,
            **flags,
        },
    )


@role_required(*READERS)
def sanction_detail(request, pk):
    user = request.user
    sanction = selectors.sanction_for(user, pk)
    in_force = bool(disqualification_in_force.test(user, sanction))
    return render(
        request,
        "supervision/sanctions/detail.html",
        {
            "sanction": sanction,
            "in_force": in_force,
            "reinstatement": selectors.reinstatement_of(sanction),
            "can_reinstate": REINSTATE.allows(user, sanction),
            "reinstate_form": ReinstateForm(),
            "pending_count": selectors.pending_count_of(sanction.organisation) if in_force else 0,
            "can_reassign": list_flags(user)["can_reassign"],
            "duties": selectors.active_duties(sanction.person) if sanction.person_id else None,
        },
    )


def _decide(request, form, decide, *, heading: str, intro: str, done: str):
    """A sanction's form: on a valid POST the service decides, then the sanction's page."""
    if request.method == "POST" and form.is_valid():
        try:
            sanction = decide(form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, done)
            return redirect("supervision:sanction_detail", pk=sanction.pk)
    return render(
        request,
        "supervision/sanctions/form.html",
        {"form": form, "heading": heading, "intro": intro},
    )


def _preselected(request, name: str) -> dict:
    value = request.GET.get(name, "")
    return {name: int(value)} if value.isdecimal() and len(value) <= 9 else {}


@role_required(Role.ASSOCIATION_ADMIN)
def sanction_disqualify(request):
    form = DisqualifyForm(request.POST or None, initial=_preselected(request, "agency"))
    return _decide(
        request,
        form,
        lambda data: services.disqualify_agency(
            agency=data["agency"], by=request.user, **form.decision()
        ),
        heading=_("取消推进机构资格"),
        intro=_(
            "依据第二十七条，取消违反本办法及推选细则的推进机构参与推进工作的资格。自决定日期起，"
            "该机构不能再推荐申报，不再分配推荐名额；其已提交、待推荐的申报由用户委员会改派其他"
            "推进机构。取消资格的推进机构将在年度公示中予以公示（第二十四条）。"
        ),
        done=_("已取消该推进机构的资格"),
    )


@role_required(Role.ASSOCIATION_ADMIN)
def sanction_remove_expert(request):
    form = RemoveExpertForm(request.POST or None, initial=_preselected(request, "expert"))
    return _decide(
        request,
        form,
        lambda data: services.remove_expert(
            expert=data["expert"], by=request.user, **form.decision()
        ),
        heading=_("移出评审专家库"),
        intro=_(
            "依据第二十七条，取消违反规定的专家参与评审工作的资格。移出后不再被抽取参加评审和回访确认；"
            "其尚未完成的评审任务在处理决定页面列出，由用户委员会更换专家。"
        ),
        done=_("已将该专家移出评审专家库"),
    )


@role_required(Role.ASSOCIATION_ADMIN)
def sanction_disable_account(request):
    form = DisableAccountForm(request.POST or None)
    return _decide(
        request,
        form,
        lambda data: services.disable_account(
            person=data["email"], by=request.user, **form.decision()
        ),
        heading=_("停用账号"),
        intro=_(
            "依据第二十七条停用违反规定人员的账号：停用后不能再登录，已登录的会话随即失效。"
            "停用账号默认不予公示。"
        ),
        done=_("账号已停用"),
    )


@require_POST
@role_required(Role.ASSOCIATION_ADMIN)
def sanction_reinstate(request, pk):
    sanction = selectors.sanction_for(request.user, pk)
    form = ReinstateForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
    else:
        try:
            services.reinstate_agency(
                sanction=sanction, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("已恢复该推进机构的资格"))
    return redirect("supervision:sanction_detail", pk=sanction.pk)


# ------------------------------------------------------------------------------------------
# Reassignment of a disqualified agency's applications


@role_required(*COMMITTEE)
def sanction_reassign_list(request):
    listing = paginate(request, selectors.pending_reassignment(request.user), ReassignFilter)
    applications = listing.page.object_list
    choices = selectors.reassignment_choices_for(applications)
    return render(
        request,
        "supervision/sanctions/reassign_list.html",
        {
            **listing.context(),
            "rows": [(a, choices.get(a.pk, [])) for a in applications],
            # The tab's badge: every application waiting, whatever the filter.
            "pending_count": selectors.pending_reassignment(request.user).count(),
        },
    )


@require_POST
@role_required(*COMMITTEE)
def sanction_reassign(request, pk):
    application = selectors.application_to_reassign(request.user, pk)
    agency = selectors.agency_by_id(request.POST.get("agency", ""))
    try:
        services.reassign_agency(
            application=application,
            agency=agency,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(
            request,
            _("已将 %(org)s 的申报改由 %(agency)s 推荐，并已通知")
            % {"org": application.organisation.name, "agency": agency.name},
        )
    return redirect("supervision:sanction_reassign_list")


# ------------------------------------------------------------------------------------------
# Violations


@role_required(*READERS)
def violation_list(request):
    user = request.user
    listing = paginate(request, selectors.violations(user), ViolationFilter)
    return render(
        request,
        "supervision/sanctions/violation_list.html",
        {
            **listing.context(),
            "organisation": listing.filters.chosen_organisation(),
            **list_flags(user),
        },
    )


def _violation_initial(request) -> dict:
    """Fields a link may fill in (?organisation=<id>, ?title=<number>), e.g. from a spot check."""
    initial = {}
    organisation = selectors.organisation_filter(request.user, request.GET.get("organisation"))
    if organisation is not None:
        initial["organisation"] = organisation.uscc or organisation.name
    title = selectors.title_numbered(request.GET.get("title", ""))
    if title is not None:
        initial["title_number"] = title.number
        initial.setdefault("organisation", title.organisation.uscc or title.organisation.name)
    return initial


@role_required(*RECORDERS)
def violation_create(request):
    form = ViolationForm(
        request.POST or None, request.FILES or None, initial=_violation_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = services.record_violation(
                by=request.user,
                kind=data["kind"],
                organisation=data["organisation"],
                title=data["title_number"],
                description=data["description"],
                found_on=data["found_on"],
                files=data["evidence"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("违规记录已保存"))
            return redirect("supervision:violation_detail", pk=violation.pk)
    return render(request, "supervision/sanctions/violation_form.html", {"form": form})


@role_required(*READERS)
def violation_detail(request, pk):
    user = request.user
    violation = selectors.violation_for(user, pk)
    flags = violation_flags(user, violation)
    return render(
        request,
        "supervision/sanctions/violation_detail.html",
        {
            "violation": violation,
            "evidence_form": EvidenceForm(),
            "revoke_form": RevokeForm(violation=violation) if flags["can_revoke"] else None,
            **flags,
        },
    )


@require_POST
@role_required(*RECORDERS)
def violation_evidence(request, pk):
    violation = selectors.violation_for(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        tell_refusal(request, form)
    else:
        try:
            added = services.add_violation_evidence(
                violation=violation,
                by=request.user,
                files=form.cleaned_data["evidence"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("已上传 %(n)d 个文件") % {"n": len(added)})
    return redirect("supervision:violation_detail", pk=violation.pk)


@require_POST
@role_required(*RECORDERS)
def violation_revoke(request, pk):
    violation = selectors.violation_for(request.user, pk)
    form = RevokeForm(request.POST, violation=violation)
    if not form.is_valid():
        tell_refusal(request, form)
        return redirect("supervision:violation_detail", pk=violation.pk)
    try:
        case = services.revoke_for_violation(
            violation=violation,
            by=request.user,
            title=form.cleaned_data["title"],
            facts=form.cleaned_data["facts"],
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
        return redirect("supervision:violation_detail", pk=violation.pk)
    messages.success(request, _("已立案撤销称号，用户委员会将研究处理"))
    return redirect("supervision:revocation_detail", pk=case.pk)
