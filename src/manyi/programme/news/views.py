"""The writers' pages (the programme's three offices): every article in every state, the
editor with its toolbar and preview, publishing and withdrawing, the image library.

Thin: the services sanitise, check and change; these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.programme.access import WRITERS
from manyi.programme.models import ArticleImage
from manyi.programme.news import selectors, services, uploads
from manyi.programme.news.access import article_flags
from manyi.programme.news.filters import ImageFilter, StaffArticleFilter
from manyi.programme.news.forms import ArticleForm, ImageForm, WithdrawForm
from manyi.programme.news.sanitise import clean_html, image_ids_in

FORM_FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "title_en",
    "summary_en",
    "body_en",
    "organisation",
    "planned_activity",
)


def _crumbs(*more):
    return [
        (_("新闻动态"), reverse("programme:news_list")),
        (_("文章管理"), reverse("programme:article_manage_list")),
        *more,
    ]


@role_required(*WRITERS)
def manage_list(request):
    listing = paginate(request, selectors.staff_articles(request.user), StaffArticleFilter)
    return render(
        request,
        "programme/news/manage_list.html",
        {
            **listing.context(),
            "breadcrumbs": [(_("新闻动态"), reverse("programme:news_list")), (_("文章管理"), None)],
        },
    )


def _editor(request, form, *, article=None, status=200):
    return render(
        request,
        "programme/news/form.html",
        {
            "form": form,
            "article": article,
            "image_form": ImageForm(),
            "breadcrumbs": _crumbs((_("修改文章") if article else _("撰写文章"), None)),
        },
        status=status,
    )


@role_required(*WRITERS)
def article_create(request):
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.create_article(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("文章已保存为草稿，请预览后发布"))
            return redirect("programme:article_manage", pk=article.pk)
    return _editor(request, form, status=400 if form.errors else 200)


@role_required(*WRITERS)
def article_manage(request, pk):
    article = selectors.staff_article(request.user, pk)
    return render(
        request,
        "programme/news/manage_detail.html",
        {
            "article": article,
            "images": article.images.all(),
            "withdraw_form": WithdrawForm(),
            **article_flags(request.user, article),
            "breadcrumbs": _crumbs((article.title, None)),
        },
    )


@role_required(*WRITERS)
def article_edit(request, pk):
    article = selectors.staff_article(request.user, pk)
    initial = {name: getattr(article, name) for name in FORM_FIELDS}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_article(article=article, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("文章已保存"))
            return redirect("programme:article_manage", pk=article.pk)
    return _editor(request, form, article=article, status=400 if form.errors else 200)


@require_POST
@role_required(*WRITERS)
def article_publish(request, pk):
    article = selectors.staff_article(request.user, pk)
    try:
        services.publish_article(article=article, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("文章已发布"))
    return redirect("programme:article_manage", pk=article.pk)


@require_POST
@role_required(*WRITERS)
def article_withdraw(request, pk):
    article = selectors.staff_article(request.user, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.withdraw_article(article=article, by=request.user, reason=reason)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("文章已撤下，公众不再能看到"))
    return redirect("programme:article_manage", pk=article.pk)


@require_POST
@role_required(*WRITERS)
def article_preview(request):
    """The text as it will be saved: the editor's field passed through the same sanitiser
    (nothing is stored). Answers an HTML fragment for static/js/rich_text.js."""
    field = request.POST.get("field", "body")
    text = request.POST.get(field if field in ("body", "body_en") else "body", "")
    known = set(ArticleImage.objects.filter(pk__in=image_ids_in(text)).values_list("pk", flat=True))
    cleaned = clean_html(text[: services.MAX_BODY], known_images=known)
    if not cleaned:
        cleaned = f'<p class="text-muted">{escape(_("（正文为空）"))}</p>'
    return HttpResponse(cleaned, content_type="text/html; charset=utf-8")


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@role_required(*WRITERS)
def image_library(request):
    """The uploaded images (newest first) with the address to put in an article; uploading
    here too (the editor's toolbar uploads by fetch and gets JSON back)."""
    form = ImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        image = None
        if form.is_valid():
            article = None
            if form.cleaned_data.get("article"):
                article = selectors.staff_article(request.user, form.cleaned_data["article"])
            try:
                image = uploads.upload_image(
                    by=request.user, upload=form.cleaned_data["file"], article=article
                )
            except ValidationError as exc:
                add_validation_errors(exc, form)
        if _wants_json(request):
            if image is None:
                words = [m for errors in form.errors.values() for m in errors]
                return JsonResponse({"errors": words}, status=400)
            return JsonResponse(
                {
                    "url": reverse("programme:article_image", kwargs={"pk": image.pk}),
                    "name": image.original_name,
                }
            )
        if image is not None:
            messages.success(request, _("图片已上传"))
            return redirect("programme:image_library")
    listing = paginate(request, selectors.staff_images(request.user), ImageFilter)
    return render(
        request,
        "programme/news/images.html",
        {
            **listing.context(),
            "form": form,
            "breadcrumbs": _crumbs((_("图片库"), None)),
        },
        status=400 if form.errors else 200,
    )
