"""The public site's articles: the news list, an article, the good practices, the feeds and
the article images. Open to everyone; only published articles exist here (else 404)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from manyi.accounts.decorators import public
from manyi.common.listing import paginate
from manyi.programme.models import ArticleKind
from manyi.programme.news import selectors, uploads
from manyi.programme.news.access import WRITE, article_flags
from manyi.programme.news.feeds import LatestArticles, LatestArticlesAtom
from manyi.programme.news.filters import PracticeFilter, PublicArticleFilter

_rss = LatestArticles()
_atom = LatestArticlesAtom()


def _shown(listing) -> dict:
    """The column and the words the visitor chose, for the column tabs and the search box
    (a value that did not validate is shown as none)."""
    cleaned = getattr(listing.filters.form, "cleaned_data", {})
    return {"kind": cleaned.get("kind") or "", "q": cleaned.get("q") or ""}


@require_GET
@public
def news_list(request):
    listing = paginate(request, selectors.public_articles(), PublicArticleFilter)
    return render(
        request,
        "programme/news/list.html",
        {
            **listing.context(),
            "filters": _shown(listing),
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
    listing = paginate(request, selectors.practices(), PracticeFilter)
    return render(
        request,
        "programme/news/practices.html",
        {
            **listing.context(),
            "filters": _shown(listing),
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
