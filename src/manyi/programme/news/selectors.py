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


def published() -> QuerySet[Article]:
    return Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("organisation")


def public_articles() -> QuerySet[Article]:
    """The published articles, newest first (filtered by `news.filters.PublicArticleFilter`)."""
    return published().order_by("-published_at", "-pk")


def public_article(pk: int) -> Article:
    return get_object_or_404(published().select_related("planned_activity__plan"), pk=pk)


def practices() -> QuerySet[Article]:
    """The good practices of advanced units and benchmarks (Art. 13, 17), newest first."""
    return public_articles().filter(kind=ArticleKind.PRACTICE)


def latest(limit: int) -> list[Article]:
    return list(published().order_by("-published_at", "-pk")[:limit])


def feed_items() -> list[Article]:
    return latest(FEED_SIZE)


# ------------------------------------------------------------------------------------------
# The writers' side


def staff_articles(user) -> QuerySet[Article]:
    """Every article in every state, most recently changed first; nothing for anyone else."""
    if not writes_articles.test(user):
        return Article.objects.none()
    return Article.objects.select_related("organisation", "author").order_by("-updated_at", "-pk")


def staff_article(user, pk: int) -> Article:
    return get_object_or_404(staff_articles(user).select_related("planned_activity__plan"), pk=pk)


def staff_images(user) -> QuerySet[ArticleImage]:
    """Every uploaded image, newest first; nothing for anyone else."""
    if not writes_articles.test(user):
        return ArticleImage.objects.none()
    return ArticleImage.objects.select_related("article", "uploaded_by").order_by(
        "-uploaded_at", "-pk"
    )


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
