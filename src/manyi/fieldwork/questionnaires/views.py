"""Staff pages of the item bank and the questionnaires: committee staff and the association's
administrator edit and publish; the work department reads. The preview draws a version as a
respondent sees it, with the same partial as the web page and the interviewer's screen."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF
from manyi.campaigns.categories import Category
from manyi.common.listing import paginate
from manyi.fieldwork.access import (
    EDIT_ITEM,
    EDIT_QUESTIONNAIRE,
    MANAGE_QUESTIONNAIRES,
    NEW_QUESTIONNAIRE_VERSION,
)
from manyi.fieldwork.filters import ItemFilter
from manyi.fieldwork.models import ItemKind, ItemPurpose
from manyi.fieldwork.questionnaires import bank, selectors, services
from manyi.fieldwork.questionnaires.checks import problems_for_publishing
from manyi.fieldwork.questionnaires.forms import DraftForm, ItemForm
from manyi.fieldwork.questions import for_form, questions_of
from manyi.surveys.words import model_words


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# ------------------------------------------------------------------------------------------
# The item bank


@role_required(*PROGRAMME_STAFF)
def item_list(request):
    listing = paginate(request, selectors.items(), ItemFilter)
    can_manage = MANAGE_QUESTIONNAIRES.allows(request.user, None)
    return render(
        request,
        "fieldwork/questionnaires/item_list.html",
        {
            **listing.context(),
            "english": not translation.get_language().startswith("zh"),
            "can_manage": can_manage,
            "missing": len(bank.missing_codes()) if can_manage else 0,
        },
    )


@require_POST
@role_required(*PROGRAMME_STAFF)
def item_bank_load(request):
    if not MANAGE_QUESTIONNAIRES.allows(request.user, None):
        raise PermissionDenied
    created = bank.load_default_bank(by=request.user)
    if created:
        messages.success(request, _("已载入 %(n)s 道标准题目") % {"n": len(created)})
    else:
        messages.info(request, _("标准题库已完整，无需载入"))
    return redirect("fieldwork:item_list")


@role_required(*PROGRAMME_STAFF)
def item_create(request):
    if not MANAGE_QUESTIONNAIRES.allows(request.user, None):
        raise PermissionDenied
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("题目 %(code)s 已加入题库") % {"code": item.code})
            return redirect("fieldwork:item_list")
    return render(request, "fieldwork/questionnaires/item_form.html", {"form": form})


@role_required(*PROGRAMME_STAFF)
def item_edit(request, pk):
    if not MANAGE_QUESTIONNAIRES.allows(request.user, None):
        raise PermissionDenied
    item = selectors.item(pk)
    can_edit = EDIT_ITEM.allows(request.user, item)
    if request.method == "POST" and not can_edit:
        messages.error(request, _("该题目已用于已发布的问卷，不能修改，请新建题目"))
        return redirect("fieldwork:item_list")
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    form = ItemForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("题目 %(code)s 已保存") % {"code": item.code})
            return redirect("fieldwork:item_list")
    return render(
        request,
        "fieldwork/questionnaires/item_form.html",
        {"form": form, "item": item, "can_edit": can_edit},
    )


# ------------------------------------------------------------------------------------------
# Questionnaires


@role_required(*PROGRAMME_STAFF)
def questionnaire_list(request):
    user = request.user
    groups = selectors.by_category()
    for group in groups:
        group["can_new"] = NEW_QUESTIONNAIRE_VERSION.allows(user, group["category"])
    return render(
        request,
        "fieldwork/questionnaires/questionnaire_list.html",
        {
            "groups": groups,
            "models": [(m, model_words(m)) for m in bank.QUESTIONNAIRE_MODELS],
            "can_manage": MANAGE_QUESTIONNAIRES.allows(user, None),
        },
    )


@require_POST
@role_required(*PROGRAMME_STAFF)
def questionnaire_new_version(request, category):
    if category not in Category.values or not MANAGE_QUESTIONNAIRES.allows(request.user, None):
        raise PermissionDenied
    try:
        if request.POST.get("model_name"):
            questionnaire = services.default_questionnaire(
                category=category, by=request.user, model_name=request.POST["model_name"]
            )
        else:
            questionnaire = services.new_version(category=category, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("fieldwork:questionnaire_list")
    messages.success(request, _("已建立第 %(version)s 版草稿") % {"version": questionnaire.version})
    return redirect("fieldwork:questionnaire_edit", pk=questionnaire.pk)


@role_required(*PROGRAMME_STAFF)
def questionnaire_detail(request, pk):
    questionnaire = selectors.questionnaire(pk)
    questions = questions_of(questionnaire)
    can_edit = EDIT_QUESTIONNAIRE.allows(request.user, questionnaire)
    rows = [
        {
            **q,
            "kind_label": ItemKind(q["kind"]).label,
            "purpose_label": ItemPurpose(q["purpose"]).label,
        }
        for q in for_form(questions)
    ]
    return render(
        request,
        "fieldwork/questionnaires/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "model_label": model_words(questionnaire.model_name),
            "rows": rows,
            # What still stands in the way of publishing, shown before the button is pressed.
            "problems": problems_for_publishing(questions, questionnaire.model_name)
            if can_edit
            else [],
            "can_edit": can_edit,
            "can_new_version": NEW_QUESTIONNAIRE_VERSION.allows(
                request.user, questionnaire.category
            ),
        },
    )


@role_required(*PROGRAMME_STAFF)
def questionnaire_edit(request, pk):
    if not MANAGE_QUESTIONNAIRES.allows(request.user, None):
        raise PermissionDenied
    questionnaire = selectors.questionnaire(pk)
    if not EDIT_QUESTIONNAIRE.allows(request.user, questionnaire):
        messages.error(request, _("该版本已发布，不能修改；如需修改，请新建版本"))
        return redirect("fieldwork:questionnaire_detail", pk=questionnaire.pk)
    initial = {name: getattr(questionnaire, name) for name in services.DRAFT_FIELDS}
    form = DraftForm(
        request.POST or None, initial=initial, rows=selectors.items_for_draft(questionnaire)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_draft(
                questionnaire=questionnaire,
                by=request.user,
                item_ids=data["item_ids"],
                **{name: data[name] for name in services.DRAFT_FIELDS},
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("草稿已保存"))
            return redirect("fieldwork:questionnaire_detail", pk=questionnaire.pk)
    return render(
        request,
        "fieldwork/questionnaires/questionnaire_edit.html",
        {"questionnaire": questionnaire, "form": form},
    )


@require_POST
@role_required(*PROGRAMME_STAFF)
def questionnaire_publish(request, pk):
    if not MANAGE_QUESTIONNAIRES.allows(request.user, None):
        raise PermissionDenied
    questionnaire = selectors.questionnaire(pk)
    try:
        services.publish_questionnaire(questionnaire=questionnaire, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("第 %(version)s 版已发布，新委托的调查将使用此版本")
            % {"version": questionnaire.version},
        )
    return redirect("fieldwork:questionnaire_detail", pk=questionnaire.pk)


# ------------------------------------------------------------------------------------------
# Preview: as the respondent sees it, in Chinese or English, on a wide or a phone-sized screen


def _language(request) -> str:
    return "en" if request.GET.get("lang") == "en" else "zh-hans"


def _respondent_html(request, questionnaire, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "fieldwork/questionnaires/_respondent.html",
            {
                "questionnaire": questionnaire,
                "english": language == "en",
                "questions": for_form(questions_of(questionnaire)),
            },
            request=request,
        )


@role_required(*PROGRAMME_STAFF)
def questionnaire_preview(request, pk):
    questionnaire = selectors.questionnaire(pk)
    language = _language(request)
    phone = request.GET.get("device") == "phone"
    return render(
        request,
        "fieldwork/questionnaires/preview.html",
        {
            "questionnaire": questionnaire,
            "language": language,
            "phone": phone,
            "respondent": "" if phone else _respondent_html(request, questionnaire, language),
        },
    )


@xframe_options_sameorigin
# The one page that may be framed, and only by this site's own preview page.
@csp_replace({"frame-ancestors": ["'self'"]})
@role_required(*PROGRAMME_STAFF)
def questionnaire_preview_frame(request, pk):
    """The bare page shown inside the preview's phone-sized frame."""
    questionnaire = selectors.questionnaire(pk)
    language = _language(request)
    return render(
        request,
        "fieldwork/questionnaires/preview_frame.html",
        {
            "language": language,
            "respondent": _respondent_html(request, questionnaire, language),
        },
    )
