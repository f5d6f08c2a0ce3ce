"""The filters of the articles' lists (common.listing): the public news and good practices
(only what their rows already show: the column and the title), the writers' articles in every
state and their image library."""

import django_filters
from django.utils.translation import gettext_lazy as _

from manyi.common.listing import DateRange, ListFilter, Search, Sort
from manyi.programme.models import Article, ArticleImage, ArticleKind, ArticleStatus


def _title():
    return Search(fields=("title", "title_en"), label=_("标题"))


class PracticeFilter(ListFilter):
    q = _title()

    class Meta:
        model = Article
        fields = ()


class PublicArticleFilter(PracticeFilter):
    kind = django_filters.ChoiceFilter(
        choices=ArticleKind.choices, label=_("栏目"), empty_label=_("全部")
    )

    class Meta:
        model = Article
        fields = ()


class StaffArticleFilter(ListFilter):
    q = _title()
    kind = django_filters.ChoiceFilter(
        choices=ArticleKind.choices, label=_("栏目"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=ArticleStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    published = DateRange(field_name="published_at", label=_("发布日期"))
    sort = Sort(
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("status", "status"),
            ("author__full_name", "author"),
            ("published_at", "published"),
            ("updated_at", "updated"),
        )
    )

    class Meta:
        model = Article
        fields = ()


USE_CHOICES = (("used", _("已用于文章")), ("unused", _("尚未使用")))


class ImageFilter(ListFilter):
    q = Search(fields=("original_name", "article__title"), label=_("文件名或文章标题"))
    use = django_filters.ChoiceFilter(
        choices=USE_CHOICES, label=_("使用情况"), empty_label=_("全部"), method="by_use"
    )
    sort = Sort(
        fields=(
            ("original_name", "name"),
            ("article__title", "article"),
            ("size", "size"),
            ("uploaded_at", "uploaded"),
        )
    )

    class Meta:
        model = ArticleImage
        fields = ()

    def by_use(self, queryset, name, value):
        return queryset.filter(article__isnull=value == "unused")
