"""The public site's articles: the news list, an article, the good practices, the feeds and
the article images. Open to everyone; only published articles exist here (else 404)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from manyi.accounts.decorators import public
from manyi.programme.models import ArticleKind
from manyi.programme.news import selectors, uploads
from manyi.programme.news.access import WRITE, article_flags
from manyi.programme.news.feeds import LatestArticles, LatestArticlesAtom

PER_PAGE = 50

_rss = LatestArticles()
_atom = LatestArticlesAtom()


def _page(request, queryset):
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@require_GET
@public
def news_list(request):
    filters = selectors.clean_filters(request.GET)
    page, query = _page(request, selectors.public_articles(filters))
    return render(
        request,
        "programme/news/list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "kinds": ArticleKind.choices,
            "can_write": WRITE.allows(request.user, None),
            "breadcrumbs": [(_("首页"), reverse("home")), (_("新闻动态"), None)],
        },
    )


@require_GET
@public
def article_detail(request, pk):
    article = selectors.public_article(pk)
    return render(
        request,
        "programme/news/detail.html",
        {
            "article": article,
            **article_flags(request.user, article),
            "breadcrumbs": [
                (_("首页"), reverse("home")),
                (_("新闻动态"), reverse("programme:news_list")),
                (
                    article.get_kind_display(),
                    f"{reverse('programme:news_list')}?kind={article.kind}",
                ),
            ],
        },
    )


@require_GET
@public
def practices(request):
    filters = selectors.clean_filters(request.GET)
    page, query = _page(request, selectors.practices(filters))
    return render(
        request,
        "programme/news/practices.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "breadcrumbs": [(_("首页"), reverse("home")), (_("先进经验与标杆"), None)],
        },
    )


@require_GET
@public
def feed_rss(request):
    return _rss(request)


@require_GET
@public
def feed_atom(request):
    return _atom(request)


@require_GET
@public
def article_image(request, pk):
    """An article image: anyone's when a published article shows it, else the writers' only."""
    image, is_public = selectors.visible_image(request.user, pk)
    return uploads.image_response(image, public=is_public)
