"""Reads of the articles: the public sees published ones only (a draft or a withdrawn article
is a 404 for everyone on the public pages); the writers see every article and image.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from manyi.programme.access import writes_articles
from manyi.programme.models import Article, ArticleImage, ArticleKind, ArticleStatus

FEED_SIZE = 20
MAX_QUERY = 100


def clean_filters(params, *, staff: bool = False) -> dict:
    """The list filters from a GET query: a known column (kind), words of the title, and for
    the writers a state. Unknown values are ignored, never an error."""
    kind = params.get("kind", "")
    filters = {
        "kind": kind if kind in ArticleKind.values else "",
        "q": " ".join((params.get("q") or "").split())[:MAX_QUERY],
    }
    if staff:
        status = params.get("status", "")
        filters["status"] = status if status in ArticleStatus.values else ""
    return filters


def _filtered(articles: QuerySet[Article], filters: dict) -> QuerySet[Article]:
    if filters.get("kind"):
        articles = articles.filter(kind=filters["kind"])
    if filters.get("status"):
        articles = articles.filter(status=filters["status"])
    if filters.get("q"):
        articles = articles.filter(
            Q(title__icontains=filters["q"]) | Q(title_en__icontains=filters["q"])
        )
    return articles


def published() -> QuerySet[Article]:
    return Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("organisation")


def public_articles(filters: dict) -> QuerySet[Article]:
    return _filtered(published(), filters).order_by("-published_at", "-pk")


def public_article(pk: int) -> Article:
    return get_object_or_404(published().select_related("planned_activity__plan"), pk=pk)


def practices(filters: dict) -> QuerySet[Article]:
    """The good practices of advanced units and benchmarks (Art. 13, 17), newest first."""
    return public_articles({**filters, "kind": ArticleKind.PRACTICE})


def latest(limit: int) -> list[Article]:
    return list(published().order_by("-published_at", "-pk")[:limit])


def feed_items() -> list[Article]:
    return latest(FEED_SIZE)


# ------------------------------------------------------------------------------------------
# The writers' side


def staff_articles(user, filters: dict | None = None) -> QuerySet[Article]:
    """Every article in every state, most recently changed first; nothing for anyone else."""
    if not writes_articles.test(user):
        return Article.objects.none()
    articles = Article.objects.select_related("organisation", "author").order_by(
        "-updated_at", "-pk"
    )
    return _filtered(articles, filters or {})


def staff_article(user, pk: int) -> Article:
    return get_object_or_404(staff_articles(user).select_related("planned_activity__plan"), pk=pk)


def staff_images(user, *, q: str = "") -> QuerySet[ArticleImage]:
    """Every uploaded image, newest first, searched by file name or article title."""
    if not writes_articles.test(user):
        return ArticleImage.objects.none()
    images = ArticleImage.objects.select_related("article", "uploaded_by").order_by(
        "-uploaded_at", "-pk"
    )
    if q:
        images = images.filter(Q(original_name__icontains=q) | Q(article__title__icontains=q))
    return images


def shown_publicly(image: ArticleImage) -> bool:
    """Whether a published article shows the image (its own article, or another that points
    to it), so anyone may load it."""
    address = reverse("programme:article_image", kwargs={"pk": image.pk})
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .filter(
            Q(pk=image.article_id)
            | Q(body__contains=f'"{address}"')
            | Q(body_en__contains=f'"{address}"')
        )
        .exists()
    )


def visible_image(user, pk: int) -> tuple[ArticleImage, bool]:
    """The image and whether it is public; an image no published article shows is the
    writers' alone (a 404 for anyone else)."""
    image = get_object_or_404(ArticleImage, pk=pk)
    if shown_publicly(image):
        return image, True
    if writes_articles.test(user):
        return image, False
    raise Http404
